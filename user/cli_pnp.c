/*
 * minwdmctl's Plug and Play commands: a root-enumerated device node for a driver package, as
 * `devcon install` makes one, and its removal.
 *
 *   install-device <file.inf> <hardware id>: creates a device node of the INF's class with the
 *     hardware id (SetupDiCreateDeviceInfo, DICD_GENERATE_ID; SPDRP_HARDWAREID;
 *     DIF_REGISTERDEVICE), then installs the INF's driver on it (UpdateDriverForPlugAndPlayDevices,
 *     which also puts the package in the driver store on Windows): the driver gets DriverEntry,
 *     AddDevice and IRP_MN_START_DEVICE.
 *   remove-device <hardware id>: removes every device node with that hardware id (DIF_REMOVE):
 *     the driver gets IRP_MN_REMOVE_DEVICE, and unloads when it has no device left.
 */
#include <windows.h>

#include <newdev.h>
#include <setupapi.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_pnp.h"
#include "ctl_error.h"
#include "ctl_hints.h"

enum { HWID_CHARS = 512 };

/* What to do about a SetupAPI error, beyond its Win32 text. */
static const char *pnp_hint(DWORD error)
{
    switch (error) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return "the INF, or a file its [SourceDisksFiles] lists, is not there: keep the package "
               "folder together (x.inf, x.sys, x.cat)";
    case ERROR_NO_SUCH_DEVINST:
    case ERROR_NO_DRIVER_SELECTED:
    case ERROR_NO_COMPAT_DRIVERS:
        return "no model of the INF lists this hardware id: compare the id with the INF's "
               "[Models...] section (and its NTamd64 decoration)";
    case ERROR_SECTION_NOT_FOUND:
    case ERROR_LINE_NOT_FOUND:
    case ERROR_EXPECTED_SECTION_NAME:
    case ERROR_BAD_SECTION_NAME_LINE:
    case ERROR_GENERAL_SYNTAX:
    case ERROR_WRONG_INF_STYLE:
        return "the INF is malformed: `wdmimage inf check` names the line";
    case ERROR_NO_CATALOG_FOR_OEM_INF:
    case (DWORD)TRUST_E_NOSIGNATURE:
    case (DWORD)TRUST_E_BAD_DIGEST:
    case (DWORD)CERT_E_UNTRUSTEDROOT:
    case (DWORD)TRUST_E_SUBJECT_NOT_TRUSTED:
        return "the catalog does not match the files or its signer is not trusted: rebuild the "
               "package, and import the certificate (docs/shipping.md)";
    case ERROR_ACCESS_DENIED:
        return "run it from an elevated (administrator) prompt";
    case ERROR_IN_WOW64:
        return "use the 64-bit minwdmctl.exe on 64-bit Windows";
    default:
        return NULL;
    }
}

static int pnp_failure(const char *what, DWORD error)
{
    char text[256];
    const char *hint = pnp_hint(error);

    ctl_error_text(error, text, sizeof(text));
    fprintf(stderr, "minwdmctl: %s: error %lu (0x%08lX): %s\n", what, error, error, text);
    if (hint)
        fprintf(stderr, "minwdmctl: %s\n", hint);
    if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND ||
        error == ERROR_NO_SUCH_DEVINST)
        return CTL_EXIT_NOT_FOUND;
    if (error == ERROR_ACCESS_DENIED)
        return CTL_EXIT_ACCESS_DENIED;
    return CTL_EXIT_FAILED;
}

static int wide(const char *utf8, WCHAR *out, int chars)
{
    return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, out, chars) > 0;
}

/* UpdateDriverForPlugAndPlayDevices runs the driver's DriverEntry, AddDevice and START: on a
 * thread of its own, so that a driver (or a driver host) that hangs there is named, not waited
 * for forever. Static: a thread left running past the deadline keeps using it. */
static struct install_call {
    const WCHAR *hwid, *inf;
    BOOL reboot, ok;
    DWORD error;
} install_call;

static DWORD WINAPI install_thread(void *context)
{
    struct install_call *c = context;

    c->ok = UpdateDriverForPlugAndPlayDevicesW(NULL, c->hwid, c->inf, INSTALLFLAG_FORCE,
                                               &c->reboot);
    c->error = c->ok ? ERROR_SUCCESS : GetLastError();
    return 0;
}

