#include <ntifs.h>

#include "core/device_security.h"
#include <minwdm/device_access.h>

/* Through a kernel handle to the device: ObSetSecurityObjectByPointer would do it directly, but
 * Wine 8 does not implement it (a call would end the driver's host there). */
MINWDM_INIT_CODE NTSTATUS device_restrict_to_admins(PDEVICE_OBJECT device)
{
    uint64_t storage[DEVICE_SECURITY_DESCRIPTOR_MAX / sizeof(uint64_t)]; /* aligned */
    HANDLE handle;
    NTSTATUS status;

    if (!device_security_descriptor((uint8_t *)storage, sizeof(storage)))
        return STATUS_INTERNAL_ERROR;
    status = ObOpenObjectByPointer(device, OBJ_KERNEL_HANDLE, NULL, WRITE_DAC, NULL, KernelMode,
                                   &handle);
    if (!NT_SUCCESS(status))
        return status;
    status = ZwSetSecurityObject(handle, DACL_SECURITY_INFORMATION, storage);
    ZwClose(handle);
    return status;
}
