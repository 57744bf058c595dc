/* The planted driver's client: planted_client ok|leak|hang|crash|crash-at-unload sends that request; exits 0
 * when it succeeded. */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "../drivers/planted.h"

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        DWORD code;
    } requests[] = {{"ok", IOCTL_PLANTED_OK},
                    {"leak", IOCTL_PLANTED_LEAK},
                    {"hang", IOCTL_PLANTED_HANG},
                    {"crash", IOCTL_PLANTED_CRASH},
                    {"crash-at-unload", IOCTL_PLANTED_CRASH_AT_UNLOAD}};
    DWORD returned;

    for (size_t i = 0; argc == 2 && i < sizeof(requests) / sizeof(requests[0]); i++) {
        if (strcmp(argv[1], requests[i].name) != 0)
            continue;
        HANDLE device = CreateFileA("\\\\.\\planted", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                    OPEN_EXISTING, 0, NULL);
        if (device == INVALID_HANDLE_VALUE) {
            printf("planted_client: cannot open \\\\.\\planted: error %lu\n", GetLastError());
            return 1;
        }
        BOOL ok = DeviceIoControl(device, requests[i].code, NULL, 0, NULL, 0, &returned, NULL);
        printf("planted_client: %s: %s (error %lu)\n", argv[1], ok ? "done" : "failed",
               ok ? 0 : GetLastError());
        CloseHandle(device);
        return ok ? 0 : 1;
    }
    printf("usage: planted_client ok|leak|hang|crash|crash-at-unload\n");
    return 2;
}
