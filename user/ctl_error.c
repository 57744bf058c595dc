#include "ctl_error.h"

#include <stdio.h>
#include <string.h>

#include <minwdm/ntstatus_names.h>

/* UTF-8 bytes of the character at in[0] (a surrogate pair counts as one), and its UTF-16 length. */
static size_t utf8_length(const WCHAR *in, int *units)
{
    *units = 1;
    if (in[0] < 0x80)
        return 1;
    if (in[0] < 0x800)
        return 2;
    if (in[0] >= 0xD800 && in[0] < 0xDC00 && in[1] >= 0xDC00 && in[1] < 0xE000) {
        *units = 2;
        return 4;
    }
    return 3;
}

BOOL ctl_utf8(const WCHAR *in, char *out, size_t size)
{
    size_t bytes = 0;
    int fitting = 0, units;

    if (size == 0)
        return in[0] == 0;
    /* Count the whole characters that fit, then convert exactly those. */
    while (in[fitting]) {
        size_t length = utf8_length(in + fitting, &units);
        if (bytes + length >= size)
            break;
        bytes += length;
        fitting += units;
    }
    int written = fitting ? WideCharToMultiByte(CP_UTF8, 0, in, fitting, out, (int)size - 1,
                                                NULL, NULL)
                          : 0;
    out[written > 0 ? written : 0] = '\0';
    return in[fitting] == 0 && written == (int)bytes;
}

/* Ends a cut text with "...", on a character boundary. */
static void mark_cut(char *text, size_t size)
{
    size_t end = strlen(text);

    if (size < 4)
        return;
    if (end > size - 4)
        end = size - 4;
    while (end > 0 && ((unsigned char)text[end] & 0xC0) == 0x80)
        end--;
    memcpy(text + end, "...", 4);
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
    else if (!ctl_utf8(buffer, text, size))
        mark_cut(text, size);
}

void ctl_ntstatus_text(LONG status, char *text, size_t size)
{
    const char *name = minwdm_ntstatus_name((int32_t)status);

    if (name)
        snprintf(text, size, "0x%08lX (%s)", (unsigned long)status, name);
    else
        snprintf(text, size, "0x%08lX", (unsigned long)status);
}
