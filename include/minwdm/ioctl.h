/*
 * minwdm's device contract: the names, I/O control codes and request/response layouts shared by
 * the driver and every user-mode client. It compiles on its own in kernel mode (DDK headers), in
 * user mode (windows.h + winioctl.h) and on any host C11 compiler, so clients and tests need
 * nothing else.
 *
 * Stability rules: codes and struct layouts never change meaning; a new request takes a new
 * function number; any change a client can observe bumps MINWDM_ABI_VERSION.
 *
 * Every code uses METHOD_BUFFERED: the I/O manager copies the caller's buffers into one system
 * buffer before the driver runs and copies back only the `Information` bytes the driver reports.
 * The driver never touches user addresses, so a malicious or racing caller cannot fault it or
 * change data after validation, and no byte it did not write reaches user mode. Requests here are
 * small; the copy costs less than the probing and locking the other methods would need.
 */
#ifndef MINWDM_IOCTL_H
#define MINWDM_IOCTL_H

#include <stdint.h>

/* Version of this contract. 1: GET_VERSION and ECHO. */
#define MINWDM_ABI_VERSION 1u

/* Names. User mode opens MINWDM_DEVICE_PATH; the driver creates the other two. */
#define MINWDM_DEVICE_PATH "\\\\.\\minwdm"
#define MINWDM_DEVICE_PATH_W L"\\\\.\\minwdm"
#define MINWDM_NT_DEVICE_NAME L"\\Device\\minwdm"
#define MINWDM_DOS_DEVICE_NAME L"\\DosDevices\\minwdm"
#define MINWDM_SERVICE_NAME "minwdm"

/* When DriverEntry fails, the driver leaves its NTSTATUS in this REG_DWORD value of its service
 * key (HKLM\SYSTEM\CurrentControlSet\Services\<name>): the SCM reports only a Win32 translation. */
#define MINWDM_LOAD_STATUS_VALUE L"DriverEntryStatus"

/* Device type from the vendor range (0x8000-0xFFFF): Windows and Wine leave it to the driver. */
#define MINWDM_DEVICE_TYPE 0x8157u

/* Same layout as the SDK's CTL_CODE(), spelled out so that this header needs no Windows header. */
#define MINWDM_METHOD_BUFFERED 0u
#define MINWDM_FILE_ANY_ACCESS 0u
#define MINWDM_FILE_READ_ACCESS 1u
#define MINWDM_FILE_WRITE_ACCESS 2u
#define MINWDM_CTL_CODE(function, access)                                                    \
    ((uint32_t)((MINWDM_DEVICE_TYPE << 16) | ((uint32_t)(access) << 14) |                    \
                ((uint32_t)(function) << 2) | MINWDM_METHOD_BUFFERED))
#define MINWDM_CTL_FUNCTION(code) (((uint32_t)(code) >> 2) & 0xFFFu)
#define MINWDM_CTL_DEVICE_TYPE(code) ((uint32_t)(code) >> 16)

/*
 * IOCTL_MINWDM_GET_VERSION: output is struct minwdm_version.
 * Output smaller than the struct: STATUS_BUFFER_TOO_SMALL (Win32 error 122), nothing copied.
 * Input is reserved: any input byte fails with STATUS_INVALID_PARAMETER (Win32 error 87).
 */
#define IOCTL_MINWDM_GET_VERSION MINWDM_CTL_CODE(0x800, MINWDM_FILE_READ_ACCESS)

/*
 * IOCTL_MINWDM_ECHO: the output is the input, byte for byte.
 * Input longer than MINWDM_ECHO_MAX: STATUS_INVALID_PARAMETER (Win32 error 87).
 * Output smaller than the input: STATUS_BUFFER_TOO_SMALL (Win32 error 122), nothing copied.
 * Zero input bytes succeed with zero output bytes.
 */
#define IOCTL_MINWDM_ECHO MINWDM_CTL_CODE(0x801, MINWDM_FILE_READ_ACCESS)
#define MINWDM_ECHO_MAX 4096u

/* Any other code: STATUS_INVALID_DEVICE_REQUEST (Win32 error 1). */

#define MINWDM_BUILD_ID_SIZE 48u

struct minwdm_version {
    uint32_t abi_version;  /* MINWDM_ABI_VERSION the driver was built with */
    uint16_t driver_major; /* the driver's release version */
    uint16_t driver_minor;
    uint16_t driver_patch;
    uint16_t reserved;                   /* zero */
    char build_id[MINWDM_BUILD_ID_SIZE]; /* NUL-terminated: source revision and compiler */
};

#ifdef __cplusplus
#define MINWDM_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define MINWDM_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_version) == 60, "struct minwdm_version is ABI");

#endif /* MINWDM_IOCTL_H */
