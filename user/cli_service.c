/* The service commands: install, start, stop, remove, load, status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_findings.h"
#include "cli_pnp.h"
#include "ctl_error.h"
#include "ctl_host.h"
#include "ctl_image.h"
#include "ctl_service.h"

_Static_assert(CLI_START_DEMAND == SERVICE_DEMAND_START && CLI_START_AUTO == SERVICE_AUTO_START &&
                   CLI_START_SYSTEM == SERVICE_SYSTEM_START,
               "start types are the service manager's");

/* "StartService(minwdm)" for an API, "waiting for minwdm to start" for a step. */
static int report_service_failure(const struct ctl_result *r, const struct cli_options *o,
                                  enum ctl_context context)
{
    char what[CTL_PATH_MAX * 3 + 128];
    const char *at = strstr(r->call, "%s");

    if (at)
        snprintf(what, sizeof(what), "%.*s%s%s", (int)(at - r->call), r->call, o->service, at + 2);
    else
        snprintf(what, sizeof(what), "%s(%s)", r->call, o->service);
    return cli_report(what, r->error, context, r->has_driver_status ? &r->driver_status : NULL);
}

static void on_image_finding(void *context, BOOL fatal, const char *rule, const char *message)
{
    const char *path = context;

    fprintf(stderr, "minwdmctl: %s%s: %s: %s\n", fatal ? "" : "warning: ", path, rule, message);
}

/* The image's checks: CTL_EXIT_OK when it may be installed, else what was reported. */
static int check_image(const struct cli_options *o, const WCHAR *path, const char *path8)
{
    char what[CTL_PATH_MAX * 3 + 64];
    DWORD error, attributes = GetFileAttributesW(path);

    if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY)) {
        fprintf(stderr, "minwdmctl: %s is a folder: install wants the driver's .sys file\n",
                path8);
        return CTL_EXIT_USAGE;
    }
    switch (ctl_image_check(path, on_image_finding, (void *)path8, &error)) {
    case CTL_IMAGE_UNREADABLE:
        snprintf(what, sizeof(what), "opening the driver image %s", path8);
        return cli_report(what, error, CTL_CONTEXT_SERVICE, NULL);
    case CTL_IMAGE_NOT_A_DRIVER:
        if (!o->force) {
            fprintf(stderr, "minwdmctl: %s is not an x64 kernel driver: not installed "
                            "(--force installs it anyway)\n", path8);
            return CTL_EXIT_DRIVER;
        }
        fprintf(stderr, "minwdmctl: --force: installing it anyway\n");
        break;
    case CTL_IMAGE_DRIVER:
        break;
    }
    return CTL_EXIT_OK;
}

/* "demand start" or "demand start, group G". */
static void print_setup(DWORD start_type, const char *group)
{
    printf("%s start%s%s", ctl_start_type_name(start_type), group && group[0] ? ", group " : "",
           group && group[0] ? group : "");
}

static void print_installed(const struct cli_options *o, const struct ctl_result *r,
                            const char *path8)
{
    char *before = cli_utf8(r->previous_group, FALSE);
    const char *group = o->group ? o->group : before; /* no --group: the group stays */

    if (r->outcome == CTL_INSTALLED) {
        printf("installed: %s (kernel driver, ", path8);
        print_setup(o->start_type, o->group);
        printf(")\n");
    } else if (r->outcome == CTL_UPDATED) {
        cli_print_wide("already installed with ", r->previous_path, " (");
        print_setup(r->previous_start_type, before);
        printf("): updated to %s (", path8);
        print_setup(o->start_type, group);
        printf(")\na running driver keeps its old image until it is stopped and started\n");
    } else {
        printf("already installed: %s (", path8);
        print_setup(o->start_type, group);
        printf(")\n");
    }
    free(before);
}

/* A minifilter's registry: Services\<name>\Instances\<name> Instance with its Altitude (a
 * string) and Flags, DefaultInstance naming it, and DependOnService FltMgr. */
