/*
 * ntstrsafe in a driver, with either compiler: the RtlStringCb and RtlStringCch functions (printf family
 * included) and the UNICODE_STRING functions, from the kit's one out-of-line copy. This file and
 * strsafe_driver.c both include <ntstrsafe.h>: two files, so that a duplicate definition would
 * fail the link. The calls go to ntoskrnl's _vsnprintf/_vsnwprintf, which Wine 8 has.
 */
#include <ntddk.h>
#include <ntstrsafe.h>

#include "strsafe_driver.h"

NTSTATUS strsafe_format(ULONG n, PWCHAR out, ULONG out_size, PULONG written)
{
    UNICODE_STRING text;
    size_t bytes;
    NTSTATUS status;

    *written = 0;
    status = RtlStringCbPrintfW(out, out_size, L"%lu-%ls-%hs", (unsigned long)n, L"wide",
                                "narrow");
    if (NT_SUCCESS(status))
        status = RtlStringCbLengthW(out, out_size, &bytes);
    if (!NT_SUCCESS(status))
        return status;
    text.Buffer = out;
    text.Length = (USHORT)bytes;
    text.MaximumLength = (USHORT)(out_size > 0xFFFE ? 0xFFFE : out_size & ~1u);
    status = RtlUnicodeStringCatString(&text, L"-0x");
    if (NT_SUCCESS(status)) {
        UNICODE_STRING tail = {0, (USHORT)(text.MaximumLength - text.Length),
                               (PWCH)((PUCHAR)text.Buffer + text.Length)};
        status = RtlUnicodeStringPrintf(&tail, L"%lx!", (unsigned long)n);
        text.Length = (USHORT)(text.Length + tail.Length);
    }
    if (NT_SUCCESS(status))
        *written = text.Length;
    return status;
}

/* Each check is 1 when the result is what the WDK documents. */
ULONG strsafe_checks(PULONG first_failure)
{
    WCHAR wide[8];
    char narrow[8];
    size_t length = 0;
    UNICODE_STRING string = {0, sizeof(wide), wide};
    int checks[12], i = 0, failed = 0;

    /* Cut to fit, terminated, and said so. */
    checks[i++] = RtlStringCchCopyW(wide, 8, L"0123456789") == STATUS_BUFFER_OVERFLOW &&
                  wide[7] == L'\0' && wide[6] == L'6';
    checks[i++] = RtlStringCchCopyW(wide, 8, L"0123456") == STATUS_SUCCESS && wide[6] == L'6';
    checks[i++] = RtlStringCbPrintfA(narrow, sizeof(narrow), "%s%d", "ab", 42) == STATUS_SUCCESS &&
                  narrow[4] == '\0' && narrow[2] == '4';
    checks[i++] = RtlStringCbPrintfA(narrow, sizeof(narrow), "%s", "123456789") ==
                      STATUS_BUFFER_OVERFLOW && narrow[7] == '\0';
    checks[i++] = RtlStringCbLengthA("abc", 8, &length) == STATUS_SUCCESS && length == 3;
    /* No terminator within the bound: an error, not a read past it. */
    checks[i++] = RtlStringCbLengthA("abcdefgh", 4, &length) == STATUS_INVALID_PARAMETER;
    checks[i++] = RtlStringCchLengthW(L"abc", 8, &length) == STATUS_SUCCESS && length == 3;
    checks[i++] = RtlStringCchCatW(wide, 8, L"x") == STATUS_BUFFER_OVERFLOW;
    checks[i++] = RtlStringCchPrintfW(wide, 8, L"%d", 7) == STATUS_SUCCESS && wide[0] == L'7' &&
                  wide[1] == L'\0';
    checks[i++] = RtlStringCchCopyNA(narrow, sizeof(narrow), "abcdef", 2) == STATUS_SUCCESS &&
                  narrow[2] == '\0';
    /* UNICODE_STRING: no terminator needed, the length in bytes, a cut said so. */
    checks[i++] = RtlUnicodeStringPrintf(&string, L"%d%d", 12, 34) == STATUS_SUCCESS &&
                  string.Length == 8;
    checks[i++] = RtlUnicodeStringCopyString(&string, L"0123456789") == STATUS_BUFFER_OVERFLOW &&
                  string.Length == sizeof(wide);
    *first_failure = 0;
    for (int k = 0; k < i; k++) {
        if (!checks[k]) {
            failed++;
            if (!*first_failure)
                *first_failure = (ULONG)k + 1;
        }
    }
    return (ULONG)failed;
}
