#include "ctl_test.h"

#include <string.h>

#include "ctl_device.h"
#include "ctl_host.h"
#include "ctl_service.h"

struct pending_request {
    HANDLE device;
    DWORD code;
    const void *input;
    DWORD input_length;
    void *output;
    DWORD output_length;
    DWORD returned;
    LONG status;
};

static DWORD WINAPI request_thread(void *context)
{
    struct pending_request *r = context;

    r->status = ctl_device_request(r->device, r->code, r->input, r->input_length, r->output,
                                   r->output_length, &r->returned);
    return 0;
}

LONG ctl_request_within(HANDLE device, DWORD code, const void *input, DWORD input_length,
                        void *output, DWORD output_length, DWORD *returned, DWORD timeout_ms)
{
    /* Heap, not stack: an abandoned thread may still write its answer here. */
    struct pending_request *r = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*r));
    HANDLE thread;
    LONG status;

    *returned = 0;
    if (!r)
        return (LONG)0xC000009AL; /* STATUS_INSUFFICIENT_RESOURCES */
    *r = (struct pending_request){device, code, input, input_length, output, output_length, 0, 0};
    thread = CreateThread(NULL, 0, request_thread, r, 0, NULL);
    if (!thread) {
        HeapFree(GetProcessHeap(), 0, r);
        return (LONG)0xC000009AL;
    }
    if (WaitForSingleObject(thread, timeout_ms) == WAIT_TIMEOUT) {
        CancelIoEx(device, NULL);
        if (WaitForSingleObject(thread, 1000) == WAIT_TIMEOUT) {
            CloseHandle(thread);
            /* r stays allocated for the abandoned thread, which may still write to it */
            // cppcheck-suppress memleak
            return CTL_STATUS_HUNG;
        }
        CloseHandle(thread);
        HeapFree(GetProcessHeap(), 0, r);
        return CTL_STATUS_TIMEOUT;
    }
    CloseHandle(thread);
    status = r->status;
    *returned = r->returned;
    HeapFree(GetProcessHeap(), 0, r);
    return status;
}

LONG ctl_test_entry(HANDLE control, uint32_t index, struct minwdm_test_entry *entry,
                    DWORD timeout_ms)
{
    DWORD returned;
    LONG status = ctl_request_within(control, IOCTL_MINWDM_CONTROL_LIST_TESTS, &index,
                                     sizeof(index), entry, sizeof(*entry), &returned, timeout_ms);

    if (status >= 0 && returned != sizeof(*entry))
        return (LONG)0xC0000004L; /* STATUS_INFO_LENGTH_MISMATCH */
    if (status >= 0)
        entry->name[sizeof(entry->name) - 1] = '\0';
    return status;
}

LONG ctl_test_run(HANDLE control, const char *name, struct minwdm_test_result *result,
                  DWORD timeout_ms)
{
    DWORD returned;
    LONG status = ctl_request_within(control, IOCTL_MINWDM_CONTROL_RUN_TEST, name,
                                     (DWORD)strlen(name), result, sizeof(*result), &returned,
                                     timeout_ms);

    if (status >= 0 && (returned != sizeof(*result) || result->text_length >= sizeof(result->text)))
        return (LONG)0xC0000004L;
    if (status >= 0)
        result->text[result->text_length] = '\0';
    return status;
}

/* A REG_BINARY value of the service's saved key into buffer (at most *size bytes; *size is then
 * what it held). A value longer than the buffer, or of another type, is ERROR_INVALID_DATA. */
static DWORD read_saved_binary(const WCHAR *service, const WCHAR *name, void *buffer, DWORD *size)
{
    HKEY key = ctl_saved_key(service, KEY_QUERY_VALUE);
    DWORD type, error;

    if (!key)
        return ERROR_FILE_NOT_FOUND;
    error = RegQueryValueExW(key, name, NULL, &type, (BYTE *)buffer, size);
    RegCloseKey(key);
    if (error == ERROR_MORE_DATA || (error == ERROR_SUCCESS && type != REG_BINARY))
        return ERROR_INVALID_DATA;
    return error;
}

DWORD ctl_unload_report(const WCHAR *service, struct minwdm_unload_report *report)
{
    DWORD size = sizeof(*report);
    DWORD error = read_saved_binary(service, MINWDM_UNLOAD_REPORT_VALUE, report, &size);

    if (error != ERROR_SUCCESS)
        return error;
    if (size != sizeof(*report) || report->abi_version != MINWDM_CONTROL_ABI_VERSION)
        return ERROR_INVALID_DATA;
    return ERROR_SUCCESS;
}

uint64_t ctl_instance(HANDLE control, DWORD timeout_ms)
{
    struct minwdm_control_info info;
    DWORD returned;
    LONG status = ctl_request_within(control, IOCTL_MINWDM_CONTROL_GET_INFO, NULL, 0, &info,
                                     sizeof(info), &returned, timeout_ms);

    if (status < 0 || returned != sizeof(info) || info.abi_version != MINWDM_CONTROL_ABI_VERSION)
        return 0;
    return info.instance;
}

DWORD ctl_pending_read(const WCHAR *service, uint64_t instance, struct ctl_pending_list *list)
{
    DWORD size = sizeof(*list);
    DWORD error = read_saved_binary(service, MINWDM_PENDING_IRPS_VALUE, list, &size);

    if (error != ERROR_SUCCESS)
        return error;
    return ctl_pending_valid(list, size, instance) ? ERROR_SUCCESS : ERROR_INVALID_DATA;
}

uint64_t ctl_pending_now(void)
{
    LARGE_INTEGER counter, frequency;

    if (!QueryPerformanceCounter(&counter) || !QueryPerformanceFrequency(&frequency) ||
        frequency.QuadPart <= 0)
        return 0;
    uint64_t c = (uint64_t)counter.QuadPart, f = (uint64_t)frequency.QuadPart;
    return c / f * 10000000u + c % f * 10000000u / f; /* as the kernel's vfy_now_100ns */
}

BOOL ctl_driver_host_alive(const WCHAR *service)
{
    struct ctl_service_info info;
    struct ctl_result result;
    DWORD pid;

    if (!ctl_service_query(service, &info, &result) || info.state != SERVICE_RUNNING)
        return FALSE;
    return ctl_host_state(service, &pid) != CTL_HOST_CRASHED;
}

enum ctl_program_end ctl_run_program(WCHAR *command_line, DWORD timeout_ms, DWORD *exit_code)
{
    STARTUPINFOW startup = {.cb = sizeof(startup)};
    PROCESS_INFORMATION process;
    enum ctl_program_end end = CTL_PROGRAM_EXITED;

    if (!CreateProcessW(NULL, command_line, NULL, NULL, FALSE, 0, NULL, NULL, &startup,
                        &process)) {
        *exit_code = GetLastError();
        return CTL_PROGRAM_NOT_STARTED;
    }
    if (WaitForSingleObject(process.hProcess, timeout_ms) == WAIT_TIMEOUT) {
        TerminateProcess(process.hProcess, 1);
        WaitForSingleObject(process.hProcess, 5000);
        end = CTL_PROGRAM_TIMED_OUT;
    }
    if (!GetExitCodeProcess(process.hProcess, exit_code))
        *exit_code = 1;
    CloseHandle(process.hThread);
    CloseHandle(process.hProcess);
    return end;
}
