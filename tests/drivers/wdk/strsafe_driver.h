/* The requests of strsafe_driver.sys (two files that both include <ntstrsafe.h>). */
#ifndef STRSAFE_DRIVER_H
#define STRSAFE_DRIVER_H

#define STRSAFE_TYPE 0x8153u
/* Input: a ULONG n. Output: the UTF-16 text RtlStringCbPrintfW, RtlStringCchCatW and
 * RtlUnicodeStringCatString make of it: "<n>-wide-narrow-0x<n in hex>!" with no terminator. */
#define IOCTL_STRSAFE_FORMAT CTL_CODE(STRSAFE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)
/* Output: two ULONGs: the number of ntstrsafe checks that failed, and the first one (1-based). */
#define IOCTL_STRSAFE_CHECKS CTL_CODE(STRSAFE_TYPE, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS)

/* strsafe_checks.c */
NTSTATUS strsafe_format(ULONG n, PWCHAR out, ULONG out_size, PULONG written);
ULONG strsafe_checks(PULONG first_failure);

#endif
