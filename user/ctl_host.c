#include "ctl_host.h"

#include <stdlib.h>
#include <string.h>
#include <tlhelp32.h>
#include <wchar.h>
#include <winternl.h>

#include "ctl_service.h"

/* ntdll's object namespace calls, which mingw-w64's winternl.h does not declare. */
NTSTATUS NTAPI NtOpenDirectoryObject(HANDLE *directory, ACCESS_MASK access,
                                     OBJECT_ATTRIBUTES *attributes);
NTSTATUS NTAPI NtQueryDirectoryObject(HANDLE directory, void *buffer, ULONG length,
                                      BOOLEAN single, BOOLEAN restart, ULONG *context,
                                      ULONG *returned);
NTSTATUS NTAPI NtOpenSymbolicLinkObject(HANDLE *link, ACCESS_MASK access,
                                        OBJECT_ATTRIBUTES *attributes);
NTSTATUS NTAPI NtQuerySymbolicLinkObject(HANDLE link, UNICODE_STRING *target, ULONG *length);
NTSTATUS NTAPI NtMakeTemporaryObject(HANDLE object);

#define DIRECTORY_QUERY 0x0001
#define SYMBOLIC_LINK_QUERY 0x0001
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034)
#define STATUS_OBJECT_PATH_NOT_FOUND ((NTSTATUS)0xC000003A)

struct directory_entry {
    UNICODE_STRING name;
    UNICODE_STRING type;
};

BOOL ctl_under_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");

    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

/* Whether the process has a module loaded from path. */
static BOOL has_module(DWORD pid, const WCHAR *path)
{
    HANDLE modules = CreateToolhelp32Snapshot(TH32CS_SNAPMODULE, pid);
    MODULEENTRY32W module = {.dwSize = sizeof(module)};
    BOOL found = FALSE;

    if (modules == INVALID_HANDLE_VALUE)
        return FALSE;
    for (BOOL more = Module32FirstW(modules, &module); more && !found;
         more = Module32NextW(modules, &module))
        found = _wcsicmp(module.szExePath, path) == 0;
    CloseHandle(modules);
    return found;
}

/* The winedevice.exe that has the image loaded: its process id, or 0. */
static DWORD find_host(const WCHAR *image)
{
    HANDLE processes = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W process = {.dwSize = sizeof(process)};
    DWORD pid = 0;

    if (processes == INVALID_HANDLE_VALUE)
        return 0;
    for (BOOL more = Process32FirstW(processes, &process); more && !pid;
         more = Process32NextW(processes, &process))
        if (_wcsicmp(process.szExeFile, L"winedevice.exe") == 0 &&
            has_module(process.th32ProcessID, image))
            pid = process.th32ProcessID;
    CloseHandle(processes);
    return pid;
}

/* The service manager may keep the path in NT form; the loader reports the DOS one. */
static const WCHAR *dos_image(const struct ctl_service_info *info)
{
    return wcsncmp(info->image_path, L"\\??\\", 4) == 0 ? info->image_path + 4 : info->image_path;
}

enum ctl_host_state ctl_host_state(const WCHAR *service, DWORD *pid)
{
    static struct ctl_service_info info;
    struct ctl_result result;
    struct ctl_host_facts facts = {.under_wine = ctl_under_wine()};

    *pid = 0;
    if (!facts.under_wine || !ctl_service_query(service, &info, &result))
        return CTL_HOST_UNKNOWN;
    facts.service_state = info.state;
    facts.win32_exit_code = info.win32_exit_code;
    if (ctl_host_needs_lookup(&facts))
        facts.host_pid = find_host(dos_image(&info));
    *pid = facts.host_pid;
    return ctl_host_judge(&facts);
}

BOOL ctl_host_crashed_in_start_of(const WCHAR *service, DWORD start_error)
{
    static struct ctl_service_info info;
    struct ctl_result result;
    struct ctl_host_facts facts = {.under_wine = ctl_under_wine()};

    if (!facts.under_wine || !ctl_service_query(service, &info, &result))
        return FALSE;
    facts.host_pid = find_host(dos_image(&info));
    return ctl_host_crashed_in_start(&facts, start_error);
}

_Static_assert(CTL_SERVICE_STOPPED == SERVICE_STOPPED && CTL_SERVICE_RUNNING == SERVICE_RUNNING &&
                   CTL_SERVICE_STOP_PENDING == SERVICE_STOP_PENDING &&
                   CTL_ERROR_PROCESS_ABORTED == ERROR_PROCESS_ABORTED &&
                   CTL_ERROR_SERVICE_REQUEST_TIMEOUT == ERROR_SERVICE_REQUEST_TIMEOUT,
               "ctl_host_rule.h's values are winsvc.h's and winerror.h's");

