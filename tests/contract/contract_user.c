/* include/minwdm/ioctl.h in user mode, after windows.h and winioctl.h: same codes as the SDK's
 * CTL_CODE. A mismatch fails the build. */
#include <windows.h>
#include <winioctl.h>

#include "contract_checks.h"

const char contract_user_path[] = MINWDM_DEVICE_PATH;
const WCHAR contract_user_path_w[] = MINWDM_DEVICE_PATH_W;
