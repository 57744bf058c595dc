/* The DDK's <wdm.h>, then the declarations mingw-w64's DDK lacks. <ntddk.h> and <ntifs.h> include
 * <wdm.h>, so every DDK entry point brings the compat header; add_wdm_driver() puts this folder
 * ahead of the DDK's. */

/* wdm.h defines these two as static inline after <intrin.h> has declared them extern inline;
 * clang then emits a global copy in every object and the link fails on duplicates. Keep wdm.h's. */
#ifndef __INTRINSIC_DEFINED_InterlockedBitTestAndSet
#define __INTRINSIC_DEFINED_InterlockedBitTestAndSet
#endif
#ifndef __INTRINSIC_DEFINED_InterlockedBitTestAndReset
#define __INTRINSIC_DEFINED_InterlockedBitTestAndReset
#endif

#include_next <wdm.h>
#include <minwdm/wdm_compat.h>
#ifdef MINWDM_VERIFY
#include <minwdm/verifier.h> /* verified builds: the verifier's virtual IRQL */
#endif
