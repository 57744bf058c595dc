#include "ctl_error.h"

#include <stdio.h>
#include <winternl.h>

/* mingw-w64's winerror.h lacks it. */
#ifndef ERROR_INVALID_IMAGE_HASH
#define ERROR_INVALID_IMAGE_HASH 577L
#endif

static const struct {
    DWORD error;
    const char *hint;
} hints[] = {
    {ERROR_FILE_NOT_FOUND, "the file does not exist: check the path"},
    {ERROR_PATH_NOT_FOUND, "a folder in the path does not exist: check the path"},
    {ERROR_ACCESS_DENIED, "run minwdmctl from an elevated (Administrator) prompt"},
    {ERROR_INVALID_PARAMETER, "a parameter was refused: check the command line (minwdmctl --help)"},
    {ERROR_BAD_EXE_FORMAT, "not a valid x64 driver image (wrong architecture, not a PE file or a "
                           "bad checksum): check it with `wdmimage check`"},
    {ERROR_INVALID_IMAGE_HASH, "Windows refused the signature: enable test signing "
                               "(bcdedit /set testsigning on, reboot) and load a signed driver"},
    {ERROR_SERVICE_ALREADY_RUNNING, "the driver already runs: minwdmctl stop, then start again"},
    {ERROR_SERVICE_DISABLED, "the service is disabled: minwdmctl remove, then install again"},
    {ERROR_SERVICE_DOES_NOT_EXIST, "the driver is not installed: minwdmctl install <path-to-.sys>"},
    {ERROR_SERVICE_NOT_ACTIVE, "the driver is not running: minwdmctl start"},
    {ERROR_SERVICE_MARKED_FOR_DELETE, "the service is marked for deletion: close what holds it "
                                      "(services.msc, a handle to the device) or reboot"},
    {ERROR_SERVICE_EXISTS, "already installed: minwdmctl remove first"},
    {ERROR_SERVICE_REQUEST_TIMEOUT, "the driver did not report in time: read its log in "
                                    "DebugView"},
    {ERROR_DRIVER_BLOCKED, "blocked by policy: the vulnerable driver blocklist, HVCI or "
                           "Smart App Control refused the image"},
    {ERROR_GEN_FAILURE, "DriverEntry failed: its log in DebugView says why"},
    {ERROR_INVALID_FUNCTION, "the driver does not know this request: are minwdmctl and the "
                             "driver from the same build? (minwdmctl version)"},
};

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

    while (n > 0 && (buffer[n - 1] == L'\n' || buffer[n - 1] == L'\r' || buffer[n - 1] == L' '))
        n--;
    buffer[n] = L'\0';
    if (n == 0)
        snprintf(text, size, "no system text for this error");
    else
        ctl_utf8(buffer, text, size);
}

const char *ctl_error_hint(DWORD error)
{
    for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
        if (hints[i].error == error)
            return hints[i].hint;
    return NULL;
}

int ctl_error_exit_code(DWORD error, int fallback)
{
    switch (error) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_SERVICE_DOES_NOT_EXIST:
        return CTL_EXIT_NOT_FOUND;
    case ERROR_ACCESS_DENIED:
        return CTL_EXIT_ACCESS_DENIED;
    default:
        return fallback;
    }
}

static int report(const char *what, const char *status, DWORD error, int fallback,
                  const char *hint)
{
    char text[512];

    if (!hint)
        hint = ctl_error_hint(error);
    ctl_error_text(error, text, sizeof(text));
    fprintf(stderr, "minwdmctl: %s failed: %serror %lu: %s\n", what, status, (unsigned long)error,
            text);
    if (hint)
        fprintf(stderr, "minwdmctl: hint: %s\n", hint);
    return ctl_error_exit_code(error, fallback);
}

int ctl_report(const char *what, DWORD error, int fallback, const char *hint)
{
    return report(what, "", error, fallback, hint);
}

int ctl_report_win32(const char *what, DWORD error, int fallback)
{
    return report(what, "", error, fallback, NULL);
}

int ctl_report_ntstatus(const char *what, LONG status, int fallback)
{
    char text[32];

    snprintf(text, sizeof(text), "NTSTATUS 0x%08lx, ", (unsigned long)status);
    return report(what, text, RtlNtStatusToDosError(status), fallback, NULL);
}
