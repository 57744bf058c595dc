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

/* The WDK declares PETHREAD and PEPROCESS as pointers to the kernel's own thread and process
 * objects (struct _KTHREAD, struct _KPROCESS), so that one converts to PKTHREAD and PKPROCESS:
 * KeSetPriorityThread(thread, ...) with a PETHREAD from PsLookupThreadByThreadId. mingw-w64
 * gives them distinct tags, which C++ (and C under -Werror) then refuses. The opaque tags are
 * renamed before the DDK declares them. */
#ifndef _ETHREAD
#define _ETHREAD _KTHREAD
#endif
#ifndef _EPROCESS
#define _EPROCESS _KPROCESS
#endif

/* Whether the driver asked for no min/max macros (libstdc++, which C++ brings through <intrin.h>,
 * defines NOMINMAX itself): <minwdm/wdm_compat.h> reads it. */
#if defined(NOMINMAX) && !defined(MINWDM_NOMINMAX)
#define MINWDM_NOMINMAX
#endif

/* MSVC's C accepts a function defined with other parameter types than its declaration (warning
 * C4028), and WDK samples define PnP notification callbacks declared as
 * DRIVER_NOTIFICATION_CALLBACK_ROUTINE (PVOID, PVOID) with the notification's own pointer type
 * (DV-FailDriver-WDM). Under WDK_COMPAT, in C, that function type is left without a prototype
 * (any pointer parameters then match); the pointer type IoRegisterPlugPlayNotification takes keeps
 * the documented one. */
#if defined(MINWDM_WDK_COMPAT) && !defined(__cplusplus)
#define DRIVER_NOTIFICATION_CALLBACK_ROUTINE minwdm_ddk_notification_routine
#endif

#include_next <wdm.h>

#if defined(MINWDM_WDK_COMPAT) && !defined(__cplusplus)
#undef DRIVER_NOTIFICATION_CALLBACK_ROUTINE
typedef NTSTATUS(NTAPI DRIVER_NOTIFICATION_CALLBACK_ROUTINE)();
#endif
#include <minwdm/wdm_compat.h>
#ifdef MINWDM_VERIFY
#include <minwdm/verifier.h> /* verified builds: the verifier's virtual IRQL */
#endif
