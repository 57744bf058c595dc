#include "registry.h"

#include <minwdm/wdm_compat.h>

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

MINWDM_PAGED_CODE void registry_write(PUNICODE_STRING key_path, PCWSTR name, ULONG type,
                                      const void *data, ULONG size)
{
    UNICODE_STRING value_name;
    HANDLE key;

    RtlInitUnicodeString(&value_name, name);
    if (!NT_SUCCESS(open_key(key_path, KEY_SET_VALUE, &key)))
        return;
    ZwSetValueKey(key, &value_name, 0, type, (PVOID)data, size);
    ZwClose(key);
}
