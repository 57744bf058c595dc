#include "ctl_service.h"

#include "ctl_host.h"

#include <minwdm/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum { POLL_MS = 10 }; /* how often start and stop look at the service state */

#ifndef ERROR_DIRECTORY_NOT_SUPPORTED /* missing in mingw-w64's winerror.h */
#define ERROR_DIRECTORY_NOT_SUPPORTED 336L
#endif

static const WCHAR services_key[] = L"SYSTEM\\CurrentControlSet\\Services\\";

static BOOL fail(struct ctl_result *result, const char *call, DWORD error)
{
    result->outcome = CTL_FAILED;
    result->call = call;
    result->error = error;
    return FALSE;
}

static BOOL done(struct ctl_result *result, enum ctl_outcome outcome)
{
    result->outcome = outcome;
    return TRUE;
}

static void clear(struct ctl_result *result)
{
    memset(result, 0, sizeof(*result));
}

const char *ctl_state_name(DWORD state)
{
    static const char *const names[] = {"UNKNOWN",       "STOPPED",          "START_PENDING",
                                        "STOP_PENDING",  "RUNNING",          "CONTINUE_PENDING",
                                        "PAUSE_PENDING", "PAUSED"};

    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "UNKNOWN";
}

const char *ctl_start_type_name(DWORD start_type)
{
    static const char *const names[] = {"boot", "system", "auto", "demand", "disabled"};

    return start_type < sizeof(names) / sizeof(names[0]) ? names[start_type] : "unknown";
}

DWORD ctl_absolute_path(const WCHAR *path, WCHAR *absolute)
{
    DWORD length = GetFullPathNameW(path, CTL_PATH_MAX, absolute, NULL);

    if (length == 0)
        return GetLastError();
    return length < CTL_PATH_MAX ? ERROR_SUCCESS : ERROR_FILENAME_EXCED_RANGE;
}

/* Opens the manager and the service; on failure both handles are closed and result says why. */
static SC_HANDLE open_service(const WCHAR *name, DWORD access, SC_HANDLE *manager,
                              struct ctl_result *result)
{
    SC_HANDLE service;

    *manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (!*manager) {
        fail(result, "OpenSCManager", GetLastError());
        return NULL;
    }
    service = OpenServiceW(*manager, name, access);
    if (!service) {
        fail(result, "OpenService", GetLastError());
        CloseServiceHandle(*manager);
        *manager = NULL;
    }
    return service;
}

static void close_service(SC_HANDLE service, SC_HANDLE manager)
{
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
}

static BOOL query_status(SC_HANDLE service, SERVICE_STATUS_PROCESS *status)
{
    DWORD needed;

    return QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)status, sizeof(*status),
                                &needed);
}

/* The service's configuration, malloc'd, or NULL with the error in *error. */
static QUERY_SERVICE_CONFIGW *query_config(SC_HANDLE service, DWORD *error)
{
    DWORD needed = 0;
    QUERY_SERVICE_CONFIGW *config = NULL;

    if (!QueryServiceConfigW(service, NULL, 0, &needed) &&
        GetLastError() == ERROR_INSUFFICIENT_BUFFER && (config = malloc(needed)) != NULL &&
        QueryServiceConfigW(service, config, needed, &needed))
        return config;
    *error = config ? GetLastError() : ERROR_NOT_ENOUGH_MEMORY;
    free(config);
    return NULL;
}

/* Windows may keep a driver's path in NT form (\??\C:\...); compare the DOS part. */
static const WCHAR *dos_path(const WCHAR *path)
{
    return wcsncmp(path, L"\\??\\", 4) == 0 ? path + 4 : path;
}

static const WCHAR *group_of(const QUERY_SERVICE_CONFIGW *config)
{
    return config->lpLoadOrderGroup ? config->lpLoadOrderGroup : L"";
}

/* Whether the configuration differs from what the install asks for. */
static BOOL config_differs(const QUERY_SERVICE_CONFIGW *config, const WCHAR *path,
                           DWORD start_type, const WCHAR *group)
{
    return _wcsicmp(dos_path(config->lpBinaryPathName), path) != 0 ||
           config->dwStartType != start_type || (group && wcscmp(group_of(config), group) != 0);
}

