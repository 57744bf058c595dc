/* The texts of a failure: the Win32 code's system text and the NTSTATUS's name. Nothing here
 * prints. */
#ifndef MINWDMCTL_ERROR_H
#define MINWDMCTL_ERROR_H

#include <windows.h>

/* A buffer this large holds any text ctl_error_text makes. */
#define CTL_ERROR_TEXT_SIZE 1536

/* The system's text for a Win32 error code, in UTF-8, without the trailing newline; "no system
 * text for this error" when there is none. */
void ctl_error_text(DWORD error, char *text, size_t size);

/* "0xC000000D (STATUS_INVALID_PARAMETER)", or the number alone for an unnamed status. */
void ctl_ntstatus_text(LONG status, char *text, size_t size);

/* Converts a UTF-16 string to UTF-8 into out[size]: TRUE when all of it fit. When it does not,
 * out holds as many whole characters as fit, and FALSE says it was cut: say so. */
BOOL ctl_utf8(const WCHAR *in, char *out, size_t size);

#endif
