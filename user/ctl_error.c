#include "ctl_error.h"

#include <stdio.h>

#include <minwdm/ntstatus_names.h>

void ctl_utf8(const WCHAR *in, char *out, size_t size)
{
    if (size == 0)
        return;
    if (!WideCharToMultiByte(CP_UTF8, 0, in, -1, out, (int)size, NULL, NULL))
        out[0] = '\0';
    out[size - 1] = '\0';
}

void ctl_error_text(DWORD error, char *text, size_t size)
{
    WCHAR buffer[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
                             error, 0, buffer, sizeof(buffer) / sizeof(buffer[0]), NULL);

    while (n > 0 && (buffer[n - 1] == L'\n' || buffer[n - 1] == L'\r' || buffer[n - 1] == L' ' ||
                     buffer[n - 1] == L'.'))
        n--;
    buffer[n] = L'\0';
    if (n == 0)
        snprintf(text, size, "no system text for this error");
    else
        ctl_utf8(buffer, text, size);
}

void ctl_ntstatus_text(LONG status, char *text, size_t size)
{
    const char *name = minwdm_ntstatus_name((int32_t)status);

    if (name)
        snprintf(text, size, "0x%08lX (%s)", (unsigned long)status, name);
    else
        snprintf(text, size, "0x%08lX", (unsigned long)status);
}

int ctl_report(const char *what, DWORD error, enum ctl_context context, const LONG *status)
{
    char text[512], status_text[96];
    const char *hint = ctl_hint(error, context);

    ctl_error_text(error, text, sizeof(text));
    fprintf(stderr, "minwdmctl: %s failed: error %lu: %s\n", what, (unsigned long)error, text);
    if (status) {
        ctl_ntstatus_text(*status, status_text, sizeof(status_text));
        fprintf(stderr, "minwdmctl: %s: NTSTATUS %s\n",
                context == CTL_CONTEXT_START ? "DriverEntry returned" : "the driver answered",
                status_text);
    }
    if (hint)
        fprintf(stderr, "minwdmctl: hint: %s\n", hint);
    return ctl_exit_code(error, context);
}
