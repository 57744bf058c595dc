/*
 * The cost of a stack cookie per call: one function with a 32-byte local array, built twice from
 * the same source, once without the check (no_stack_protector) and once with it, as
 * -fstack-protector-strong protects every such function in a driver. Built for the host with
 * -mstack-protector-guard=global, so that the guard is a global variable as in a driver (not
 * glibc's thread pointer slot). bench/stack_cookie compiles it and counts the instructions too.
 *   bench_stack_cookie <calls>    prints "<ns per plain call> <ns per protected call>"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The compilers' names (reserved for the implementation, which the kit is here). */
#ifdef EXTERN_GUARD /* the driver's case: the guard lives in another object (the compat library) */
extern uintptr_t __stack_chk_guard;
#else
uintptr_t __stack_chk_guard = 0x5A17C0DE00;
#endif
void __stack_chk_fail(void);
#ifndef EXTERN_GUARD
void __stack_chk_fail(void)
{
    abort();
}
#endif

__attribute__((noinline)) int bench_use(char *buffer)
{
    __asm__ volatile("" : : "r"(buffer) : "memory");
    return buffer[3];
}

#define BODY                                                                                       \
    char buffer[32];                                                                               \
    buffer[n & 31] = 1;                                                                            \
    buffer[3] = (char)n;                                                                           \
    return bench_use(buffer);

__attribute__((noinline, no_stack_protector)) int bench_plain(int n)
{
    BODY
}

__attribute__((noinline)) int bench_protected(int n)
{
    BODY
}

#ifndef EXTERN_GUARD
static double ns_per_call(int (*f)(int), long calls)
{
    struct timespec start, end;
    volatile int sink = 0;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < calls; i++)
        sink += f((int)i);
    clock_gettime(CLOCK_MONOTONIC, &end);
    (void)sink;
    return ((double)(end.tv_sec - start.tv_sec) * 1e9 + (double)(end.tv_nsec - start.tv_nsec)) /
           (double)calls;
}

int main(int argc, char **argv)
{
    long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 50000000;

    if (calls <= 0) {
        fputs("usage: bench_stack_cookie <calls>\n", stderr);
        return 2;
    }
    double plain = ns_per_call(bench_plain, calls);
    double protected_ = ns_per_call(bench_protected, calls);
    printf("%.3f %.3f\n", plain, protected_);
    return 0;
}
#endif
