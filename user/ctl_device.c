#include "ctl_device.h"

#include <minwdm/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <winternl.h>

#include "ctl_error.h"

HANDLE ctl_open_device(const WCHAR *path, int *rc)
{
    char what[600], utf8[512];
    HANDLE device = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                FILE_ATTRIBUTE_NORMAL, NULL);

    if (device == INVALID_HANDLE_VALUE) {
        DWORD error = GetLastError();
        ctl_utf8(path, utf8, sizeof(utf8));
        snprintf(what, sizeof(what), "opening the device %s", utf8);
        *rc = ctl_report(what, error, CTL_EXIT_FAILED,
                         error == ERROR_FILE_NOT_FOUND
                             ? "the device exists only while the driver runs: minwdmctl start"
                             : NULL);
    }
    return device;
}

LONG ctl_ioctl(HANDLE device, DWORD code, const void *input, DWORD input_length, void *output,
               DWORD output_length, DWORD *returned)
{
    IO_STATUS_BLOCK io;

    memset(&io, 0, sizeof(io));
    NTSTATUS status = NtDeviceIoControlFile(device, NULL, NULL, NULL, &io, code, (void *)input,
                                            input_length, output, output_length);
    *returned = NT_SUCCESS(status) ? (DWORD)io.Information : 0;
    return status;
}

int ctl_version(const WCHAR *device_path)
{
    struct minwdm_version version;
    DWORD returned;
    int rc = CTL_EXIT_OK;
    HANDLE device = ctl_open_device(device_path, &rc);

    if (device == INVALID_HANDLE_VALUE)
        return rc;
    memset(&version, 0, sizeof(version));
    LONG status = ctl_ioctl(device, IOCTL_MINWDM_GET_VERSION, NULL, 0, &version, sizeof(version),
                            &returned);
    CloseHandle(device);
    if (!NT_SUCCESS(status))
        return ctl_report_ntstatus("IOCTL_MINWDM_GET_VERSION", status, CTL_EXIT_DRIVER);
    if (returned != sizeof(version)) {
        fprintf(stderr, "minwdmctl: IOCTL_MINWDM_GET_VERSION returned %lu bytes, expected %u\n",
                (unsigned long)returned, (unsigned)sizeof(version));
        return CTL_EXIT_DRIVER;
    }
    version.build_id[sizeof(version.build_id) - 1] = '\0';
    printf("driver %u.%u.%u, ABI %u, build %s\n", version.driver_major, version.driver_minor,
           version.driver_patch, (unsigned)version.abi_version, version.build_id);
    if (version.abi_version != MINWDM_ABI_VERSION) {
        fprintf(stderr, "minwdmctl: the driver speaks ABI %u, this minwdmctl ABI %u: use the "
                        "minwdmctl built with the driver\n",
                (unsigned)version.abi_version, MINWDM_ABI_VERSION);
        return CTL_EXIT_DRIVER;
    }
    return CTL_EXIT_OK;
}

int ctl_echo(const WCHAR *device_path, const char *text)
{
    static char reply[MINWDM_ECHO_MAX];
    size_t length = strlen(text);
    DWORD returned;
    int rc = CTL_EXIT_OK;

    if (length > MINWDM_ECHO_MAX) {
        fprintf(stderr, "minwdmctl: echo: %zu bytes is more than the driver's limit of %u\n",
                length, MINWDM_ECHO_MAX);
        return CTL_EXIT_USAGE;
    }
    HANDLE device = ctl_open_device(device_path, &rc);
    if (device == INVALID_HANDLE_VALUE)
        return rc;
    LONG status = ctl_ioctl(device, IOCTL_MINWDM_ECHO, text, (DWORD)length, reply, sizeof(reply),
                            &returned);
    CloseHandle(device);
    if (!NT_SUCCESS(status))
        return ctl_report_ntstatus("IOCTL_MINWDM_ECHO", status, CTL_EXIT_DRIVER);
    if (returned != length || memcmp(reply, text, length) != 0) {
        fprintf(stderr, "minwdmctl: echo: the driver answered %lu different bytes\n",
                (unsigned long)returned);
        return CTL_EXIT_DRIVER;
    }
    printf("%.*s\n", (int)returned, reply);
    return CTL_EXIT_OK;
}
