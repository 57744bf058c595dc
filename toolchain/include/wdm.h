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

/* The kernel exports each object type as a variable holding its POBJECT_TYPE, and the WDK
 * declares it `extern POBJECT_TYPE *PsThreadType;`, not dllimport: the name is the import
 * slot, which holds the variable's address, so `*PsThreadType` is the type. mingw-w64 declares
 * the same names dllimport as well, one indirection too many: `*PsThreadType` then read the
 * type's first field (KMelody's ObReferenceObjectByHandle(..., *PsThreadType, ...) faulted
 * inside Wine, and Windows would refuse the type). Each name is its import slot again. */
#ifdef __cplusplus
extern "C" {
#endif
#define MINWDM_OBJECT_TYPE(name)                                                                   \
    extern POBJECT_TYPE *__imp_##name;
MINWDM_OBJECT_TYPE(CmKeyObjectType)
MINWDM_OBJECT_TYPE(ExEventObjectType)
MINWDM_OBJECT_TYPE(ExSemaphoreObjectType)
MINWDM_OBJECT_TYPE(IoFileObjectType)
MINWDM_OBJECT_TYPE(PsThreadType)
MINWDM_OBJECT_TYPE(SeTokenObjectType)
MINWDM_OBJECT_TYPE(PsProcessType)
MINWDM_OBJECT_TYPE(TmEnlistmentObjectType)
MINWDM_OBJECT_TYPE(TmResourceManagerObjectType)
MINWDM_OBJECT_TYPE(TmTransactionManagerObjectType)
MINWDM_OBJECT_TYPE(TmTransactionObjectType)
#undef MINWDM_OBJECT_TYPE
#ifdef __cplusplus
}
#endif
#define CmKeyObjectType __imp_CmKeyObjectType
#define ExEventObjectType __imp_ExEventObjectType
#define ExSemaphoreObjectType __imp_ExSemaphoreObjectType
#define IoFileObjectType __imp_IoFileObjectType
#define PsThreadType __imp_PsThreadType
#define SeTokenObjectType __imp_SeTokenObjectType
#define PsProcessType __imp_PsProcessType
#define TmEnlistmentObjectType __imp_TmEnlistmentObjectType
#define TmResourceManagerObjectType __imp_TmResourceManagerObjectType
#define TmTransactionManagerObjectType __imp_TmTransactionManagerObjectType
#define TmTransactionObjectType __imp_TmTransactionObjectType

#if defined(MINWDM_WDK_COMPAT) && !defined(__cplusplus)
#undef DRIVER_NOTIFICATION_CALLBACK_ROUTINE
typedef NTSTATUS(NTAPI DRIVER_NOTIFICATION_CALLBACK_ROUTINE)();
#endif
#include <minwdm/wdm_compat.h>
#ifdef MINWDM_VERIFY
#include <minwdm/verifier.h> /* verified builds: the verifier's virtual IRQL */
#endif