static BOOL update_config(SC_HANDLE manager, const WCHAR *name, const WCHAR *path,
                          DWORD start_type, const WCHAR *group, struct ctl_result *result)
{
    DWORD error = ERROR_SUCCESS;
    SC_HANDLE service = OpenServiceW(manager, name, SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG);
    QUERY_SERVICE_CONFIGW *config;
    BOOL ok;

    if (!service)
        return fail(result, "OpenService", GetLastError());
    config = query_config(service, &error);
    if (!config) {
        ok = fail(result, "QueryServiceConfig", error);
    } else if (!config_differs(config, path, start_type, group)) {
        wcsncpy(result->previous_group, group_of(config), CTL_GROUP_MAX - 1);
        ok = done(result, CTL_ALREADY_INSTALLED);
    } else if (!ChangeServiceConfigW(service, SERVICE_KERNEL_DRIVER, start_type, SERVICE_NO_CHANGE,
                                     path, group, NULL, NULL, NULL, NULL, NULL)) {
        ok = fail(result, "ChangeServiceConfig", GetLastError());
    } else {
        wcsncpy(result->previous_path, config->lpBinaryPathName, CTL_PATH_MAX - 1);
        wcsncpy(result->previous_group, group_of(config), CTL_GROUP_MAX - 1);
        result->previous_start_type = config->dwStartType;
        ok = done(result, CTL_UPDATED);
    }
    free(config);
    CloseServiceHandle(service);
    return ok;
}

BOOL ctl_service_install(const WCHAR *name, const WCHAR *absolute_path, DWORD start_type,
                         struct ctl_result *result)
{
    return ctl_service_install_in_group(name, absolute_path, start_type, NULL, result);
}

BOOL ctl_service_install_in_group(const WCHAR *name, const WCHAR *absolute_path,
                                  DWORD start_type, const WCHAR *group,
                                  struct ctl_result *result)
{
    SC_HANDLE manager, service;
    DWORD attributes = GetFileAttributesW(absolute_path);
    BOOL ok;

    clear(result);
    if (attributes == INVALID_FILE_ATTRIBUTES)
        return fail(result, "opening the image for %s", GetLastError());
    if (attributes & FILE_ATTRIBUTE_DIRECTORY)
        return fail(result, "opening the image for %s", ERROR_DIRECTORY_NOT_SUPPORTED);
    if (group && (!group[0] || wcslen(group) >= CTL_GROUP_MAX))
        return fail(result, "CreateService", ERROR_INVALID_PARAMETER);
    manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE);
    if (!manager)
        return fail(result, "OpenSCManager", GetLastError());
    service = CreateServiceW(manager, name, name, SERVICE_QUERY_STATUS, SERVICE_KERNEL_DRIVER,
                             start_type, SERVICE_ERROR_NORMAL, absolute_path,
                             group, NULL, NULL, NULL, NULL);
    if (service) {
        CloseServiceHandle(service);
        ok = done(result, CTL_INSTALLED);
    } else if (GetLastError() == ERROR_SERVICE_EXISTS) {
        ok = update_config(manager, name, absolute_path, start_type, group, result);
    } else {
        ok = fail(result, "CreateService", GetLastError());
    }
    CloseServiceHandle(manager);
    return ok;
}

/* Polls until the service reaches state or STOPPED, or the time runs out (then 1053). */
static DWORD wait_for_state(SC_HANDLE service, DWORD state, DWORD timeout_ms,
                            SERVICE_STATUS_PROCESS *status)
{
    for (DWORD waited = 0;; waited += POLL_MS) {
        if (!query_status(service, status))
            return GetLastError();
        if (status->dwCurrentState == state || status->dwCurrentState == SERVICE_STOPPED)
            return ERROR_SUCCESS;
        if (waited >= timeout_ms)
            return ERROR_SERVICE_REQUEST_TIMEOUT;
        Sleep(POLL_MS);
    }
}

HKEY ctl_service_key(const WCHAR *name, REGSAM access)
{
    WCHAR path[CTL_PATH_MAX];
    HKEY key;

    if (wcslen(services_key) + wcslen(name) >= CTL_PATH_MAX)
        return NULL;
    wcscpy(path, services_key);
    wcscat(path, name);
    return RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, access, &key) == ERROR_SUCCESS ? key : NULL;
}

HKEY ctl_saved_key(const WCHAR *name, REGSAM access)
{
    HKEY service = ctl_service_key(name, KEY_ENUMERATE_SUB_KEYS), key;
    LONG error;

    if (!service)
        return NULL;
    error = RegOpenKeyExW(service, MINWDM_SAVED_SUBKEY, 0, access, &key);
    RegCloseKey(service);
    return error == ERROR_SUCCESS ? key : NULL;
}