/* 1: installed; 0: failed (install_call.error); -1: still running at the deadline. */
static int install_driver(const WCHAR *hwid, const WCHAR *inf, DWORD timeout_ms)
{
    install_call.hwid = hwid;
    install_call.inf = inf;
    HANDLE thread = CreateThread(NULL, 0, install_thread, &install_call, 0, NULL);
    if (!thread) {
        install_call.error = GetLastError();
        return 0;
    }
    DWORD waited = WaitForSingleObject(thread, timeout_ms);
    CloseHandle(thread);
    if (waited == WAIT_TIMEOUT)
        return -1;
    return install_call.ok ? 1 : 0;
}

int cli_install_device(const struct cli_options *o)
{
    static WCHAR inf_arg[MAX_PATH], inf[MAX_PATH], hwid[HWID_CHARS + 1], class_name[64];
    SP_DEVINFO_DATA device = {.cbSize = sizeof(device)};
    BOOL reboot = FALSE;
    GUID class_guid;
    DWORD length;

    if (!wide(o->args[0], inf_arg, MAX_PATH) || !GetFullPathNameW(inf_arg, MAX_PATH, inf, NULL))
        return cli_usage_error("the INF path is not a path");
    length = (DWORD)MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, o->args[1], -1, hwid,
                                        HWID_CHARS - 1);
    if (length < 2)
        return cli_usage_error("the hardware id is empty or longer than %d characters",
                               HWID_CHARS - 2);
    hwid[length] = 0; /* REG_MULTI_SZ: one string, then an empty one */
    if (GetFileAttributesW(inf) == INVALID_FILE_ATTRIBUTES)
        return pnp_failure("the INF", GetLastError());
    if (!SetupDiGetINFClassW(inf, &class_guid, class_name, 64, NULL))
        return pnp_failure("reading [Version] Class and ClassGuid of the INF", GetLastError());
    HDEVINFO set = SetupDiCreateDeviceInfoList(&class_guid, NULL);
    if (set == INVALID_HANDLE_VALUE)
        return pnp_failure("SetupDiCreateDeviceInfoList", GetLastError());
    int rc = CTL_EXIT_OK;
    if (!SetupDiCreateDeviceInfoW(set, class_name, &class_guid, NULL, NULL, DICD_GENERATE_ID,
                                  &device))
        rc = pnp_failure("creating the device node (SetupDiCreateDeviceInfo)", GetLastError());
    else if (!SetupDiSetDeviceRegistryPropertyW(set, &device, SPDRP_HARDWAREID, (BYTE *)hwid,
                                                (length + 1) * sizeof(WCHAR)))
        rc = pnp_failure("setting its hardware id", GetLastError());
    else if (!SetupDiCallClassInstaller(DIF_REGISTERDEVICE, set, &device))
        rc = pnp_failure("registering the device node (DIF_REGISTERDEVICE)", GetLastError());
    else {
        int installed = install_driver(hwid, inf, o->timeout_ms);
        reboot = install_call.reboot;
        if (installed < 0) {
            fprintf(stderr, "minwdmctl: installing the INF's driver (UpdateDriverForPlugAndPlayDevices) "
                            "did not finish within %lu s: the driver may hang in DriverEntry, "
                            "AddDevice or IRP_MN_START_DEVICE (its log: minwdmctl --name <service> "
                            "log; remove-device removes the node)\n",
                    (unsigned long)(o->timeout_ms / 1000));
            rc = CTL_EXIT_DRIVER;
        } else if (!installed) {
            SetupDiCallClassInstaller(DIF_REMOVE, set, &device); /* no node without a driver */
            rc = pnp_failure("installing the INF's driver on it (UpdateDriverForPlugAndPlayDevices)",
                             install_call.error);
        }
    }
    if (rc == CTL_EXIT_OK)
        printf("installed: a %ls device with hardware id %s, driver from %ls%s\n", class_name,
               o->args[1], inf, reboot ? " (Windows asks for a reboot)" : "");
    SetupDiDestroyDeviceInfoList(set);
    return rc;
}

