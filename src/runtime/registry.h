/* Values under the driver's service key (HKLM\SYSTEM\CurrentControlSet\Services\<name>). */
#ifndef MINWDM_REGISTRY_H
#define MINWDM_REGISTRY_H

#include <ntddk.h>

/* Reads the REG_DWORD value `name` into *value, which keeps its value when the setting is absent
 * or of another type. PASSIVE_LEVEL, DriverEntry only (INIT code). */
void registry_read_dword(PUNICODE_STRING key_path, PCWSTR name, ULONG *value);

/* Writes the value `name` in the key's MINWDM_SAVED_SUBKEY, private to SYSTEM and Administrators
 * (<minwdm/control.h>). PASSIVE_LEVEL. Best effort: failures are ignored, and nothing is written
 * where the DACL could not be set. */
void registry_write(PUNICODE_STRING key_path, PCWSTR name, ULONG type, const void *data,
                    ULONG size);

#endif
