#include <ntifs.h>

#include "core/device_security.h"
#include <minwdm/device_access.h>

/* Through a kernel handle to the device: ObSetSecurityObjectByPointer would do it directly, but
 * Wine 8 does not implement it (a call would end the driver's host there). */
MINWDM_PAGED_CODE NTSTATUS device_set_security(PDEVICE_OBJECT device, const void *descriptor)
{
    HANDLE handle;
    NTSTATUS status;

    status = ObOpenObjectByPointer(device, OBJ_KERNEL_HANDLE, NULL, WRITE_DAC, NULL, KernelMode,
                                   &handle);
    if (!NT_SUCCESS(status))
        return status;
    status = ZwSetSecurityObject(handle, DACL_SECURITY_INFORMATION, (PSECURITY_DESCRIPTOR)descriptor);
    ZwClose(handle);
    return status;
}

MINWDM_PAGED_CODE NTSTATUS device_apply_sddl(PDEVICE_OBJECT device, PCUNICODE_STRING sddl)
{
    uint64_t storage[(DEVICE_SECURITY_DESCRIPTOR_MAX + 7) / sizeof(uint64_t)]; /* aligned */

    if (!sddl || !device_security_from_sddl((const uint16_t *)sddl->Buffer,
                                            sddl->Length / sizeof(WCHAR), (uint8_t *)storage,
                                            sizeof(storage)))
        return STATUS_INVALID_PARAMETER;
    return device_set_security(device, storage);
}

MINWDM_INIT_CODE NTSTATUS device_restrict_to_admins(PDEVICE_OBJECT device)
{
    uint64_t storage[(DEVICE_SECURITY_DESCRIPTOR_MAX + 7) / sizeof(uint64_t)]; /* aligned */

    if (!device_security_descriptor((uint8_t *)storage, sizeof(storage)))
        return STATUS_INTERNAL_ERROR;
    return device_set_security(device, storage);
}
