/*
 * What the WDK's wdmsec.lib gives a driver, and mingw-w64 has only the declarations of
 * (<wdmsec.h>): IoCreateDeviceSecure (a macro for WdmlibIoCreateDeviceSecure), the SDDL_DEVOBJ_*
 * strings, RtlInitUnicodeStringEx. The descriptor is built by the kit's own SDDL reader
 * (core/device_security.c) and applied the way minwdm applies its own (device_access.c): Wine's
 * IoCreateDeviceSecure ignores the SDDL, and ObSetSecurityObjectByPointer is a stub there.
 */
#include <ntddk.h>

#include <wdmsec.h>

#include "core/device_security.h"
#include <minwdm/device_access.h>

#define SDDL(name, text) const UNICODE_STRING name = RTL_CONSTANT_STRING(text)

SDDL(SDDL_DEVOBJ_KERNEL_ONLY, L"D:P");
SDDL(SDDL_DEVOBJ_SYS_ALL, L"D:P(A;;GA;;;SY)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_ALL, L"D:P(A;;GA;;;SY)(A;;GA;;;BA)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RX, L"D:P(A;;GA;;;SY)(A;;GRGX;;;BA)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R, L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_R_RES_R,
     L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GR;;;WD)(A;;GR;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R,
     L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGW;;;WD)(A;;GR;;;RC)");
SDDL(SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RWX_RES_RWX,
     L"D:P(A;;GA;;;SY)(A;;GRGWGX;;;BA)(A;;GRGWGX;;;WD)(A;;GRGWGX;;;RC)");

/*
 * IoCreateDevice, then the DACL the SDDL string stands for. A string outside the subset
 * (core/device_security.h) is refused with STATUS_INVALID_PARAMETER before any device exists: a
 * device is never created more open than asked. DeviceClassGuid names where Windows looks for
 * an administrator's override of the class's security (the class key's Security value); the kit
 * does not read it: the SDDL string is what the device gets. PASSIVE_LEVEL.
 */
MINWDM_PAGED_CODE NTSTATUS WdmlibIoCreateDeviceSecure(
    PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
    DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
    PCUNICODE_STRING DefaultSDDLString, LPCGUID DeviceClassGuid, PDEVICE_OBJECT *DeviceObject)
{
    uint64_t storage[(DEVICE_SECURITY_DESCRIPTOR_MAX + 7) / sizeof(uint64_t)]; /* aligned */
    PDEVICE_OBJECT device;
    NTSTATUS status;

    (void)DeviceClassGuid;
    if (!DeviceObject)
        return STATUS_INVALID_PARAMETER;
    *DeviceObject = NULL;
    if (!DefaultSDDLString || !device_security_from_sddl((const uint16_t *)DefaultSDDLString->Buffer,
                                                         DefaultSDDLString->Length / sizeof(WCHAR),
                                                         (uint8_t *)storage, sizeof(storage)))
        return STATUS_INVALID_PARAMETER;
    status = IoCreateDevice(DriverObject, DeviceExtensionSize, DeviceName, DeviceType,
                            DeviceCharacteristics, Exclusive, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = device_set_security(device, storage);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    *DeviceObject = device;
    return STATUS_SUCCESS;
}

NTSTATUS WdmlibRtlInitUnicodeStringEx(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    size_t count = 0;

    DestinationString->Buffer = (PWSTR)SourceString;
    DestinationString->Length = DestinationString->MaximumLength = 0;
    if (!SourceString)
        return STATUS_SUCCESS;
    while (SourceString[count])
        if (++count > (MAXUSHORT - sizeof(WCHAR)) / sizeof(WCHAR))
            return STATUS_NAME_TOO_LONG;
    DestinationString->Length = (USHORT)(count * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)(DestinationString->Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}
