/* Plants the bugs named on the command line in planted_wdk.sys, one request each, in order
 * (`clean` plants none). It judges nothing: the verifier does. Exit 0, or 1 when the device
 * cannot be opened, a name is unknown or `clean` failed (its completion routine did not run at
 * DISPATCH_LEVEL, say). */
#include <stdio.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>

#include "planted_wdk.h"

static const struct {
    const char *name;
    int number;
} bugs[] = {
#define BUG_ENTRY(name, number) {#name, number},
    PLANTED_BUGS(BUG_ENTRY)
};

static int number_of(const char *name)
{
    char spelled[64];
    size_t i;

    /* Rule names are spelled with dashes: pool-leak is bug pool_leak. */
    for (i = 0; name[i] && i + 1 < sizeof(spelled); i++)
        spelled[i] = (char)(name[i] == '-' ? '_' : name[i]);
    spelled[i] = '\0';
    for (i = 0; i < sizeof(bugs) / sizeof(bugs[0]); i++)
        if (!strcmp(bugs[i].name, spelled))
            return bugs[i].number;
    return -1;
}

int main(int argc, char **argv)
{
    HANDLE device = CreateFileW(PLANTED_USER_NAME, GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    unsigned char out[16];
    int exit_code = 0;

    if (device == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "planted_wdk_client: opening %ls: error %lu\n", PLANTED_USER_NAME,
                GetLastError());
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        int n = number_of(argv[i]);
        OVERLAPPED overlapped = {0};
        DWORD returned = 0;
        if (n < 0) {
            fprintf(stderr, "planted_wdk_client: no bug named %s\n", argv[i]);
            return 1;
        }
        overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        BOOL ok = DeviceIoControl(device, PLANTED_CODE(n), NULL, 0, out, sizeof(out), &returned,
                                  &overlapped);
        if (!ok && GetLastError() == ERROR_IO_PENDING) {
            if (!strcmp(argv[i], "unload_irp") || !strcmp(argv[i], "unload-irp")) {
                printf("%s: left pending\n", argv[i]);
                continue; /* never completes: the process exits with it pending */
            }
            ok = GetOverlappedResult(device, &overlapped, &returned, TRUE);
        }
        printf("%s: %s, %lu bytes back\n", argv[i], ok ? "done" : "failed", returned);
        if (!ok && n == 0)
            exit_code = 1;
        CloseHandle(overlapped.hEvent);
    }
    fflush(stdout);
    if (argc > 1 && number_of(argv[argc - 1]) == 28)
        ExitProcess(0); /* the pending request goes with the process */
    CloseHandle(device);
    return exit_code;
}
