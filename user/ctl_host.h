/*
 * A driver's host process under Wine: winedevice.exe, which runs the drivers of a service (or of
 * a load-order group) and dies with any of them that faults. Windows has no such process (a
 * fault in a driver stops the machine), so there every answer is CTL_HOST_UNKNOWN. Nothing here
 * prints.
 *
 * What Wine 8's services.exe does when a host dies: nothing. (Wine 10 marks the service STOPPED
 * with exit code 1067: ctl_host_rule.h.) The service stays RUNNING (its
 * process id reads 0 for drivers, dead or alive); a first STOP fails with 232 (its control pipe
 * is closed) and marks it for a forced stop, every later STOP with 1061; StartService starts a
 * new host; DeleteService deletes it. The dead host's device objects are gone, but the names
 * its drivers linked to them in \?? stay (IoCreateSymbolicLink makes them permanent), so the
 * driver's next IoCreateSymbolicLink of the same name fails with STATUS_OBJECT_TYPE_MISMATCH
 * (0xC0000024) and its DriverEntry fails.
 */
#ifndef MINWDMCTL_HOST_H
#define MINWDMCTL_HOST_H

#include <windows.h>

#include "ctl_host_rule.h" /* enum ctl_host_state, and the shapes of a crash per Wine version */

/* TRUE when this process runs under Wine. */
BOOL ctl_under_wine(void);

/* Where the service's driver runs; *pid is its host's process id when alive (else 0). */
enum ctl_host_state ctl_host_state(const WCHAR *service, DWORD *pid);

/* After a start that failed with start_error: whether the driver's host died during it
 * (ctl_host_crashed_in_start); FALSE on Windows. */
BOOL ctl_host_crashed_in_start_of(const WCHAR *service, DWORD start_error);

/* After a crash: deletes the names in \?? that point at devices which are gone, so that the
 * driver can create them again. Returns how many were deleted. */
DWORD ctl_host_remove_stale_names(void);

#endif