static int write_filter_instance(const struct cli_options *o)
{
    static const WCHAR depend[] = L"FltMgr\0";
    WCHAR key[CTL_PATH_MAX + 96], instance[CTL_PATH_MAX + 16], altitude[16];
    DWORD flags = 0;
    HKEY service, node;
    LONG error;

    swprintf(key, sizeof(key) / sizeof(key[0]), L"SYSTEM\\CurrentControlSet\\Services\\%ls",
             o->service_w);
    swprintf(instance, sizeof(instance) / sizeof(instance[0]), L"%ls Instance", o->service_w);
    swprintf(altitude, sizeof(altitude) / sizeof(altitude[0]), L"%lu",
             (unsigned long)o->filter_altitude);
    error = RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_SET_VALUE | KEY_CREATE_SUB_KEY, &service);
    if (error)
        return cli_report("opening the service's registry key", (DWORD)error, CTL_CONTEXT_SERVICE,
                          NULL);
    error = RegSetValueExW(service, L"DependOnService", 0, REG_MULTI_SZ, (const BYTE *)depend,
                           sizeof(depend));
    if (!error)
        error = RegCreateKeyExW(service, L"Instances", 0, NULL, 0, KEY_SET_VALUE | KEY_CREATE_SUB_KEY,
                                NULL, &node, NULL);
    if (!error) {
        error = RegSetValueExW(node, L"DefaultInstance", 0, REG_SZ, (const BYTE *)instance,
                               (DWORD)((wcslen(instance) + 1) * sizeof(WCHAR)));
        HKEY inst;
        if (!error)
            error = RegCreateKeyExW(node, instance, 0, NULL, 0, KEY_SET_VALUE, NULL, &inst, NULL);
        if (!error) {
            error = RegSetValueExW(inst, L"Altitude", 0, REG_SZ, (const BYTE *)altitude,
                                   (DWORD)((wcslen(altitude) + 1) * sizeof(WCHAR)));
            if (!error)
                error = RegSetValueExW(inst, L"Flags", 0, REG_DWORD, (const BYTE *)&flags,
                                       sizeof(flags));
            RegCloseKey(inst);
        }
        RegCloseKey(node);
    }
    RegCloseKey(service);
    if (error)
        return cli_report("writing the minifilter's Instances key", (DWORD)error,
                          CTL_CONTEXT_SERVICE, NULL);
    printf("minifilter: instance \"%s Instance\" at altitude %lu\n", o->service,
           (unsigned long)o->filter_altitude);
    return CTL_EXIT_OK;
}

int cli_install(const struct cli_options *o)
{
    static WCHAR typed[CTL_PATH_MAX], path[CTL_PATH_MAX];
    static struct ctl_result r;

    if (!cli_wide(o->args[0], typed, CTL_PATH_MAX))
        return cli_usage_error("install: the path is longer than %d characters",
                               CTL_PATH_MAX - 1);
    DWORD error = ctl_absolute_path(typed, path);
    if (error)
        return cli_report("GetFullPathName", error, CTL_CONTEXT_SERVICE, NULL);
    char *path8 = cli_utf8(path, FALSE);
    if (!path8)
        return cli_report("converting the path", ERROR_NOT_ENOUGH_MEMORY, CTL_CONTEXT_SERVICE,
                          NULL);
    int rc = check_image(o, path, path8);
    if (rc == CTL_EXIT_OK &&
        !ctl_service_install_in_group(o->service_w, path, o->start_type, o->group_w, &r))
        rc = report_service_failure(&r, o, CTL_CONTEXT_SERVICE);
    else if (rc == CTL_EXIT_OK)
        print_installed(o, &r, path8);
    if (rc == CTL_EXIT_OK && o->filter_altitude)
        rc = write_filter_instance(o);
    free(path8);
    return rc;
}

/* Stop, remove and start take a driver whose host crashed for stopped: say so. */
static void note_crash(const struct ctl_result *r)
{
    fflush(stdout); /* in the order it happened */
    if (r->host_crashed)
        fprintf(stderr, "minwdmctl: the driver host had crashed (its process ended): the driver "
                        "was gone; %lu names it left in \\?? deleted\n",
                (unsigned long)r->stale_names);
}

int cli_start(const struct cli_options *o)
{
    struct ctl_result r;

    if (!ctl_service_start(o->service_w, o->timeout_ms, &r)) {
        int rc = r.crashed_in_start ? cli_report_crashed_start(o->service, r.stale_names)
                                    : report_service_failure(&r, o, CTL_CONTEXT_START);
        if (r.start_sent) /* else the driver did not run: no log to look for */
            cli_print_log_of_failed_start(o);
        return rc;
    }
    note_crash(&r);
    printf(r.outcome == CTL_STARTED ? "started\n" : "already running\n");
    return CTL_EXIT_OK;
}

int cli_stop(const struct cli_options *o)
{
    struct ctl_result r;

    if (!ctl_service_stop(o->service_w, o->timeout_ms, &r))
        return report_service_failure(&r, o, CTL_CONTEXT_SERVICE);
    note_crash(&r);
    printf(r.outcome == CTL_STOPPED ? "stopped\n" : "not running\n");
    if (r.outcome == CTL_STOPPED)
        findings_print_saved(o->service_w); /* a verified build's findings */
    return CTL_EXIT_OK;
}

/* Remove and unload stop the driver first themselves, so that a verified build's findings are
 * read from its service key before the key goes. */
static void stop_before_removing(const struct cli_options *o)
{
    struct ctl_result stop;

    if (!ctl_service_stop(o->service_w, o->timeout_ms, &stop))
        return; /* not installed, or not stoppable: remove says what */
    note_crash(&stop);
    if (stop.outcome == CTL_STOPPED && !stop.host_crashed) {
        printf("stopped\n");
        findings_print_saved(o->service_w);
    }
}

