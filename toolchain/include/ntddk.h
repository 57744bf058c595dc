/* The DDK's <ntddk.h>, then the part of <minwdm/ddk_extra.h> that needs it complete (the
 * toolchain's <wdm.h> wrapper brought the rest, <ntddk.h> includes <wdm.h> first). <ntifs.h>
 * includes <ntddk.h>, so it comes through here too. */
#include_next <ntddk.h>

#ifndef MINWDM_NTDDK_COMPLETE
#define MINWDM_NTDDK_COMPLETE
#include <minwdm/ddk_extra.h>
#endif
