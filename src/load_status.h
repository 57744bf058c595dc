/* DriverEntry's outcome, kept under the service key for minwdmctl. */
#ifndef MINWDM_LOAD_STATUS_H
#define MINWDM_LOAD_STATUS_H

#include <ntddk.h>

#include <minwdm/ioctl.h>

/* Writes a failing status to the DriverEntryStatus value of the driver's service key (the SCM
 * passes on only its Win32 translation), or deletes the value on success. Best effort. */
void record_load_status(PUNICODE_STRING registry_path, NTSTATUS status);

#endif
