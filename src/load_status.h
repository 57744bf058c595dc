/* DriverEntry's outcome, kept under the service key for minwdmctl. */
#ifndef MINWDM_LOAD_STATUS_H
#define MINWDM_LOAD_STATUS_H

#include <ntddk.h>

#include <minwdm/ioctl.h>

/* Writes DriverEntry's failing status to the DriverEntryStatus value of the driver's service key,
 * for minwdmctl: the SCM passes on only its Win32 translation. minwdmctl clears the value before
 * each start. Best effort. */
void record_load_status(PUNICODE_STRING registry_path, NTSTATUS status);

#endif
