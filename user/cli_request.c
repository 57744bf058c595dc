/* The one device request of minwdmctl: open the command's device, send, close, and report a
 * failure with the request's name, the Win32 error and its text, and the driver's NTSTATUS. */
#include <stdio.h>
#include <winternl.h>

#include "cli.h"
#include "ctl_contract.h"
#include "ctl_device.h"
#include "ctl_host.h"
#include "ctl_service.h"

#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)
#define STATUS_FILE_DELETED ((LONG)0xC0000123) /* Wine: the device went with its host */
#define STATUS_PIPE_BROKEN ((LONG)0xC000014B)

BOOL cli_send(const struct cli_options *o, struct cli_request *r)
{
    HANDLE device = ctl_device_open(o->device_w, &r->open_error);

    r->status = 0;
    r->returned = 0;
    if (device == INVALID_HANDLE_VALUE)
        return FALSE;
    r->status = ctl_device_request(device, r->code, r->input, r->input_length, r->output,
                                   r->output_length, &r->returned);
    CloseHandle(device);
    if (r->status >= 0 && r->exact && r->returned != r->output_length)
        r->status = STATUS_INFO_LENGTH_MISMATCH;
    return r->status >= 0;
}

/* A device that vanished under the request, or cannot be opened: its driver's host may have
 * died (Wine). A request in flight fails first, while the host is still going: it is given a
 * few seconds. */
static BOOL host_crashed(const struct cli_options *o, const struct cli_request *r)
{
    BOOL in_flight = r->open_error == ERROR_SUCCESS;
    DWORD pid;

    if (in_flight && r->status != STATUS_FILE_DELETED && r->status != STATUS_PIPE_BROKEN)
        return FALSE;
    for (int tries = in_flight ? 30 : 1; tries > 0; tries--) {
        enum ctl_host_state host = ctl_host_state(o->service_w, &pid);
        if (host != CTL_HOST_ALIVE)
            return host == CTL_HOST_CRASHED;
        Sleep(100);
    }
    return FALSE;
}

static int report_crash(const struct cli_options *o, const char *what)
{
    fprintf(stderr, "minwdmctl: %s failed: the driver host crashed (its process ended): the "
                    "driver is gone\n", what);
    fprintf(stderr, "minwdmctl: its log went with it (a driver saves its log when it unloads); "
                    "the lines it printed are in the debug output (DebugView; under Wine, "
                    "the session's stderr with WINEDEBUG=warn+debugstr)\n");
    fprintf(stderr, "minwdmctl: hint: minwdmctl --name %s remove (or stop) cleans up after it; "
                    "then load it again\n", o->service);
    return CTL_EXIT_DRIVER;
}

int cli_report_request(const struct cli_options *o, const struct cli_request *r)
{
    char what[CTL_PATH_MAX * 3 + 64];
    const char *name = ctl_code_name(r->code);

    if (r->open_error != ERROR_SUCCESS)
        snprintf(what, sizeof(what), "opening the device %s", o->device);
    else if (name)
        snprintf(what, sizeof(what), "%s", name);
    else
        snprintf(what, sizeof(what), "ioctl 0x%08lx", (unsigned long)r->code);
    if (host_crashed(o, r))
        return report_crash(o, what);
    if (r->open_error != ERROR_SUCCESS)
        return cli_report(what, r->open_error, CTL_CONTEXT_DEVICE, NULL);
    return cli_report(what, RtlNtStatusToDosError(r->status), CTL_CONTEXT_DEVICE, &r->status);
}

int cli_request(const struct cli_options *o, struct cli_request *r)
{
    return cli_send(o, r) ? CTL_EXIT_OK : cli_report_request(o, r);
}
