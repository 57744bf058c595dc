/* include/minwdm/ioctl.h in user mode, after windows.h and winioctl.h: same codes as the SDK's
 * CTL_CODE. A mismatch fails the build. */
#include <windows.h>
#include <winioctl.h>

#include <minwdm/ioctl.h>

_Static_assert(IOCTL_MINWDM_GET_VERSION ==
                   CTL_CODE(MINWDM_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS),
               "GET_VERSION code");
_Static_assert(IOCTL_MINWDM_ECHO ==
                   CTL_CODE(MINWDM_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS),
               "ECHO code");
_Static_assert(sizeof(struct minwdm_version) == 60, "version layout");

const char contract_user_path[] = MINWDM_DEVICE_PATH;
const WCHAR contract_user_path_w[] = MINWDM_DEVICE_PATH_W;