/* A driver built with minwdm leaves DriverEntry's failing NTSTATUS under its service key. */
static void read_driver_status(const WCHAR *name, struct ctl_result *result)
{
    HKEY key = ctl_saved_key(name, KEY_QUERY_VALUE);
    DWORD value, size = sizeof(value), type;

    if (!key)
        return;
    if (RegQueryValueExW(key, MINWDM_LOAD_STATUS_VALUE, NULL, &type, (BYTE *)&value, &size) ==
            ERROR_SUCCESS &&
        type == REG_DWORD && size == sizeof(value)) {
        result->driver_status = (LONG)value;
        result->has_driver_status = TRUE;
    }
    RegCloseKey(key);
}

/* What a minwdm driver leaves when DriverEntry fails: its status, and its log. */
static void forget_last_start(const WCHAR *name)
{
    HKEY key = ctl_saved_key(name, KEY_SET_VALUE);

    if (key) {
        RegDeleteValueW(key, MINWDM_LOAD_STATUS_VALUE);
        RegDeleteValueW(key, MINWDM_SAVED_LOG_VALUE);
        RegCloseKey(key);
    }
}

/* Under Wine, a driver whose host died stays RUNNING for the service manager (Wine 8), or is
 * STOPPED with exit code 1067 (Wine 10): it is gone, and the names it left are deleted so that
 * it can load again. */
static BOOL host_crashed(const WCHAR *name, struct ctl_result *result)
{
    DWORD pid;

    if (ctl_host_state(name, &pid) != CTL_HOST_CRASHED)
        return FALSE;
    result->host_crashed = TRUE;
    result->stale_names = ctl_host_remove_stale_names();
    return TRUE;
}

/* A start that failed because the driver's host died during it (a fault or a bug check in
 * DriverEntry, under Wine): said so, and the names it left in \?? deleted. */
static void crashed_in_start(const WCHAR *name, struct ctl_result *result)
{
    if (!ctl_host_crashed_in_start_of(name, result->error))
        return;
    result->crashed_in_start = TRUE;
    result->stale_names = ctl_host_remove_stale_names();
}

/* A service whose image file is gone fails to start with an error that does not say so (Wine:
 * 1114); an absolute DOS path is checked first. Other forms (\SystemRoot\...) are left to Windows. */
static DWORD check_image_exists(SC_HANDLE service)
{
    DWORD error = ERROR_SUCCESS;
    QUERY_SERVICE_CONFIGW *config = query_config(service, &error);

    if (!config)
        return ERROR_SUCCESS; /* StartService will say what is wrong */
    const WCHAR *path = dos_path(config->lpBinaryPathName);
    if (path[0] && path[1] == L':' && path[2] == L'\\' &&
        GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES)
        error = GetLastError();
    free(config);
    return error;
}

BOOL ctl_service_start(const WCHAR *name, DWORD timeout_ms, struct ctl_result *result)
{
    SC_HANDLE manager;
    SERVICE_STATUS_PROCESS status;
    BOOL ok;
    DWORD error;

    clear(result);
    SC_HANDLE service = open_service(name, SERVICE_START | SERVICE_QUERY_STATUS |
                                               SERVICE_QUERY_CONFIG, &manager, result);
    if (!service)
        return FALSE;
    if ((error = check_image_exists(service)) != ERROR_SUCCESS) {
        close_service(service, manager);
        return fail(result, "finding the image of %s", error);
    }
    if (query_status(service, &status) && (status.dwCurrentState == SERVICE_RUNNING ||
                                           status.dwCurrentState == SERVICE_STOPPED))
        host_crashed(name, result); /* then StartService starts a new host */
    forget_last_start(name); /* what is there after this start is this start's */
    result->start_sent = TRUE;
    if (!StartServiceW(service, 0, NULL)) {
        error = GetLastError();
        if (error == ERROR_SERVICE_ALREADY_RUNNING) {
            ok = done(result, CTL_ALREADY_RUNNING);
        } else {
            ok = fail(result, "StartService", error);
            read_driver_status(name, result);
            crashed_in_start(name, result);
        }
    } else {
        error = wait_for_state(service, SERVICE_RUNNING, timeout_ms, &status);
        if (error) {
            ok = fail(result, "waiting for %s to start", error);
            crashed_in_start(name, result);
        } else if (status.dwCurrentState != SERVICE_RUNNING) {
            ok = fail(result, "starting %s",
                      status.dwWin32ExitCode ? status.dwWin32ExitCode : ERROR_GEN_FAILURE);
            read_driver_status(name, result);
        } else {
            ok = done(result, CTL_STARTED);
        }
    }
    close_service(service, manager);
    return ok;
}

