/* Who may open a device: a security descriptor from an SDDL string (core/device_security.h). */
#ifndef MINWDM_DEVICE_ACCESS_H
#define MINWDM_DEVICE_ACCESS_H

#include <ntddk.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Gives the device object minwdm's security descriptor: a protected DACL allowing SYSTEM and
 * BUILTIN\Administrators, nobody else. The object manager then refuses any other caller before
 * IRP_MJ_CREATE reaches the driver, as IoCreateDeviceSecure with SDDL_DEVOBJ_SYS_ALL_ADM_ALL
 * does. Create the device with FILE_DEVICE_SECURE_OPEN, so that \Device\<name>\anything is
 * checked the same way, and apply this before the device has a DOS name. PASSIVE_LEVEL.
 */
NTSTATUS device_restrict_to_admins(PDEVICE_OBJECT device);

/*
 * The same with the descriptor an SDDL string of IoCreateDeviceSecure's subset stands for ("D:P"
 * and "(A;;<access>;;;<sid>)" entries, core/device_security.h): STATUS_INVALID_PARAMETER for a
 * string outside it, and the device keeps its descriptor. PASSIVE_LEVEL. (IoCreateDeviceSecure
 * itself, as <wdmsec.h> declares it, is in the kit's compat library, which every driver links.)
 */
NTSTATUS device_apply_sddl(PDEVICE_OBJECT device, PCUNICODE_STRING sddl);

/* Applies a self-relative security descriptor's DACL to the device. PASSIVE_LEVEL. */
NTSTATUS device_set_security(PDEVICE_OBJECT device, const void *descriptor);

#ifdef __cplusplus
}
#endif

#endif
