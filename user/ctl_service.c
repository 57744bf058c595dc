#include "ctl_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "ctl_error.h"

enum { STATE_TIMEOUT_MS = 15000, POLL_MS = 50, NAME_SIZE = 512 };

static const char *state_name(DWORD state)
{
    static const char *const names[] = {"UNKNOWN",       "STOPPED",          "START_PENDING",
                                        "STOP_PENDING",  "RUNNING",          "CONTINUE_PENDING",
                                        "PAUSE_PENDING", "PAUSED"};

    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "UNKNOWN";
}

static const char *start_type_name(DWORD type)
{
    switch (type) {
    case SERVICE_BOOT_START:
        return "boot";
    case SERVICE_SYSTEM_START:
        return "system";
    case SERVICE_AUTO_START:
        return "auto";
    case SERVICE_DEMAND_START:
        return "demand";
    case SERVICE_DISABLED:
        return "disabled";
    default:
        return "unknown";
    }
}

/* "what(name)" for messages, e.g. "StartService(minwdm)". */
static const char *call(char *buffer, size_t size, const char *what, const WCHAR *name)
{
    char utf8[NAME_SIZE];

    ctl_utf8(name, utf8, sizeof(utf8));
    snprintf(buffer, size, "%s(%s)", what, utf8);
    return buffer;
}

static SC_HANDLE open_manager(DWORD access, int *rc)
{
    SC_HANDLE manager = OpenSCManagerW(NULL, NULL, access);

    if (!manager)
        *rc = ctl_report_win32("OpenSCManager", GetLastError(), CTL_EXIT_FAILED);
    return manager;
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

/* Polls until the service reaches state, stops, or the time runs out. */
static DWORD wait_for_state(SC_HANDLE service, DWORD state, SERVICE_STATUS_PROCESS *status)
{
    DWORD needed;

    for (DWORD waited = 0;; waited += POLL_MS) {
        if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)status, sizeof(*status),
                                  &needed))
            return GetLastError();
        if (status->dwCurrentState == state || status->dwCurrentState == SERVICE_STOPPED)
            return ERROR_SUCCESS;
        if (waited >= STATE_TIMEOUT_MS)
            return ERROR_SERVICE_REQUEST_TIMEOUT;
        Sleep(POLL_MS);
    }
}

static int update_image_path(SC_HANDLE manager, const WCHAR *name, const WCHAR *path)
{
    char what[NAME_SIZE + 32], old_path[MAX_PATH * 3], new_path[MAX_PATH * 3];
    DWORD error = 0;
    int rc = CTL_EXIT_OK;
    SC_HANDLE service = OpenServiceW(manager, name, SERVICE_QUERY_CONFIG | SERVICE_CHANGE_CONFIG);
    QUERY_SERVICE_CONFIGW *config = service ? query_config(service, &error) : NULL;

    if (!service) {
        error = GetLastError();
        return ctl_report_win32(call(what, sizeof(what), "OpenService", name), error,
                                CTL_EXIT_FAILED);
    }
    if (!config) {
        rc = ctl_report_win32(call(what, sizeof(what), "QueryServiceConfig", name), error,
                              CTL_EXIT_FAILED);
    } else if (_wcsicmp(dos_path(config->lpBinaryPathName), path) == 0) {
        ctl_utf8(path, new_path, sizeof(new_path));
        printf("already installed: %s\n", new_path);
    } else if (!ChangeServiceConfigW(service, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE,
                                     SERVICE_NO_CHANGE, path, NULL, NULL, NULL, NULL, NULL, NULL)) {
        error = GetLastError();
        rc = ctl_report_win32(call(what, sizeof(what), "ChangeServiceConfig", name), error,
                              CTL_EXIT_FAILED);
    } else {
        ctl_utf8(config->lpBinaryPathName, old_path, sizeof(old_path));
        ctl_utf8(path, new_path, sizeof(new_path));
        printf("already installed with another image: updated %s -> %s\n", old_path, new_path);
        printf("(a running driver keeps its old image until it is stopped and started)\n");
    }
    free(config);
    CloseServiceHandle(service);
    return rc;
}

