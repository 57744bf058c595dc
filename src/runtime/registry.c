#include "registry.h"

#include <minwdm/control.h>
#include <minwdm/wdm_compat.h>

#include "core/device_security.h"

/* <ntifs.h>'s, which the runtime does not include (its file-system declarations clash with
 * nothing here, but pull in far more than this one call). */
NTSYSAPI NTSTATUS NTAPI ZwSetSecurityObject(HANDLE handle, SECURITY_INFORMATION information,
                                            PSECURITY_DESCRIPTOR descriptor);

MINWDM_PAGED_CODE static NTSTATUS open_key(PUNICODE_STRING key_path, ACCESS_MASK access,
                                           HANDLE *key)
{
    OBJECT_ATTRIBUTES attributes;

    InitializeObjectAttributes(&attributes, key_path, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE,
                               NULL, NULL);
    return ZwOpenKey(key, access, &attributes);
}

MINWDM_INIT_CODE void registry_read_dword(PUNICODE_STRING key_path, PCWSTR name, ULONG *value)
{
    /* KEY_VALUE_PARTIAL_INFORMATION followed by room for a DWORD. */
    union {
        KEY_VALUE_PARTIAL_INFORMATION info;
        UCHAR bytes[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    } buffer;
    UNICODE_STRING value_name;
    HANDLE key;
    ULONG length;

    RtlInitUnicodeString(&value_name, name);
    if (!NT_SUCCESS(open_key(key_path, KEY_QUERY_VALUE, &key)))
        return;
    if (NT_SUCCESS(ZwQueryValueKey(key, &value_name, KeyValuePartialInformation, &buffer,
                                   sizeof(buffer), &length)) &&
        buffer.info.Type == REG_DWORD && buffer.info.DataLength == sizeof(ULONG))
        RtlCopyMemory(value, buffer.info.Data, sizeof(ULONG));
    ZwClose(key);
}

/* The service key's MINWDM_SAVED_SUBKEY, created if need be, its DACL set to SYSTEM and
 * Administrators only whether it was just made or found (an older one may have inherited
 * Users' read access). */
MINWDM_PAGED_CODE static NTSTATUS open_saved_key(PUNICODE_STRING key_path, HANDLE *saved)
{
    static const WCHAR sddl[] = MINWDM_SAVED_SDDL;
    uint64_t storage[(DEVICE_SECURITY_DESCRIPTOR_MAX + 7) / sizeof(uint64_t)]; /* aligned */
    UNICODE_STRING subkey = RTL_CONSTANT_STRING(MINWDM_SAVED_SUBKEY);
    OBJECT_ATTRIBUTES attributes;
    HANDLE service;
    NTSTATUS status;

    if (!device_security_from_sddl((const uint16_t *)sddl, sizeof(sddl) / sizeof(WCHAR) - 1,
                                   (uint8_t *)storage, sizeof(storage)))
        return STATUS_INTERNAL_ERROR;
    status = open_key(key_path, KEY_CREATE_SUB_KEY, &service);
    if (!NT_SUCCESS(status))
        return status;
    InitializeObjectAttributes(&attributes, &subkey, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE,
                               service, storage);
    status = ZwCreateKey(saved, KEY_SET_VALUE | WRITE_DAC, &attributes, 0, NULL,
                         REG_OPTION_NON_VOLATILE, NULL);
    ZwClose(service);
    if (!NT_SUCCESS(status))
        return status;
    status = ZwSetSecurityObject(*saved, DACL_SECURITY_INFORMATION, storage);
    if (!NT_SUCCESS(status)) { /* never leave a value where others may read it */
        ZwClose(*saved);
        return status;
    }
    return STATUS_SUCCESS;
}

MINWDM_PAGED_CODE void registry_write(PUNICODE_STRING key_path, PCWSTR name, ULONG type,
                                      const void *data, ULONG size)
{
    UNICODE_STRING value_name;
    HANDLE key;

    RtlInitUnicodeString(&value_name, name);
    if (!NT_SUCCESS(open_saved_key(key_path, &key)))
        return;
    ZwSetValueKey(key, &value_name, 0, type, (PVOID)data, size);
    ZwClose(key);
}
