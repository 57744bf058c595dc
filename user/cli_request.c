/* The one device request of minwdmctl: open the command's device, send, close, and report a
 * failure with the request's name, the Win32 error and its text, and the driver's NTSTATUS. */
#include <stdio.h>
#include <winternl.h>

#include "cli.h"
#include "ctl_contract.h"
#include "ctl_device.h"
#include "ctl_service.h"

#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)

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

int cli_report_request(const struct cli_options *o, const struct cli_request *r)
{
    char what[CTL_PATH_MAX * 3 + 64];
    const char *name = ctl_code_name(r->code);

    if (r->open_error != ERROR_SUCCESS) {
        snprintf(what, sizeof(what), "opening the device %s", o->device);
        return cli_report(what, r->open_error, CTL_CONTEXT_DEVICE, NULL);
    }
    if (name)
        snprintf(what, sizeof(what), "%s", name);
    else
        snprintf(what, sizeof(what), "ioctl 0x%08lx", (unsigned long)r->code);
    return cli_report(what, RtlNtStatusToDosError(r->status), CTL_CONTEXT_DEVICE, &r->status);
}

int cli_request(const struct cli_options *o, struct cli_request *r)
{
    return cli_send(o, r) ? CTL_EXIT_OK : cli_report_request(o, r);
}
