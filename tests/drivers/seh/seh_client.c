/*
 * The client of seh_wdk.sys (add_wdm_test seh.wdk) and seh_escape.sys (wine.seh_escape).
 *   seh_client            seh_wdk.sys: a bad pointer (0x10) read by each variant of the
 *                         driver's __try/__except and __try/__finally must come back as the
 *                         driver's own answer (SEH_HANDLED, the code its filter saw, its
 *                         __finally run), never as a failed request; exit 0 when each did
 *   seh_client escape     seh_escape.sys: a bad pointer as the buffer itself, then one inside
 *                         it, read with no __try; always exits 1: the run must fail, and say why
 *   seh_client unload     seh_escape.sys: its DriverUnload will read 0x10 (exit 0 when asked)
 *   seh_client dpc|timer|work-item|completion|thread|breakpoint
 *                         seh_escape.sys: that routine of the driver reads 0x10, with no __try
 *                         (breakpoint: its dispatch routine calls DbgBreakPoint);
 *                         waits (at most 10 s) until the driver host has ended; always exits 1
 */
#include <windows.h>
#include <winioctl.h>

#include <stdio.h>
#include <string.h>

#include "seh_wdk.h"

static const char *const variant_names[SEH_VARIANTS] = {"C -O2", "C -O0", "C++ -O2", "C++ -O0"};
static const char *const kind_names[SEH_KINDS] = {"__except", "__finally"};

/* Sends one request; the answer in *answer, FALSE (and why) when the request failed. */
static BOOL ask(HANDLE device, DWORD code, const struct seh_request *request,
                struct seh_answer *answer)
{
    DWORD returned = 0;

    memset(answer, 0, sizeof(*answer));
    if (!DeviceIoControl(device, code, (void *)request, sizeof(*request), answer, sizeof(*answer),
                         &returned, NULL)) {
        printf("  the request failed: Win32 error %lu\n", GetLastError());
        return FALSE;
    }
    if (returned != sizeof(*answer)) {
        printf("  %lu bytes returned, %u expected\n", returned, (unsigned)sizeof(*answer));
        return FALSE;
    }
    return TRUE;
}

static const char *const site_names[SEH_ESCAPE_SITES] = {"dpc",    "timer",     "work-item",
                                                        "completion", "thread", "breakpoint"};

/* Whether the driver still answers: a request it refuses (no input) comes back refused. */
static BOOL driver_answers(HANDLE device)
{
    DWORD returned = 0;

    return !DeviceIoControl(device, IOCTL_SEH_WDK_ESCAPE_IN, NULL, 0, NULL, 0, &returned, NULL) &&
           GetLastError() == ERROR_INVALID_PARAMETER;
}

/* Hands 0x10 to one of the driver's routines, then waits for the end of the driver host. */
static int escape_in(HANDLE device, unsigned site)
{
    struct seh_request request = {0x10, 0, site};
    DWORD returned = 0, waited = 0;

    printf("the %s reads 0x10, with no __try:\n", site_names[site]);
    if (!DeviceIoControl(device, IOCTL_SEH_WDK_ESCAPE_IN, &request, sizeof(request), NULL, 0,
                         &returned, NULL))
        printf("  the request failed: Win32 error %lu\n", GetLastError());
    while (waited < 10000 && driver_answers(device)) {
        Sleep(50);
        waited += 50;
    }
    printf("seh_client: the driver %s after %lu ms\n",
           waited < 10000 ? "stopped answering" : "still answers", waited);
    CloseHandle(device);
    return 1;
}

static int check(HANDLE device, unsigned variant, unsigned kind, unsigned long long address)
{
    struct seh_request request = {address, variant, kind};
    struct seh_answer answer;
    unsigned expect_handled = address ? SEH_HANDLED : 0;
    unsigned expect_code = address ? 0xC0000005u : 0;
    unsigned expect_finally = kind == SEH_FINALLY ? 1 : 0;

    printf("%s %s, address 0x%llx:\n", variant_names[variant], kind_names[kind], address);
    if (!ask(device, IOCTL_SEH_WDK_READ, &request, &answer))
        return 1;
    printf("  handled 0x%08X (expected 0x%08X), code 0x%08X (0x%08X), finally %u (%u)\n",
           answer.handled, expect_handled, answer.code, expect_code, answer.finally_runs,
           expect_finally);
    return answer.handled != expect_handled || answer.code != expect_code ||
           answer.finally_runs != expect_finally;
}

int main(int argc, char **argv)
{
    BOOL escape = argc > 1 && strcmp(argv[1], "escape") == 0;
    BOOL unload = argc > 1 && strcmp(argv[1], "unload") == 0;
    unsigned site = argc > 1 ? 0 : SEH_ESCAPE_SITES; /* SEH_ESCAPE_SITES: none */

    while (site < SEH_ESCAPE_SITES && strcmp(argv[1], site_names[site]) != 0)
        site++;
    const char *name = escape || unload || site < SEH_ESCAPE_SITES ? "\\\\.\\seh_escape"
                                                                 : "\\\\.\\seh_wdk";
    HANDLE device = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    int failures = 0;

    if (device == INVALID_HANDLE_VALUE) {
        printf("seh_client: cannot open %s: Win32 error %lu\n", name, GetLastError());
        return 2;
    }
    if (site < SEH_ESCAPE_SITES)
        return escape_in(device, site);
    if (unload) {
        struct seh_request request = {0x10, 0, 0};
        struct seh_answer answer;
        BOOL sent = ask(device, IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD, &request, &answer);
        CloseHandle(device);
        printf("seh_client: DriverUnload will read 0x10%s\n", sent ? "" : " (not sent)");
        return sent ? 0 : 1;
    }
    if (escape) {
        struct seh_request request = {0x10, 0, 0};
        struct seh_answer answer;
        DWORD returned = 0;
        /* A bad pointer as the METHOD_NEITHER buffer itself: Windows hands it to the driver as
         * it is; Wine reads it in the caller's process to copy it (docs/wine.md). */
        printf("0x20 as the input buffer itself:\n");
        if (!DeviceIoControl(device, IOCTL_SEH_WDK_ESCAPE, (void *)(ULONG_PTR)0x20,
                             sizeof(request), &answer, sizeof(answer), &returned, NULL))
            printf("  the request failed: Win32 error %lu\n", GetLastError());
        else
            printf("  the request succeeded, %lu bytes returned\n", returned);
        printf("the read with no __try, address 0x10:\n");
        ask(device, IOCTL_SEH_WDK_ESCAPE, &request, &answer);
        printf("seh_client: the request came back (the driver host may have died meanwhile)\n");
        CloseHandle(device);
        return 1;
    }
    for (unsigned variant = 0; variant < SEH_VARIANTS; variant++) {
        for (unsigned kind = 0; kind < SEH_KINDS; kind++)
            failures += check(device, variant, kind, 0x10);
        failures += check(device, variant, SEH_FINALLY, 0); /* __leave */
    }
    CloseHandle(device);
    printf("seh_client: %d of %d checks failed\n", failures, SEH_VARIANTS * (SEH_KINDS + 1));
    return failures ? 1 : 0;
}
