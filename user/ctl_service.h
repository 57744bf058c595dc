/*
 * A kernel driver's service, through the Service Control Manager. Nothing here prints: each call
 * says what it found and did in a struct ctl_result, so that minwdmctl and tests share it. Every
 * operation can run twice: the second run reports that there was nothing to do.
 */
#ifndef MINWDMCTL_SERVICE_H
#define MINWDMCTL_SERVICE_H

#include <windows.h>

#define CTL_PATH_MAX 1024
/* A load-order group name, with its NUL: what minwdmctl accepts. */
#define CTL_GROUP_MAX 257

enum ctl_outcome {
    CTL_FAILED,
    CTL_INSTALLED,
    CTL_ALREADY_INSTALLED,
    CTL_UPDATED, /* installed already, with another image path or start type: changed */
    CTL_STARTED,
    CTL_ALREADY_RUNNING,
    CTL_STOPPED,
    CTL_NOT_RUNNING,
    CTL_REMOVED,
    CTL_NOT_INSTALLED,
    CTL_DELETE_PENDING, /* marked for deletion already; goes when its last handle closes */
};

struct ctl_result {
    enum ctl_outcome outcome;
    const char *call;   /* CTL_FAILED: the API that failed ("StartService"), or what was being
                           done with %s for the service name ("waiting for %s to start") */
    DWORD error;        /* CTL_FAILED: its Win32 error */
    LONG driver_status; /* a failed start: DriverEntry's NTSTATUS, when the driver recorded it */
    BOOL has_driver_status;
    BOOL stopped_first;                /* remove stopped a running driver first */
    BOOL host_crashed;   /* stop, remove, start: the driver's host had died (Wine: ctl_host.h);
                            it was taken for stopped */
    DWORD stale_names;   /* and this many names it left in \?? were deleted */
    BOOL start_sent;     /* start: StartService was called (a failure after it is the driver's) */
    BOOL crashed_in_start; /* start failed: the driver's host died during it (Wine: ctl_host.h),
                              its names in \?? deleted (stale_names) */
    WCHAR previous_path[CTL_PATH_MAX]; /* CTL_UPDATED: the image path before */
    DWORD previous_start_type;         /* CTL_UPDATED: the start type before */
    WCHAR previous_group[CTL_GROUP_MAX]; /* CTL_UPDATED, CTL_ALREADY_INSTALLED: the load-order
                                            group before ("" for none) */
};

struct ctl_service_info {
    DWORD state;             /* SERVICE_STOPPED, SERVICE_RUNNING, ... */
    DWORD start_type;        /* SERVICE_DEMAND_START, ... */
    DWORD controls_accepted; /* SERVICE_ACCEPT_STOP when the driver can unload */
    DWORD win32_exit_code;
    DWORD service_exit_code;
    WCHAR image_path[CTL_PATH_MAX];
    WCHAR group[CTL_GROUP_MAX]; /* load-order group, "" for none */
};

/* The absolute form of path into absolute[CTL_PATH_MAX] (the SCM would resolve a relative one
 * against the system root): ERROR_SUCCESS or the Win32 error. */
DWORD ctl_absolute_path(const WCHAR *path, WCHAR *absolute);

BOOL ctl_service_install(const WCHAR *name, const WCHAR *absolute_path, DWORD start_type,
                         struct ctl_result *result);
/* The same, with the service's load-order group (1 to CTL_GROUP_MAX - 1 characters): NULL keeps
 * what the service has (none for a new one). Under Wine, the drivers of one group share one
 * driver host (winedevice.exe); each driver without a group has a host of its own. */
BOOL ctl_service_install_in_group(const WCHAR *name, const WCHAR *absolute_path,
                                  DWORD start_type, const WCHAR *group,
                                  struct ctl_result *result);
/* Clears what a minwdm driver left from its last start (its DriverEntry status and saved log),
 * so that after a failure what is there is this start's. Stop, remove and start take a driver
 * whose host crashed (ctl_host.h) for stopped, and delete the names it left behind first. */
BOOL ctl_service_start(const WCHAR *name, DWORD timeout_ms, struct ctl_result *result);
BOOL ctl_service_stop(const WCHAR *name, DWORD timeout_ms, struct ctl_result *result);
BOOL ctl_service_remove(const WCHAR *name, DWORD timeout_ms, struct ctl_result *result);
/* FALSE with ERROR_SERVICE_DOES_NOT_EXIST when the service is not installed. */
BOOL ctl_service_query(const WCHAR *name, struct ctl_service_info *info,
                       struct ctl_result *result);

/* The service's registry key (HKLM\SYSTEM\CurrentControlSet\Services\<name>), or NULL. */
HKEY ctl_service_key(const WCHAR *name, REGSAM access);

/* The runtime's private saved key of the service (MINWDM_SAVED_SUBKEY: the log, the unload
 * report, DriverEntry's status), or NULL. */
HKEY ctl_saved_key(const WCHAR *name, REGSAM access);

const char *ctl_state_name(DWORD state);
const char *ctl_start_type_name(DWORD start_type);

#endif
