/* What minwdmctl prints besides its commands' own lines: failure reports, UTF-8 text, JSON
 * strings, hex dumps. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ctl_error.h"

int cli_report(const char *what, DWORD error, enum ctl_context context, const LONG *status)
{
    char text[CTL_ERROR_TEXT_SIZE], status_text[96];
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

int cli_report_crashed_start(const char *service, DWORD stale_names)
{
    fprintf(stderr, "minwdmctl: starting %s failed: the driver host crashed during DriverEntry "
                    "(its process ended; on Windows, a bug check): the crash report and the "
                    "driver's log say where\n", service);
    if (stale_names)
        fprintf(stderr, "minwdmctl: %lu names it left in \\?? deleted\n",
                (unsigned long)stale_names);
    return CTL_EXIT_DRIVER;
}

char *cli_utf8(const WCHAR *text, BOOL strict)
{
    DWORD flags = strict ? WC_ERR_INVALID_CHARS : 0;
    int size = WideCharToMultiByte(CP_UTF8, flags, text, -1, NULL, 0, NULL, NULL);
    char *utf8 = size > 0 ? malloc((size_t)size) : NULL;

    if (utf8 && WideCharToMultiByte(CP_UTF8, flags, text, -1, utf8, size, NULL, NULL) != size) {
        free(utf8);
        utf8 = NULL;
    }
    return utf8;
}

BOOL cli_wide(const char *text, WCHAR *out, size_t count)
{
    int size = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, NULL, 0);

    if (size <= 0 || (size_t)size > count)
        return FALSE;
    return MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, out, size) == size;
}

void cli_print_wide(const char *prefix, const WCHAR *text, const char *suffix)
{
    char *utf8 = cli_utf8(text, FALSE);

    printf("%s%s%s", prefix, utf8 ? utf8 : "(out of memory)", suffix);
    free(utf8);
}

void cli_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

void cli_json_wide(const WCHAR *s)
{
    char *utf8 = cli_utf8(s, FALSE);

    cli_json_string(utf8 ? utf8 : "(out of memory)");
    free(utf8);
}

void cli_hex_dump(const BYTE *data, DWORD length)
{
    for (DWORD line = 0; line < length; line += 16) {
        printf("%04lx ", (unsigned long)line);
        for (DWORD i = line; i < line + 16; i++)
            printf(i < length ? " %02x" : "   ", i < length ? data[i] : 0);
        printf("  ");
        for (DWORD i = line; i < line + 16 && i < length; i++)
            putchar(data[i] >= 0x20 && data[i] < 0x7F ? data[i] : '.');
        putchar('\n');
    }
}