int cli_remove(const struct cli_options *o)
{
    struct ctl_result r;

    stop_before_removing(o);
    if (!ctl_service_remove(o->service_w, o->timeout_ms, &r))
        return report_service_failure(&r, o, CTL_CONTEXT_SERVICE);
    note_crash(&r);
    if (r.stopped_first)
        printf("stopped\n");
    if (r.outcome == CTL_REMOVED)
        printf("removed\n");
    else if (r.outcome == CTL_NOT_INSTALLED)
        printf("not installed\n");
    else
        printf("already marked for deletion: it goes when the last handle to it closes\n");
    return CTL_EXIT_OK;
}

/* remove, and an absent service is an error: the user named a driver that is not there. */
int cli_unload(const struct cli_options *o)
{
    struct ctl_result r;

    stop_before_removing(o);
    if (!ctl_service_remove(o->service_w, o->timeout_ms, &r))
        return report_service_failure(&r, o, CTL_CONTEXT_SERVICE);
    note_crash(&r);
    if (r.stopped_first)
        printf("stopped\n");
    if (r.outcome == CTL_NOT_INSTALLED) {
        fprintf(stderr, "minwdmctl: no service %s is installed: nothing to unload (minwdmctl "
                        "--name <service> unload; `load` without --name names it after the image)\n",
                o->service);
        return CTL_EXIT_NOT_FOUND;
    }
    printf(r.outcome == CTL_REMOVED ? "removed\n"
                                    : "already marked for deletion: it goes when the last handle "
                                      "to it closes\n");
    return CTL_EXIT_OK;
}

int cli_load(const struct cli_options *o)
{
    int rc = cli_install(o);

    return rc ? rc : cli_start(o);
}

static const char *const host_names[] = {[CTL_HOST_UNKNOWN] = NULL,
                                         [CTL_HOST_ALIVE] = "alive",
                                         [CTL_HOST_CRASHED] = "crashed"};

static void print_status_json(const struct cli_options *o, const struct ctl_service_info *info,
                              enum ctl_host_state host, DWORD pid)
{
    printf("{\"service\": ");
    cli_json_string(o->service);
    printf(", \"installed\": true, \"state\": \"%s\", \"start_type\": \"%s\", \"image_path\": ",
           ctl_state_name(info->state), ctl_start_type_name(info->start_type));
    cli_json_wide(info->image_path);
    printf(", \"group\": ");
    if (info->group[0])
        cli_json_wide(info->group);
    else
        printf("null");
    if (host_names[host])
        printf(", \"host\": \"%s\", \"host_pid\": %lu", host_names[host], (unsigned long)pid);
    else
        printf(", \"host\": null");
    printf(", \"can_stop\": %s, \"win32_exit_code\": %lu, \"service_exit_code\": %lu}\n",
           (info->controls_accepted & SERVICE_ACCEPT_STOP) ? "true" : "false",
           (unsigned long)info->win32_exit_code, (unsigned long)info->service_exit_code);
}

static void print_status_text(const struct cli_options *o, const struct ctl_service_info *info,
                              enum ctl_host_state host, DWORD pid)
{
    char text[CTL_ERROR_TEXT_SIZE];

    printf("service:       %s\n", o->service);
    printf("state:         %s\n", ctl_state_name(info->state));
    printf("start type:    %s\n", ctl_start_type_name(info->start_type));
    cli_print_wide("group:         ", info->group[0] ? info->group : L"(none)", "\n");
    cli_print_wide("image path:    ", info->image_path, "\n");
    cli_print_devices_of_service(o->service_w); /* Plug and Play drivers */
    if (info->state == SERVICE_RUNNING)
        printf("can stop:      %s\n", (info->controls_accepted & SERVICE_ACCEPT_STOP)
                                          ? "yes"
                                          : "no (no unload routine)");
    if (host == CTL_HOST_ALIVE)
        printf("host:          winedevice.exe, process %lu\n", (unsigned long)pid);
    else if (host == CTL_HOST_CRASHED && info->state == SERVICE_STOPPED)
        printf("host:          crashed: its winedevice.exe ended (exit code 1067); the driver "
               "is gone (minwdmctl remove cleans up)\n");
    else if (host == CTL_HOST_CRASHED)
        printf("host:          crashed: no winedevice.exe has its image; the driver is gone "
               "(minwdmctl remove cleans up)\n");
    ctl_error_text(info->win32_exit_code, text, sizeof(text));
    printf("win32 exit:    %lu (%s)\n", (unsigned long)info->win32_exit_code, text);
    printf("service exit:  %lu\n", (unsigned long)info->service_exit_code);
}

int cli_status(const struct cli_options *o)
{
    static struct ctl_service_info info;
    struct ctl_result r;

    if (!ctl_service_query(o->service_w, &info, &r)) {
        if (o->json && r.error == ERROR_SERVICE_DOES_NOT_EXIST) {
            printf("{\"service\": ");
            cli_json_string(o->service);
            printf(", \"installed\": false}\n");
        }
        return report_service_failure(&r, o, CTL_CONTEXT_SERVICE);
    }
    DWORD pid;
    enum ctl_host_state host = ctl_host_state(o->service_w, &pid); /* Wine only */
    if (o->json)
        print_status_json(o, &info, host, pid);
    else
        print_status_text(o, &info, host, pid);
    return CTL_EXIT_OK;
}