/* Whether the device's hardware ids (REG_MULTI_SZ) include hwid, ASCII case ignored. */
static BOOL has_hardware_id(HDEVINFO set, SP_DEVINFO_DATA *device, const WCHAR *hwid)
{
    static WCHAR ids[4096];
    DWORD type, size;

    memset(ids, 0, sizeof(ids));
    if (!SetupDiGetDeviceRegistryPropertyW(set, device, SPDRP_HARDWAREID, &type, (BYTE *)ids,
                                           sizeof(ids) - 2 * sizeof(WCHAR), &size) ||
        type != REG_MULTI_SZ)
        return FALSE;
    for (const WCHAR *id = ids; *id; id += wcslen(id) + 1)
        if (!_wcsicmp(id, hwid))
            return TRUE;
    return FALSE;
}

int cli_remove_device(const struct cli_options *o)
{
    static WCHAR hwid[HWID_CHARS];
    SP_DEVINFO_DATA device = {.cbSize = sizeof(device)};
    unsigned removed = 0;
    int rc = CTL_EXIT_OK;

    if (!wide(o->args[0], hwid, HWID_CHARS))
        return cli_usage_error("the hardware id is longer than %d characters", HWID_CHARS - 1);
    HDEVINFO set = SetupDiGetClassDevsW(NULL, NULL, NULL, DIGCF_ALLCLASSES);
    if (set == INVALID_HANDLE_VALUE)
        return pnp_failure("listing the devices (SetupDiGetClassDevs)", GetLastError());
    for (DWORD i = 0; SetupDiEnumDeviceInfo(set, i, &device); i++) {
        if (!has_hardware_id(set, &device, hwid))
            continue;
        if (!SetupDiCallClassInstaller(DIF_REMOVE, set, &device))
            rc = pnp_failure("removing the device node (DIF_REMOVE)", GetLastError());
        else
            removed++;
    }
    SetupDiDestroyDeviceInfoList(set);
    if (rc == CTL_EXIT_OK && removed == 0) {
        fprintf(stderr, "minwdmctl: no device has hardware id %s (minwdmctl install-device made "
                        "none, or it is gone already)\n", o->args[0]);
        return CTL_EXIT_NOT_FOUND;
    }
    if (removed)
        printf("removed %u device%s with hardware id %s\n", removed, removed == 1 ? "" : "s",
               o->args[0]);
    return rc;
}

int cli_device_service(const char *hardware_id, WCHAR *service, unsigned long chars)
{
    static WCHAR hwid[HWID_CHARS];
    SP_DEVINFO_DATA device = {.cbSize = sizeof(device)};
    DWORD type, size;
    BOOL found = FALSE;

    if (!wide(hardware_id, hwid, HWID_CHARS))
        return FALSE;
    HDEVINFO set = SetupDiGetClassDevsW(NULL, NULL, NULL, DIGCF_ALLCLASSES | DIGCF_PRESENT);
    if (set == INVALID_HANDLE_VALUE)
        return FALSE;
    for (DWORD i = 0; !found && SetupDiEnumDeviceInfo(set, i, &device); i++)
        found = has_hardware_id(set, &device, hwid) &&
                SetupDiGetDeviceRegistryPropertyW(set, &device, SPDRP_SERVICE, &type,
                                                  (BYTE *)service,
                                                  (chars - 1) * sizeof(WCHAR), &size) &&
                type == REG_SZ;
    SetupDiDestroyDeviceInfoList(set);
    if (found)
        service[chars - 1] = 0;
    return found;
}

void cli_print_devices_of_service(const WCHAR *service)
{
    static WCHAR name[256], id[512];
    SP_DEVINFO_DATA device = {.cbSize = sizeof(device)};
    DWORD type, size;

    HDEVINFO set = SetupDiGetClassDevsW(NULL, NULL, NULL, DIGCF_ALLCLASSES | DIGCF_PRESENT);
    if (set == INVALID_HANDLE_VALUE)
        return;
    for (DWORD i = 0; SetupDiEnumDeviceInfo(set, i, &device); i++) {
        if (!SetupDiGetDeviceRegistryPropertyW(set, &device, SPDRP_SERVICE, &type, (BYTE *)name,
                                               sizeof(name) - sizeof(WCHAR), &size) ||
            _wcsicmp(name, service) != 0)
            continue;
        if (!SetupDiGetDeviceInstanceIdW(set, &device, id, 512, NULL))
            wcscpy(id, L"?");
        printf("device:        %ls\n", id);
    }
    SetupDiDestroyDeviceInfoList(set);
}
