/*
 * Whether a driver's host process under Wine has crashed, judged from what the service manager
 * and the process list show. Portable C (no Windows header), so that the host tests cover every
 * Wine version's shape, including those of a Wine that is not installed here.
 *
 * What the service manager shows after a host dies depends on the Wine version:
 *   - Wine 8: nothing changes: the service stays RUNNING, and no winedevice.exe has its image.
 *   - Wine 10: the service is STOPPED with win32 exit code 1067 (ERROR_PROCESS_ABORTED: "the
 *     process terminated unexpectedly"), as services.exe marks every service of a process that
 *     ended without stopping them.
 * Both are recognised, whatever the version: the rule reads the shape, not a version number.
 */
#ifndef MINWDMCTL_HOST_RULE_H
#define MINWDMCTL_HOST_RULE_H

#include <stdint.h>

enum ctl_host_state {
    CTL_HOST_UNKNOWN, /* not under Wine, or the service is not running or not installed */
    CTL_HOST_ALIVE,   /* a winedevice.exe has the driver's image loaded */
    CTL_HOST_CRASHED, /* the host died: RUNNING without a host (Wine 8), or STOPPED with 1067 */
};

/* The service states and the exit code the rule reads, as winsvc.h and winerror.h define them. */
enum {
    CTL_SERVICE_STOPPED = 1,
    CTL_SERVICE_STOP_PENDING = 3,
    CTL_SERVICE_RUNNING = 4,
    CTL_ERROR_PROCESS_ABORTED = 1067,
    CTL_ERROR_SERVICE_REQUEST_TIMEOUT = 1053,
};

struct ctl_host_facts {
    int under_wine;           /* ntdll exports wine_get_version */
    uint32_t service_state;   /* SERVICE_STATUS.dwCurrentState */
    uint32_t win32_exit_code; /* SERVICE_STATUS.dwWin32ExitCode */
    uint32_t host_pid;        /* the winedevice.exe that has the image loaded, or 0 */
};

/* Whether the host needs looking for: the service runs (or is stopping) under Wine. */
int ctl_host_needs_lookup(const struct ctl_host_facts *facts);

enum ctl_host_state ctl_host_judge(const struct ctl_host_facts *facts);

/* A start that failed with start_error (StartService's, or the wait's): whether the driver's
 * host died during it (DriverEntry faulted, or bug-checked), from facts read after the failure.
 * Wine's services.exe answers 1053 at once when the host dies before the driver reports running
 * (Wine 10 may say 1067): with no winedevice.exe holding the image, that is a crash, not a
 * DriverEntry that is still running. */
int ctl_host_crashed_in_start(const struct ctl_host_facts *facts, uint32_t start_error);

#endif
