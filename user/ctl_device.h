/* The driver's device: open it and send requests, keeping the driver's exact NTSTATUS. Nothing
 * here prints. */
#ifndef MINWDMCTL_DEVICE_H
#define MINWDMCTL_DEVICE_H

#include <minwdm/ioctl.h>
#include <windows.h>

/* INVALID_HANDLE_VALUE with the Win32 error in *error when the device cannot be opened. */
HANDLE ctl_device_open(const WCHAR *path, DWORD *error);

/* One synchronous request through NtDeviceIoControlFile: returns the driver's NTSTATUS and, in
 * *returned, the byte count it reported (0 on failure). */
LONG ctl_device_request(HANDLE device, DWORD code, const void *input, DWORD input_length,
                        void *output, DWORD output_length, DWORD *returned);

/* A request without input whose answer must fill output exactly: the driver's NTSTATUS, or
 * STATUS_INFO_LENGTH_MISMATCH for an answer of another size. */
LONG ctl_device_query(HANDLE device, DWORD code, void *output, DWORD output_length);

/* IOCTL_MINWDM_GET_VERSION, with the build id NUL-terminated. */
LONG ctl_device_version(HANDLE device, struct minwdm_version *version);

#endif
