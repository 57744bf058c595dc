/* The requests of wdk_ioctl.sys (tests/drivers/wdk/wdk_ioctl.c), as tests/wine/wdk.sh sends them. */
#ifndef WDK_IOCTL_H
#define WDK_IOCTL_H

#define WDK_IOCTL_TYPE 40000u/* 0x9C40: a vendor device type, as the WDK's samples use */
#define IOCTL_WDK_BUFFERED CTL_CODE(WDK_IOCTL_TYPE, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_WDK_IN_DIRECT CTL_CODE(WDK_IOCTL_TYPE, 0x901, METHOD_IN_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_WDK_OUT_DIRECT CTL_CODE(WDK_IOCTL_TYPE, 0x902, METHOD_OUT_DIRECT, FILE_ANY_ACCESS)
#define IOCTL_WDK_NEITHER CTL_CODE(WDK_IOCTL_TYPE, 0x903, METHOD_NEITHER, FILE_ANY_ACCESS)
/* Runs the structured exception handling checks: output three ULONGs, the exception code the
 * except filter saw, how many finally blocks ran, the code the except block itself read. */
#define IOCTL_WDK_SEH CTL_CODE(WDK_IOCTL_TYPE, 0x904, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define WDK_IOCTL_MAX_INPUT 256

#endif
