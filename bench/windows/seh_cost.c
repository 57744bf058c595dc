/*
 * What asynchronous SEH (toolchain/seh.cmake) costs in a __try body: a Windows program, built
 * twice by bench/seh_cost (with and without the flag) and run under Wine. Each function is in
 * its own section (-ffunction-sections) so that its code size can be read from the object.
 *   seh_cost <calls>    prints "<function> <nanoseconds per call>" for each function
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>

#define WORDS 64

__attribute__((noinline)) int read_plain(volatile int *p)
{
    return *p;
}

/* The WDK pattern: a caller's word read in a __try body with no call. */
__attribute__((noinline)) int read_guarded(volatile int *p)
{
    int v;

    __try {
        v = *p;
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        v = -1;
    }
    return v;
}

/* A small copy in the body, as a METHOD_NEITHER handler makes one. */
__attribute__((noinline)) int copy_guarded(int *to, const volatile int *from)
{
    int status = 0;

    __try {
        for (int i = 0; i < WORDS; i++)
            to[i] = from[i];
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = -1;
    }
    return status;
}

__attribute__((noinline)) int copy_plain(int *to, const volatile int *from)
{
    for (int i = 0; i < WORDS; i++)
        to[i] = from[i];
    return 0;
}

static double now_ns(void)
{
    static LARGE_INTEGER frequency;
    LARGE_INTEGER counter;

    if (!frequency.QuadPart)
        QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return (double)counter.QuadPart * 1e9 / (double)frequency.QuadPart;
}

int main(int argc, char **argv)
{
    static int from[WORDS], to[WORDS];
    long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 10000000;
    long copies;
    volatile int sink = 0;
    double start;

    if (calls < 16)
        calls = 16;
    copies = calls / 16; /* a copy is 64 words: fewer of them */

    start = now_ns();
    for (long i = 0; i < calls; i++)
        sink += read_plain(&from[i & (WORDS - 1)]);
    printf("read_plain %.2f\n", (now_ns() - start) / (double)calls);
    start = now_ns();
    for (long i = 0; i < calls; i++)
        sink += read_guarded(&from[i & (WORDS - 1)]);
    printf("read_guarded %.2f\n", (now_ns() - start) / (double)calls);
    start = now_ns();
    for (long i = 0; i < copies; i++)
        sink += copy_plain(to, from);
    printf("copy_plain %.2f\n", (now_ns() - start) / (double)copies);
    start = now_ns();
    for (long i = 0; i < copies; i++)
        sink += copy_guarded(to, from);
    printf("copy_guarded %.2f\n", (now_ns() - start) / (double)copies);
    return sink == 12345;
}
