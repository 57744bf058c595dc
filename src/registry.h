/* Settings under the driver's service key (HKLM\SYSTEM\CurrentControlSet\Services\<name>). */
#ifndef MINWDM_REGISTRY_H
#define MINWDM_REGISTRY_H

#include <ntddk.h>

/* Reads the REG_DWORD value `name` into *value, which keeps its value when the setting is absent
 * or of another type. PASSIVE_LEVEL, DriverEntry only (INIT code). */
void registry_read_dword(PUNICODE_STRING registry_path, PCWSTR name, ULONG *value);

#endif
