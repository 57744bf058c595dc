/*
 * mingw-w64's <ntstrsafe.h>, made to link. Its functions are `extern __inline` definitions in
 * every file that includes it, and only when the compiler inlines (with -O0, __NO_INLINE__ makes
 * it declare them and define nothing), while no library of mingw-w64 holds a copy: an unoptimised
 * build cannot link any of them, an optimised one cannot link two files that include the header
 * (C99 inline semantics: each file defines them all). Here every file sees plain declarations,
 * and the kit's compat library (src/runtime/compat/ntstrsafe.c) holds the one copy of each, as
 * the WDK's ntstrsafe.lib does. It also adds what mingw-w64's header lacks: the UNICODE_STRING
 * functions (RtlUnicodeStringInit, RtlUnicodeStringPrintf, ...).
 */
#ifndef MINWDM_NTSTRSAFE_IMPLEMENTATION
#ifndef __CRT_STRSAFE_IMPL
#define __CRT_STRSAFE_IMPL /* plain extern declarations, not extern __inline */
#endif
#ifndef __STRSAFE__NO_INLINE
#define __STRSAFE__NO_INLINE /* and no bodies */
#endif
#endif

#include_next <ntstrsafe.h>

#ifndef MINWDM_NTSTRSAFE_H
#define MINWDM_NTSTRSAFE_H

#ifdef __cplusplus
extern "C" {
#endif

/* UNICODE_STRING variants (ntstrsafe.lib): lengths in bytes, no terminating null required. */
#ifndef NTSTRSAFE_UNICODE_STRING_MAX_CCH
#define NTSTRSAFE_UNICODE_STRING_MAX_CCH 32767
#endif
NTSTATUS NTAPI RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS NTAPI RtlUnicodeStringValidate(PCUNICODE_STRING SourceString);
NTSTATUS NTAPI RtlUnicodeStringCopy(PUNICODE_STRING DestinationString,
                                    PCUNICODE_STRING SourceString);
NTSTATUS NTAPI RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString,
                                          NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS NTAPI RtlUnicodeStringCat(PUNICODE_STRING DestinationString,
                                   PCUNICODE_STRING SourceString);
NTSTATUS NTAPI RtlUnicodeStringCatString(PUNICODE_STRING DestinationString,
                                         NTSTRSAFE_PCWSTR pszSrc);
NTSTATUS RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTATUS NTAPI RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString,
                                       NTSTRSAFE_PCWSTR pszFormat, va_list argList);

#ifdef __cplusplus
}
#endif

#endif