static BOOL stop(const WCHAR *name, SC_HANDLE service, DWORD timeout_ms,
                 struct ctl_result *result)
{
    SERVICE_STATUS_PROCESS status;
    SERVICE_STATUS plain;
    DWORD error;

    if (!query_status(service, &status))
        return fail(result, "QueryServiceStatusEx", GetLastError());
    if (status.dwCurrentState == SERVICE_STOPPED) {
        host_crashed(name, result); /* Wine 10 marks a crashed host's service STOPPED */
        return done(result, CTL_NOT_RUNNING);
    }
    /* Windows does not offer STOP to a driver without an unload routine. */
    if (status.dwCurrentState == SERVICE_RUNNING && !(status.dwControlsAccepted & SERVICE_ACCEPT_STOP))
        return fail(result, "ControlService(STOP)", ERROR_INVALID_SERVICE_CONTROL);
    if (!ControlService(service, SERVICE_CONTROL_STOP, &plain)) {
        error = GetLastError();
        if (error == ERROR_SERVICE_NOT_ACTIVE || host_crashed(name, result))
            return done(result, CTL_NOT_RUNNING);
        return fail(result, "ControlService(STOP)", error);
    }
    error = wait_for_state(service, SERVICE_STOPPED, timeout_ms, &status);
    if (error)
        return fail(result, "waiting for %s to unload", error);
    return done(result, CTL_STOPPED);
}

BOOL ctl_service_stop(const WCHAR *name, DWORD timeout_ms, struct ctl_result *result)
{
    SC_HANDLE manager;
    BOOL ok;

    clear(result);
    SC_HANDLE service = open_service(name, SERVICE_STOP | SERVICE_QUERY_STATUS, &manager, result);
    if (!service)
        return FALSE;
    ok = stop(name, service, timeout_ms, result);
    close_service(service, manager);
    return ok;
}

BOOL ctl_service_remove(const WCHAR *name, DWORD timeout_ms, struct ctl_result *result)
{
    SC_HANDLE manager;
    BOOL ok;

    clear(result);
    SC_HANDLE service =
        open_service(name, DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS, &manager, result);
    if (!service)
        return result->error == ERROR_SERVICE_DOES_NOT_EXIST ? done(result, CTL_NOT_INSTALLED)
                                                             : FALSE;
    ok = stop(name, service, timeout_ms, result);
    if (ok) {
        result->stopped_first = result->outcome == CTL_STOPPED;
        if (DeleteService(service))
            ok = done(result, CTL_REMOVED);
        else if (GetLastError() == ERROR_SERVICE_MARKED_FOR_DELETE)
            ok = done(result, CTL_DELETE_PENDING);
        else
            ok = fail(result, "DeleteService", GetLastError());
    }
    close_service(service, manager);
    return ok;
}

BOOL ctl_service_query(const WCHAR *name, struct ctl_service_info *info,
                       struct ctl_result *result)
{
    SC_HANDLE manager;
    SERVICE_STATUS_PROCESS status;
    QUERY_SERVICE_CONFIGW *config;
    DWORD error = ERROR_SUCCESS;
    BOOL ok;

    clear(result);
    memset(info, 0, sizeof(*info));
    SC_HANDLE service =
        open_service(name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, &manager, result);
    if (!service)
        return FALSE;
    if (!query_status(service, &status)) {
        ok = fail(result, "QueryServiceStatusEx", GetLastError());
    } else if ((config = query_config(service, &error)) == NULL) {
        ok = fail(result, "QueryServiceConfig", error);
    } else {
        info->state = status.dwCurrentState;
        info->controls_accepted = status.dwControlsAccepted;
        info->win32_exit_code = status.dwWin32ExitCode;
        info->service_exit_code = status.dwServiceSpecificExitCode;
        info->start_type = config->dwStartType;
        wcsncpy(info->image_path, config->lpBinaryPathName, CTL_PATH_MAX - 1);
        wcsncpy(info->group, group_of(config), CTL_GROUP_MAX - 1);
        free(config);
        ok = done(result, CTL_ALREADY_INSTALLED);
    }
    close_service(service, manager);
    return ok;
}
