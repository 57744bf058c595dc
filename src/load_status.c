#include "load_status.h"

MINWDM_INIT_CODE void record_load_status(PUNICODE_STRING registry_path, NTSTATUS status)
{
    UNICODE_STRING value = RTL_CONSTANT_STRING(MINWDM_LOAD_STATUS_VALUE);
    OBJECT_ATTRIBUTES attributes;
    HANDLE key;
    ULONG data = (ULONG)status;

    InitializeObjectAttributes(&attributes, registry_path, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE,
                               NULL, NULL);
    if (!NT_SUCCESS(ZwOpenKey(&key, KEY_SET_VALUE, &attributes)))
        return;
    ZwSetValueKey(key, &value, 0, REG_DWORD, &data, sizeof(data));
    ZwClose(key);
}
