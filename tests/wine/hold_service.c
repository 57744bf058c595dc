/*
 * Marks a service for deletion while holding a handle to it, as services.msc or another tool
 * would, so that the loader's "marked for deletion" paths can be tested.
 *   hold_service.exe <service> <release-file>
 * Prints "held" once the service is marked, then waits until <release-file> exists (at most
 * 60 s) and closes its handle, which lets the service go.
 */
#include <stdio.h>
#include <windows.h>

int wmain(int argc, WCHAR **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: hold_service <service> <release-file>\n");
        return 2;
    }
    SC_HANDLE manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    SC_HANDLE service = manager ? OpenServiceW(manager, argv[1], DELETE) : NULL;
    if (!service || !DeleteService(service)) {
        fprintf(stderr, "hold_service: error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("held\n");
    fflush(stdout);
    for (int i = 0; i < 1200 && GetFileAttributesW(argv[2]) == INVALID_FILE_ATTRIBUTES; i++)
        Sleep(50);
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
    return 0;
}
