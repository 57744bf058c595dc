/* How minwdmctl explains a failure: the call, the Win32 code and its text, the NTSTATUS when
 * there is one, and a hint. */
#ifndef MINWDMCTL_ERROR_H
#define MINWDMCTL_ERROR_H

#include <windows.h>

#include "ctl_hints.h"

/* The system's text for a Win32 error code, in UTF-8, without the trailing newline. */
void ctl_error_text(DWORD error, char *text, size_t size);

/* "0xC000000D (STATUS_INVALID_PARAMETER)", or the number alone for an unnamed status. */
void ctl_ntstatus_text(LONG status, char *text, size_t size);

/*
 * Prints "minwdmctl: <what> failed: error N: <text>", then, when has_status, the NTSTATUS it
 * came from, then the hint for the error in its context. Returns the exit code.
 */
int ctl_report(const char *what, DWORD error, enum ctl_context context, const LONG *status);

/* Converts a UTF-16 string to UTF-8 into out (truncated, always terminated). */
void ctl_utf8(const WCHAR *in, char *out, size_t size);

#endif
