#include "ctl_image.h"

#include <stdio.h>
#include <stdlib.h>

#include "pe_rules.h"

enum { MAX_IMAGE_SIZE = 64 << 20 };

struct checker {
    ctl_image_report_fn report;
    void *context;
    BOOL fatal;
};

/* A wrong format or a user-mode import means Windows cannot load the file as a driver at all;
 * the other rules concern how well a loadable driver is built. */
static void on_finding(void *context, enum pe_rule rule, const char *message)
{
    struct checker *c = context;
    BOOL fatal = rule == PE_RULE_FORMAT || rule == PE_RULE_IMPORTS;

    c->fatal |= fatal;
    c->report(c->context, fatal, pe_rule_name(rule), message);
}

static BYTE *read_image(const WCHAR *path, size_t *size, DWORD *error)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER length;
    BYTE *data = NULL;
    DWORD read = 0;

    if (file == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        return NULL;
    }
    if (!GetFileSizeEx(file, &length))
        *error = GetLastError();
    else if ((*size = (size_t)length.QuadPart) > MAX_IMAGE_SIZE)
        *error = ERROR_FILE_TOO_LARGE;
    else if ((data = malloc(length.QuadPart ? (size_t)length.QuadPart : 1)) == NULL)
        *error = ERROR_NOT_ENOUGH_MEMORY;
    else if (!ReadFile(file, data, (DWORD)length.QuadPart, &read, NULL) ||
             read != (DWORD)length.QuadPart)
        *error = GetLastError() ? GetLastError() : ERROR_READ_FAULT;
    else
        *size = read;
    CloseHandle(file);
    if (*error) {
        free(data);
        return NULL;
    }
    return data;
}

enum ctl_image_verdict ctl_image_check(const WCHAR *path, ctl_image_report_fn report,
                                       void *context, DWORD *error)
{
    /* An unsigned image is worth a warning: Windows will refuse it (577); Wine loads it. */
    const struct pe_policy policy = {.require_signature = 1};
    struct checker checker = {report, context, FALSE};
    struct pe_image image;
    char reason[256];
    size_t size = 0;

    *error = ERROR_SUCCESS;
    BYTE *data = read_image(path, &size, error);
    if (!data && *error == ERROR_FILE_TOO_LARGE) {
        /* No driver is that large; the system has no text for this error (223). */
        snprintf(reason, sizeof(reason), "%llu bytes: too large to be a driver image (the "
                 "limit is %d MiB)", (unsigned long long)size, MAX_IMAGE_SIZE >> 20);
        report(context, TRUE, "format", reason);
        *error = ERROR_SUCCESS;
        return CTL_IMAGE_NOT_A_DRIVER;
    }
    if (!data)
        return CTL_IMAGE_UNREADABLE;
    if (pe_open(&image, data, size, reason, sizeof(reason))) {
        report(context, TRUE, "format", reason);
        return CTL_IMAGE_NOT_A_DRIVER;
    }
    pe_check(&image, &policy, on_finding, &checker);
    pe_close(&image);
    return checker.fatal ? CTL_IMAGE_NOT_A_DRIVER : CTL_IMAGE_DRIVER;
}
