/* How minwdmctl explains a failure: the call, the Win32 code and text, the NTSTATUS, a hint. */
#ifndef MINWDMCTL_ERROR_H
#define MINWDMCTL_ERROR_H

#include <windows.h>

/* Exit codes, documented in `minwdmctl --help` and the README. */
enum ctl_exit {
    CTL_EXIT_OK = 0,
    CTL_EXIT_FAILED = 1,        /* anything not listed below */
    CTL_EXIT_USAGE = 2,         /* bad command line */
    CTL_EXIT_NOT_FOUND = 3,     /* file, service or device does not exist */
    CTL_EXIT_ACCESS_DENIED = 4, /* not elevated, or the device refused the handle */
    CTL_EXIT_DRIVER = 5,        /* the driver failed to start or failed a request */
};

/* The system's text for a Win32 error code, in UTF-8, without the trailing newline. */
void ctl_error_text(DWORD error, char *text, size_t size);

/* A one-line suggestion for the common failures, or NULL. */
const char *ctl_error_hint(DWORD error);

/* The exit code for a Win32 error; errors without a class of their own give fallback. */
int ctl_error_exit_code(DWORD error, int fallback);

/* Prints "minwdmctl: <what> failed: error N: text" and a hint (hint, or the usual one for the
 * error when NULL); returns the exit code. */
int ctl_report(const char *what, DWORD error, int fallback, const char *hint);
int ctl_report_win32(const char *what, DWORD error, int fallback);

/* Same for an NTSTATUS, shown beside the Win32 error it maps to. */
int ctl_report_ntstatus(const char *what, LONG status, int fallback);

/* Converts a UTF-16 string to UTF-8 into out (truncated, always terminated). */
void ctl_utf8(const WCHAR *in, char *out, size_t size);

#endif