int ctl_install(const WCHAR *name, const WCHAR *image_path)
{
    WCHAR path[MAX_PATH * 2];
    char what[NAME_SIZE + 32], utf8[MAX_PATH * 3];
    int rc = CTL_EXIT_OK;

    /* The SCM resolves a relative ImagePath against the system root, never the current folder. */
    DWORD length = GetFullPathNameW(image_path, MAX_PATH * 2, path, NULL);
    if (length == 0 || length >= MAX_PATH * 2)
        return ctl_report_win32("GetFullPathName", length ? ERROR_FILENAME_EXCED_RANGE
                                                          : GetLastError(), CTL_EXIT_FAILED);
    DWORD attributes = GetFileAttributesW(path);
    DWORD error = GetLastError();
    ctl_utf8(path, utf8, sizeof(utf8));
    if (attributes == INVALID_FILE_ATTRIBUTES) {
        snprintf(what, sizeof(what), "opening the driver image %.300s", utf8);
        return ctl_report_win32(what, error, CTL_EXIT_FAILED);
    }
    if (attributes & FILE_ATTRIBUTE_DIRECTORY) {
        fprintf(stderr, "minwdmctl: %s is a folder, not a driver image\n", utf8);
        return CTL_EXIT_USAGE;
    }

    SC_HANDLE manager = open_manager(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, &rc);
    if (!manager)
        return rc;
    SC_HANDLE service = CreateServiceW(manager, name, name, SERVICE_QUERY_STATUS,
                                       SERVICE_KERNEL_DRIVER, SERVICE_DEMAND_START,
                                       SERVICE_ERROR_NORMAL, path, NULL, NULL, NULL, NULL, NULL);
    error = GetLastError();
    if (service) {
        printf("installed: %s (kernel driver, demand start)\n", utf8);
        CloseServiceHandle(service);
    } else if (error == ERROR_SERVICE_EXISTS) {
        rc = update_image_path(manager, name, path);
    } else {
        rc = ctl_report_win32(call(what, sizeof(what), "CreateService", name), error,
                              CTL_EXIT_FAILED);
    }
    CloseServiceHandle(manager);
    return rc;
}

static SC_HANDLE open_service(const WCHAR *name, DWORD access, SC_HANDLE *manager, int *rc)
{
    char what[NAME_SIZE + 32];
    SC_HANDLE service;

    *manager = open_manager(SC_MANAGER_CONNECT, rc);
    if (!*manager)
        return NULL;
    service = OpenServiceW(*manager, name, access);
    if (!service) {
        DWORD error = GetLastError();
        *rc = ctl_report_win32(call(what, sizeof(what), "OpenService", name), error,
                               CTL_EXIT_FAILED);
        CloseServiceHandle(*manager);
        *manager = NULL;
    }
    return service;
}

int ctl_start(const WCHAR *name)
{
    SC_HANDLE manager;
    SERVICE_STATUS_PROCESS status;
    char what[NAME_SIZE + 32];
    int rc = CTL_EXIT_OK;
    SC_HANDLE service = open_service(name, SERVICE_START | SERVICE_QUERY_STATUS, &manager, &rc);

    if (!service)
        return rc;
    if (!StartServiceW(service, 0, NULL)) {
        DWORD error = GetLastError();
        if (error == ERROR_SERVICE_ALREADY_RUNNING)
            printf("already running\n");
        else
            rc = ctl_report_win32(call(what, sizeof(what), "StartService", name), error,
                                  CTL_EXIT_DRIVER);
    } else {
        DWORD error = wait_for_state(service, SERVICE_RUNNING, &status);
        if (error == ERROR_SUCCESS && status.dwCurrentState == SERVICE_RUNNING)
            printf("started\n");
        else
            rc = ctl_report_win32(call(what, sizeof(what), "starting", name),
                                  error ? error : status.dwWin32ExitCode, CTL_EXIT_DRIVER);
    }
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
    return rc;
}