static void init_attributes(OBJECT_ATTRIBUTES *attributes, UNICODE_STRING *name, HANDLE root)
{
    InitializeObjectAttributes(attributes, name, OBJ_CASE_INSENSITIVE, root, NULL);
}

/* Whether an object of that name exists, without opening it: a device answers a directory
 * open with STATUS_OBJECT_TYPE_MISMATCH, and nothing is sent to its driver. */
static BOOL object_exists(UNICODE_STRING *name)
{
    OBJECT_ATTRIBUTES attributes;
    HANDLE directory;
    NTSTATUS status;

    init_attributes(&attributes, name, NULL);
    status = NtOpenDirectoryObject(&directory, DIRECTORY_QUERY, &attributes);
    if (status >= 0)
        CloseHandle(directory);
    return status != STATUS_OBJECT_NAME_NOT_FOUND && status != STATUS_OBJECT_PATH_NOT_FOUND;
}

/* Whether the link called name in directory points at a \Device\ that is gone. */
static BOOL stale(HANDLE directory, UNICODE_STRING *name)
{
    static WCHAR target_buffer[1024];
    UNICODE_STRING target = {0, sizeof(target_buffer) - sizeof(WCHAR), target_buffer};
    OBJECT_ATTRIBUTES attributes;
    HANDLE link;
    ULONG length;
    BOOL gone;

    init_attributes(&attributes, name, directory);
    if (NtOpenSymbolicLinkObject(&link, SYMBOLIC_LINK_QUERY, &attributes) < 0)
        return FALSE;
    gone = NtQuerySymbolicLinkObject(link, &target, &length) >= 0 && target.Length > 16 &&
           _wcsnicmp(target.Buffer, L"\\Device\\", 8) == 0 && !object_exists(&target);
    CloseHandle(link);
    return gone;
}

static BOOL remove_link(HANDLE directory, UNICODE_STRING *name)
{
    OBJECT_ATTRIBUTES attributes;
    HANDLE link;
    BOOL removed;

    init_attributes(&attributes, name, directory);
    if (NtOpenSymbolicLinkObject(&link, DELETE, &attributes) < 0)
        return FALSE;
    removed = NtMakeTemporaryObject(link) >= 0; /* gone once its last handle closes */
    CloseHandle(link);
    return removed;
}

enum { MAX_STALE = 64, NAME_MAX_CHARS = 256 };

/* The stale links' names, found first and removed after: removing one while listing the
 * directory would move the entries after it. */
static ULONG find_stale(HANDLE directory, WCHAR (*names)[NAME_MAX_CHARS])
{
    static BYTE buffer[4096];
    ULONG context = 0, returned, count = 0;

    while (count < MAX_STALE && NtQueryDirectoryObject(directory, buffer, sizeof(buffer), TRUE,
                                                       FALSE, &context, &returned) == 0) {
        struct directory_entry *entry = (struct directory_entry *)buffer;
        size_t chars = entry->name.Length / sizeof(WCHAR);
        if (entry->type.Length == 24 && wcsncmp(entry->type.Buffer, L"SymbolicLink", 12) == 0 &&
            chars < NAME_MAX_CHARS && stale(directory, &entry->name)) {
            memcpy(names[count], entry->name.Buffer, chars * sizeof(WCHAR));
            names[count++][chars] = L'\0';
        }
    }
    return count;
}

DWORD ctl_host_remove_stale_names(void)
{
    static WCHAR names[MAX_STALE][NAME_MAX_CHARS];
    static WCHAR dos_devices_name[] = L"\\??";
    UNICODE_STRING dos_devices = {sizeof(dos_devices_name) - sizeof(WCHAR),
                                  sizeof(dos_devices_name), dos_devices_name};
    OBJECT_ATTRIBUTES attributes;
    HANDLE directory;
    DWORD removed = 0;

    if (!ctl_under_wine())
        return 0;
    init_attributes(&attributes, &dos_devices, NULL);
    if (NtOpenDirectoryObject(&directory, DIRECTORY_QUERY, &attributes) < 0)
        return 0;
    ULONG count = find_stale(directory, names);
    for (ULONG i = 0; i < count; i++) {
        UNICODE_STRING name = {(USHORT)(wcslen(names[i]) * sizeof(WCHAR)),
                               (USHORT)(wcslen(names[i]) * sizeof(WCHAR)), names[i]};
        removed += remove_link(directory, &name);
    }
    CloseHandle(directory);
    return removed;
}
