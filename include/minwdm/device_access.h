/* Who may open a device: SYSTEM and Administrators (core/device_security.h). */
#ifndef MINWDM_DEVICE_ACCESS_H
#define MINWDM_DEVICE_ACCESS_H

#include <ntddk.h>

/*
 * Gives the device object minwdm's security descriptor: a protected DACL allowing SYSTEM and
 * BUILTIN\Administrators, nobody else. The object manager then refuses any other caller before
 * IRP_MJ_CREATE reaches the driver, as IoCreateDeviceSecure with SDDL_DEVOBJ_SYS_ALL_ADM_ALL
 * would (mingw-w64 has no IoCreateDeviceSecure). Create the device with FILE_DEVICE_SECURE_OPEN,
 * so that \Device\<name>\anything is checked the same way, and apply this before the device has
 * a DOS name. PASSIVE_LEVEL.
 */
NTSTATUS device_restrict_to_admins(PDEVICE_OBJECT device);

#endif
