/* include/minwdm/ioctl.h in kernel mode, after the DDK: its codes equal the DDK's CTL_CODE, and the
 * compat header's declarations have the WDK's values. A mismatch fails the build. */
#include <ntddk.h>

#include "contract_checks.h"

/* minwdm/wdm_compat.h, brought in by <ntddk.h> through the toolchain's <wdm.h>. */
_Static_assert(POOL_FLAG_NON_PAGED == 0x40 && POOL_FLAG_PAGED == 0x100 &&
                   POOL_FLAG_UNINITIALIZED == 0x2 && POOL_FLAG_CACHE_ALIGNED == 0x8 &&
                   POOL_FLAG_NON_PAGED_EXECUTE == 0x80,
               "POOL_FLAG values of the WDK");
_Static_assert(sizeof(POOL_FLAGS) == 8, "POOL_FLAGS is 64-bit");
_Static_assert(MdlMappingNoExecute == 0x40000000 && MdlMappingNoWrite == 0x80000000,
               "MdlMapping flags of the WDK");
_Static_assert(NonPagedPoolNx == 512, "NonPagedPoolNx");

/* SAL role annotations compile away. */
_Dispatch_type_(IRP_MJ_CREATE) _IRQL_requires_max_(PASSIVE_LEVEL) DRIVER_DISPATCH contract_dispatch;

MINWDM_PAGED_CODE _Use_decl_annotations_ NTSTATUS contract_dispatch(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    (void)irp;
    return STATUS_NOT_IMPLEMENTED;
}
