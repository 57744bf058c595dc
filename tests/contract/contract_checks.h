/* The contract checks shared by the kernel-mode and user-mode compile checks: after the platform's
 * own headers, include/minwdm/ioctl.h must agree with the platform's CTL_CODE. */
#include <minwdm/ioctl.h>

_Static_assert(IOCTL_MINWDM_GET_VERSION ==
                   CTL_CODE(MINWDM_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS),
               "GET_VERSION code");
_Static_assert(IOCTL_MINWDM_ECHO ==
                   CTL_CODE(MINWDM_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS),
               "ECHO code");
_Static_assert(IOCTL_MINWDM_GET_STATS ==
                   CTL_CODE(MINWDM_DEVICE_TYPE, 0x802, METHOD_BUFFERED, FILE_READ_ACCESS),
               "GET_STATS code");
_Static_assert(IOCTL_MINWDM_SELFTEST == CTL_CODE(MINWDM_DEVICE_TYPE, 0x803, METHOD_BUFFERED,
                                                 FILE_READ_ACCESS | FILE_WRITE_ACCESS),
               "SELFTEST code");
_Static_assert(IOCTL_MINWDM_FAIL_ALLOC ==
                   CTL_CODE(MINWDM_DEVICE_TYPE, 0x804, METHOD_BUFFERED, FILE_WRITE_ACCESS),
               "FAIL_ALLOC code");
_Static_assert(IOCTL_MINWDM_BENCH == CTL_CODE(MINWDM_DEVICE_TYPE, 0x805, METHOD_BUFFERED,
                                              FILE_READ_ACCESS | FILE_WRITE_ACCESS),
               "BENCH code");
_Static_assert(MINWDM_FILE_READ_ACCESS == FILE_READ_ACCESS, "access bits");
_Static_assert(MINWDM_FILE_WRITE_ACCESS == FILE_WRITE_ACCESS, "access bits");
_Static_assert(MINWDM_FILE_ANY_ACCESS == FILE_ANY_ACCESS, "access bits");
_Static_assert(MINWDM_METHOD_BUFFERED == METHOD_BUFFERED, "method");
_Static_assert(sizeof(struct minwdm_version) == 60, "version layout");
