/*
 * The one out-of-line copy of each <ntstrsafe.h> function (toolchain/include/ntstrsafe.h says
 * why mingw-w64's header leaves none), as the WDK's ntstrsafe.lib holds them; and the
 * UNICODE_STRING functions mingw-w64's header lacks. In the kit's compat library: a driver gets
 * what it calls, nothing else (one section per function, --gc-sections).
 */
#define MINWDM_NTSTRSAFE_IMPLEMENTATION
/* mingw-w64's bodies, as plain external definitions (the header's name for that). */
#if defined(__clang__) && __clang_major__ >= 13
#pragma clang diagnostic ignored "-Wreserved-macro-identifier" /* mingw-w64's own name */
#endif
#define __CRT_STRSAFE_IMPL
#include <ntddk.h>

#include <ntstrsafe.h>

#define MAX_BYTES (NTSTRSAFE_UNICODE_STRING_MAX_CCH * sizeof(WCHAR))

static int valid(PCUNICODE_STRING string)
{
    return string && string->Length % sizeof(WCHAR) == 0 &&
           string->MaximumLength % sizeof(WCHAR) == 0 && string->Length <= string->MaximumLength &&
           string->MaximumLength <= MAX_BYTES && (string->Buffer || string->MaximumLength == 0);
}

NTSTATUS NTAPI RtlUnicodeStringValidate(PCUNICODE_STRING SourceString)
{
    return valid(SourceString) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

NTSTATUS NTAPI RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc)
{
    size_t count = 0;

    if (!DestinationString)
        return STATUS_INVALID_PARAMETER;
    DestinationString->Buffer = (PWCH)pszSrc;
    DestinationString->Length = DestinationString->MaximumLength = 0;
    if (!pszSrc)
        return STATUS_SUCCESS;
    while (pszSrc[count]) {
        if (++count >= NTSTRSAFE_UNICODE_STRING_MAX_CCH) {
            DestinationString->Buffer = NULL;
            return STATUS_INVALID_PARAMETER;
        }
    }
    DestinationString->Length = (USHORT)(count * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)(DestinationString->Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* Appends count characters after the destination's Length; what does not fit is cut off. */
static NTSTATUS append(PUNICODE_STRING destination, const WCHAR *source, size_t count)
{
    size_t room = (destination->MaximumLength - destination->Length) / sizeof(WCHAR);
    size_t copied = count < room ? count : room;

    RtlMoveMemory((PUCHAR)destination->Buffer + destination->Length, source,
                  copied * sizeof(WCHAR));
    destination->Length = (USHORT)(destination->Length + copied * sizeof(WCHAR));
    return copied < count ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

static NTSTATUS length_of(NTSTRSAFE_PCWSTR string, size_t *count)
{
    *count = 0;
    if (!string)
        return STATUS_INVALID_PARAMETER;
    while (string[*count])
        if (++*count > NTSTRSAFE_UNICODE_STRING_MAX_CCH)
            return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeStringCopy(PUNICODE_STRING DestinationString,
                                    PCUNICODE_STRING SourceString)
{
    if (!valid(DestinationString) || !valid(SourceString))
        return STATUS_INVALID_PARAMETER;
    DestinationString->Length = 0;
    return append(DestinationString, SourceString->Buffer, SourceString->Length / sizeof(WCHAR));
}

NTSTATUS NTAPI RtlUnicodeStringCat(PUNICODE_STRING DestinationString,
                                   PCUNICODE_STRING SourceString)
{
    if (!valid(DestinationString) || !valid(SourceString))
        return STATUS_INVALID_PARAMETER;
    return append(DestinationString, SourceString->Buffer, SourceString->Length / sizeof(WCHAR));
}

NTSTATUS NTAPI RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString,
                                          NTSTRSAFE_PCWSTR pszSrc)
{
    size_t count;

    if (!valid(DestinationString) || !NT_SUCCESS(length_of(pszSrc, &count)))
        return STATUS_INVALID_PARAMETER;
    DestinationString->Length = 0;
    return append(DestinationString, pszSrc, count);
}

NTSTATUS NTAPI RtlUnicodeStringCatString(PUNICODE_STRING DestinationString,
                                         NTSTRSAFE_PCWSTR pszSrc)
{
    size_t count;

    if (!valid(DestinationString) || !NT_SUCCESS(length_of(pszSrc, &count)))
        return STATUS_INVALID_PARAMETER;
    return append(DestinationString, pszSrc, count);
}

/* The kernel's _vsnwprintf writes at most `room` characters, with no terminator when the text
 * fills them, and returns -1 when it did not fit: a UNICODE_STRING needs no terminator. */
NTSTATUS NTAPI RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString,
                                       NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    size_t room;
    int written;

    if (!valid(DestinationString) || !pszFormat)
        return STATUS_INVALID_PARAMETER;
    room = DestinationString->MaximumLength / sizeof(WCHAR);
    written = room ? _vsnwprintf(DestinationString->Buffer, room, pszFormat, argList) : -1;
    if (written < 0 || (size_t)written > room) {
        DestinationString->Length = (USHORT)(room * sizeof(WCHAR));
        return STATUS_BUFFER_OVERFLOW;
    }
    DestinationString->Length = (USHORT)((size_t)written * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSTATUS RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list arguments;
    NTSTATUS status;

    va_start(arguments, pszFormat);
    status = RtlUnicodeStringVPrintf(DestinationString, pszFormat, arguments);
    va_end(arguments);
    return status;
}
