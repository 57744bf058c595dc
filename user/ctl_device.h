/* The driver's device: open it and send it requests, keeping the exact NTSTATUS. */
#ifndef MINWDMCTL_DEVICE_H
#define MINWDMCTL_DEVICE_H

#include <windows.h>

/* Opens the device for requests; on failure prints why and returns INVALID_HANDLE_VALUE with
 * the exit code in *rc. */
HANDLE ctl_open_device(const WCHAR *path, int *rc);

/* One synchronous request through NtDeviceIoControlFile: returns the driver's NTSTATUS and, in
 * *returned, the byte count it reported. */
LONG ctl_ioctl(HANDLE device, DWORD code, const void *input, DWORD input_length, void *output,
               DWORD output_length, DWORD *returned);

int ctl_version(const WCHAR *device_path);
int ctl_echo(const WCHAR *device_path, const char *text);

#endif
