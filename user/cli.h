/*
 * minwdmctl's pieces on Windows: the commands (one function each, in the file of their concern:
 * cli_service.c, cli_device.c, cli_log.c), the one device request helper (cli_request.c) and the
 * output helpers (cli_output.c). minwdmctl.c holds the command table. A new command is a file of
 * its own, its function declared here, and one entry in the table.
 */
#ifndef MINWDMCTL_CLI_H
#define MINWDMCTL_CLI_H

#include <windows.h>

#include "cli_args.h"
#include "ctl_hints.h"

/* cli_service.c */
int cli_install(const struct cli_options *o);
int cli_start(const struct cli_options *o);
int cli_stop(const struct cli_options *o);
int cli_remove(const struct cli_options *o);
int cli_load(const struct cli_options *o);
int cli_unload(const struct cli_options *o);
int cli_status(const struct cli_options *o);

/* cli_device.c */
int cli_version(const struct cli_options *o);
int cli_echo(const struct cli_options *o);
int cli_stats(const struct cli_options *o);
int cli_selftest(const struct cli_options *o);
int cli_fail_alloc(const struct cli_options *o);
int cli_bench(const struct cli_options *o);
int cli_ioctl(const struct cli_options *o);

/* cli_log.c */
int cli_log(const struct cli_options *o);
int cli_log_level(const struct cli_options *o);
/* Prints the log a driver left in its service key when its start failed, or says it left none. */
void cli_print_log_of_failed_start(const struct cli_options *o);

/* --- cli_request.c: the one way to send a device request --- */

struct cli_request {
    DWORD code;
    const void *input;
    DWORD input_length;
    void *output;
    DWORD output_length;
    BOOL exact;       /* the answer must fill output exactly (else STATUS_INFO_LENGTH_MISMATCH) */
    DWORD open_error; /* out: why the device could not be opened, or ERROR_SUCCESS */
    LONG status;      /* out: the driver's NTSTATUS */
    DWORD returned;   /* out: the bytes it returned */
};

/* Opens the command's device, sends the request, closes it: TRUE when the driver succeeded.
 * Prints nothing. */
BOOL cli_send(const struct cli_options *o, struct cli_request *r);

/* Reports a failed cli_send: the device that could not be opened, or the request by its name,
 * with the Win32 error, its text and the NTSTATUS. Returns the exit code. */
int cli_report_request(const struct cli_options *o, const struct cli_request *r);

/* cli_send, and cli_report_request when it failed: CTL_EXIT_OK or the exit code. */
int cli_request(const struct cli_options *o, struct cli_request *r);

/* --- cli_output.c --- */

/* "minwdmctl: <what> failed: error N: <text>", the NTSTATUS when there is one, and the hint.
 * Returns the exit code. */
int cli_report(const char *what, DWORD error, enum ctl_context context, const LONG *status);

/* A start during which the driver's host died (ctl_result.crashed_in_start): a crash, never a
 * timeout (issue 20). Returns the exit code. */
int cli_report_crashed_start(const char *service, DWORD stale_names);

/* UTF-16 to UTF-8, malloc'd (free it); NULL when out of memory, or when strict and the text is
 * not valid UTF-16. */
char *cli_utf8(const WCHAR *text, BOOL strict);

/* UTF-8 to UTF-16 into out[count]: FALSE when it does not fit or is not valid UTF-8. */
BOOL cli_wide(const char *text, WCHAR *out, size_t count);

void cli_print_wide(const char *prefix, const WCHAR *text, const char *suffix);
void cli_json_string(const char *s);
void cli_json_wide(const WCHAR *s);
void cli_hex_dump(const BYTE *data, DWORD length);

#endif
