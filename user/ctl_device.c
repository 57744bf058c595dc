#include "ctl_device.h"

#include <string.h>
#include <winternl.h>

#ifndef STATUS_INFO_LENGTH_MISMATCH
#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)
#endif

HANDLE ctl_device_open(const WCHAR *path, DWORD *error)
{
    HANDLE device = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                                FILE_ATTRIBUTE_NORMAL, NULL);

    *error = device == INVALID_HANDLE_VALUE ? GetLastError() : ERROR_SUCCESS;
    return device;
}

LONG ctl_device_request(HANDLE device, DWORD code, const void *input, DWORD input_length,
                        void *output, DWORD output_length, DWORD *returned)
{
    IO_STATUS_BLOCK io;

    memset(&io, 0, sizeof(io));
    NTSTATUS status = NtDeviceIoControlFile(device, NULL, NULL, NULL, &io, code, (void *)input,
                                            input_length, output, output_length);
    *returned = NT_SUCCESS(status) ? (DWORD)io.Information : 0;
    return status;
}

LONG ctl_device_query(HANDLE device, DWORD code, void *output, DWORD output_length)
{
    DWORD returned;
    LONG status;

    memset(output, 0, output_length);
    status = ctl_device_request(device, code, NULL, 0, output, output_length, &returned);
    if (NT_SUCCESS(status) && returned != output_length)
        status = STATUS_INFO_LENGTH_MISMATCH;
    return status;
}

LONG ctl_device_version(HANDLE device, struct minwdm_version *version)
{
    LONG status = ctl_device_query(device, IOCTL_MINWDM_GET_VERSION, version, sizeof(*version));

    version->build_id[sizeof(version->build_id) - 1] = '\0';
    return status;
}
