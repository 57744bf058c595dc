#include "registry.h"

#include <minwdm/wdm_compat.h>

MINWDM_INIT_CODE void registry_read_dword(PUNICODE_STRING registry_path, PCWSTR name, ULONG *value)
{
    /* KEY_VALUE_PARTIAL_INFORMATION followed by room for a DWORD. */
    union {
        KEY_VALUE_PARTIAL_INFORMATION info;
        UCHAR bytes[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    } buffer;
    OBJECT_ATTRIBUTES attributes;
    UNICODE_STRING value_name;
    HANDLE key;
    ULONG length;

    RtlInitUnicodeString(&value_name, name);
    InitializeObjectAttributes(&attributes, registry_path, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE,
                               NULL, NULL);
    if (!NT_SUCCESS(ZwOpenKey(&key, KEY_QUERY_VALUE, &attributes)))
        return;
    if (NT_SUCCESS(ZwQueryValueKey(key, &value_name, KeyValuePartialInformation, &buffer,
                                   sizeof(buffer), &length)) &&
        buffer.info.Type == REG_DWORD && buffer.info.DataLength == sizeof(ULONG))
        RtlCopyMemory(value, buffer.info.Data, sizeof(ULONG));
    ZwClose(key);
}