/* Asks the service to stop and waits until it has; a stopped service is not an error. */
static int stop_service(SC_HANDLE service, const WCHAR *name)
{
    SERVICE_STATUS plain;
    SERVICE_STATUS_PROCESS status;
    char what[NAME_SIZE + 32];

    if (!ControlService(service, SERVICE_CONTROL_STOP, &plain)) {
        DWORD error = GetLastError();
        if (error == ERROR_SERVICE_NOT_ACTIVE) {
            printf("not running\n");
            return CTL_EXIT_OK;
        }
        if (error == ERROR_INVALID_SERVICE_CONTROL) {
            fprintf(stderr, "minwdmctl: the driver cannot stop: it has no unload routine; "
                            "it goes away at the next reboot\n");
            return CTL_EXIT_DRIVER;
        }
        return ctl_report_win32(call(what, sizeof(what), "ControlService(STOP)", name), error,
                                CTL_EXIT_DRIVER);
    }
    DWORD error = wait_for_state(service, SERVICE_STOPPED, &status);
    if (error)
        return ctl_report_win32(call(what, sizeof(what), "stopping", name), error,
                                CTL_EXIT_DRIVER);
    printf("stopped\n");
    return CTL_EXIT_OK;
}

int ctl_stop(const WCHAR *name)
{
    SC_HANDLE manager;
    int rc = CTL_EXIT_OK;
    SC_HANDLE service = open_service(name, SERVICE_STOP | SERVICE_QUERY_STATUS, &manager, &rc);

    if (!service)
        return rc;
    rc = stop_service(service, name);
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
    return rc;
}

int ctl_remove(const WCHAR *name)
{
    char what[NAME_SIZE + 32];
    int rc = CTL_EXIT_OK;
    SC_HANDLE manager = open_manager(SC_MANAGER_CONNECT, &rc);

    if (!manager)
        return rc;
    SC_HANDLE service = OpenServiceW(manager, name, DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS);
    if (!service) {
        DWORD error = GetLastError();
        if (error == ERROR_SERVICE_DOES_NOT_EXIST)
            printf("not installed\n");
        else
            rc = ctl_report_win32(call(what, sizeof(what), "OpenService", name), error,
                                  CTL_EXIT_FAILED);
        CloseServiceHandle(manager);
        return rc;
    }
    rc = stop_service(service, name);
    if (rc == CTL_EXIT_OK) {
        DWORD error = DeleteService(service) ? ERROR_SUCCESS : GetLastError();
        if (error == ERROR_SUCCESS)
            printf("removed\n");
        else if (error == ERROR_SERVICE_MARKED_FOR_DELETE)
            printf("already marked for deletion: it goes when the last handle to it closes\n");
        else
            rc = ctl_report_win32(call(what, sizeof(what), "DeleteService", name), error,
                                  CTL_EXIT_FAILED);
    }
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
    return rc;
}

int ctl_status(const WCHAR *name)
{
    SC_HANDLE manager;
    SERVICE_STATUS_PROCESS status;
    char what[NAME_SIZE + 32], utf8[MAX_PATH * 3], text[512];
    DWORD needed, error = 0;
    int rc = CTL_EXIT_OK;
    SC_HANDLE service =
        open_service(name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, &manager, &rc);

    if (!service)
        return rc;
    QUERY_SERVICE_CONFIGW *config = query_config(service, &error);
    if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, (BYTE *)&status, sizeof(status),
                              &needed)) {
        error = GetLastError();
        rc = ctl_report_win32(call(what, sizeof(what), "QueryServiceStatusEx", name), error,
                              CTL_EXIT_FAILED);
    } else if (!config) {
        rc = ctl_report_win32(call(what, sizeof(what), "QueryServiceConfig", name), error,
                              CTL_EXIT_FAILED);
    } else {
        ctl_utf8(name, utf8, sizeof(utf8));
        printf("service:       %s\n", utf8);
        printf("state:         %s\n", state_name(status.dwCurrentState));
        printf("start type:    %s\n", start_type_name(config->dwStartType));
        ctl_utf8(config->lpBinaryPathName, utf8, sizeof(utf8));
        printf("image path:    %s\n", utf8);
        ctl_error_text(status.dwWin32ExitCode, text, sizeof(text));
        printf("win32 exit:    %lu (%s)\n", (unsigned long)status.dwWin32ExitCode, text);
        printf("service exit:  %lu\n", (unsigned long)status.dwServiceSpecificExitCode);
    }
    free(config);
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
    return rc;
}
