/*
 * Kernel mode only: WDK declarations mingw-w64 10's DDK lacks, which real drivers use (Microsoft's
 * samples under general/ among them). <minwdm/wdm_compat.h> includes this file, so <ntddk.h>,
 * <wdm.h> and <ntifs.h> bring it. The functions are ntoskrnl.exe exports; those libntoskrnl.a
 * lacks are in the kit's import library (toolchain/lib/ntoskrnl-extra.def), which every driver
 * links. Those the WDK defines inline are inline here too.
 *
 * A newer mingw-w64 that has some of these still builds: macros and types are guarded on a macro
 * of theirs, function declarations are plain redeclarations (C and C++ accept a compatible one),
 * and inline functions are the kit's own (minwdm_*) behind a macro of the WDK's name.
 *
 * Wine 8 implements few of these (docs/wine.md): a driver that imports one still loads there,
 * and stops its host at the first call to one Wine lacks.
 */
#ifndef MINWDM_DDK_EXTRA_H
#define MINWDM_DDK_EXTRA_H

#ifdef __cplusplus
extern "C" {
#endif

/* The WDK's kernel headers give DWORD too (mingw-w64's only in user mode's <minwindef.h>, with
 * the same type: both typedefs may meet). */
typedef ULONG DWORD;

/* --- pool: the inline wrappers of the WDK for Windows 10 2004, and ExAllocatePool3 --- */

/* ExAllocatePoolWithTag and zeroing, everywhere (the WDK does the same with
 * POOL_ZERO_DOWN_LEVEL_SUPPORT, so that it runs before Windows 10 2004). */
static __inline PVOID minwdm_ExAllocatePoolZero(POOL_TYPE type, SIZE_T size, ULONG tag)
{
    PVOID block = ExAllocatePoolWithTag(type, size, tag);

    if (block)
        RtlZeroMemory(block, size);
    return block;
}

static __inline PVOID minwdm_ExAllocatePoolQuotaZero(POOL_TYPE type, SIZE_T size, ULONG tag)
{
    PVOID block = ExAllocatePoolWithQuotaTag(type, size, tag);

    if (block)
        RtlZeroMemory(block, size);
    return block;
}

static __inline PVOID minwdm_ExAllocatePoolPriorityZero(POOL_TYPE type, SIZE_T size, ULONG tag,
                                                        EX_POOL_PRIORITY priority)
{
    PVOID block = ExAllocatePoolWithTagPriority(type, size, tag, priority);

    if (block)
        RtlZeroMemory(block, size);
    return block;
}

#ifndef ExAllocatePoolZero
#define ExAllocatePoolZero minwdm_ExAllocatePoolZero
#endif
#ifndef ExAllocatePoolQuotaZero
#define ExAllocatePoolQuotaZero minwdm_ExAllocatePoolQuotaZero
#endif
#ifndef ExAllocatePoolPriorityZero
#define ExAllocatePoolPriorityZero minwdm_ExAllocatePoolPriorityZero
#endif
#ifndef ExAllocatePoolUninitialized
#define ExAllocatePoolUninitialized ExAllocatePoolWithTag
#endif
#ifndef ExAllocatePoolQuotaUninitialized
#define ExAllocatePoolQuotaUninitialized ExAllocatePoolWithQuotaTag
#endif
#ifndef ExAllocatePoolPriorityUninitialized
#define ExAllocatePoolPriorityUninitialized ExAllocatePoolWithTagPriority
#endif

/*
 * POOL_NX_OPTIN: the WDK turns NonPagedPool into a variable that ExInitializeDriverRuntime sets to
 * NonPagedPoolNx on Windows 8 and later. minwdm's drivers target Windows 10, so the pool is
 * NonPagedPoolNx at once (what the WDK's POOL_NX_OPTIN_AUTO does) and ExInitializeDriverRuntime
 * has nothing left to do.
 */
/* Lookaside lists of non-executable pool (Windows 8 and later): their Flags. */
#ifndef POOL_NX_ALLOCATION
#define POOL_NX_ALLOCATION 0x00000200
#endif
#ifndef DrvRtPoolNxOptIn
#define DrvRtPoolNxOptIn 0x00000001
#endif
#if (defined(POOL_NX_OPTIN) || defined(POOL_NX_OPTIN_AUTO)) && !defined(ExDefaultNonPagedPoolType)
#define ExDefaultNonPagedPoolType NonPagedPoolNx
#define ExDefaultMdlProtection MdlMappingNoExecute
#define NonPagedPool NonPagedPoolNx
#define NonPagedPoolCacheAligned NonPagedPoolNxCacheAligned
#endif
static __inline VOID minwdm_ExInitializeDriverRuntime(ULONG flags)
{
    (void)flags;
}
#ifndef ExInitializeDriverRuntime
#define ExInitializeDriverRuntime minwdm_ExInitializeDriverRuntime
#endif

/* ExAllocatePool3 (Windows 10 2004 and later; not in Wine 8). */
#ifndef POOL_EXTENDED_PARAMETER_TYPE_BITS
#define POOL_EXTENDED_PARAMETER_TYPE_BITS 8
#define POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS 1
#define POOL_EXTENDED_PARAMETER_RESERVED_BITS (64 - 8 - 1)
typedef enum POOL_EXTENDED_PARAMETER_TYPE {
    PoolExtendedParameterInvalidType = 0,
    PoolExtendedParameterPriority,
    PoolExtendedParameterSecurePool,
    PoolExtendedParameterNumaNode,
    PoolExtendedParameterMax
} POOL_EXTENDED_PARAMETER_TYPE, *PPOOL_EXTENDED_PARAMETER_TYPE;
typedef struct _POOL_EXTENDED_PARAMS_SECURE_POOL POOL_EXTENDED_PARAMS_SECURE_POOL;
typedef ULONG POOL_NODE_REQUIREMENT;
typedef struct _POOL_EXTENDED_PARAMETER {
    struct {
        ULONG64 Type : POOL_EXTENDED_PARAMETER_TYPE_BITS;
        ULONG64 Optional : POOL_EXTENDED_PARAMETER_REQUIRED_FIELD_BITS;
        ULONG64 Reserved : POOL_EXTENDED_PARAMETER_RESERVED_BITS;
    } DUMMYSTRUCTNAME;
    union {
        ULONG64 Reserved2;
        PVOID Reserved3;
        EX_POOL_PRIORITY Priority;
        POOL_EXTENDED_PARAMS_SECURE_POOL *SecurePoolParams;
        POOL_NODE_REQUIREMENT PreferredNode;
    } DUMMYUNIONNAME;
} POOL_EXTENDED_PARAMETER, *PPOOL_EXTENDED_PARAMETER;
typedef const POOL_EXTENDED_PARAMETER *PCPOOL_EXTENDED_PARAMETER;
#endif
NTKERNELAPI PVOID NTAPI ExAllocatePool3(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag,
                                        PCPOOL_EXTENDED_PARAMETER ExtendedParameters,
                                        ULONG ExtendedParametersCount);

/* --- floating point: on x64 the WDK's are inline and do nothing (the kernel saves the legacy
 * state itself; AVX state needs KeSaveExtendedProcessorState) --- */
#if defined(__x86_64__)
static __inline NTSTATUS minwdm_KeSaveFloatingPointState(PKFLOATING_SAVE save)
{
    (void)save;
    return STATUS_SUCCESS;
}
static __inline NTSTATUS minwdm_KeRestoreFloatingPointState(PKFLOATING_SAVE save)
{
    (void)save;
    return STATUS_SUCCESS;
}
#ifndef KeSaveFloatingPointState
#define KeSaveFloatingPointState minwdm_KeSaveFloatingPointState
#define KeRestoreFloatingPointState minwdm_KeRestoreFloatingPointState
#endif
#endif

/* --- registry callbacks (Windows 8) --- */
NTKERNELAPI NTSTATUS NTAPI CmCallbackGetKeyObjectIDEx(PLARGE_INTEGER Cookie, PVOID Object,
                                                      PULONG_PTR ObjectID,
                                                      PCUNICODE_STRING *ObjectName, ULONG Flags);
NTKERNELAPI VOID NTAPI CmCallbackReleaseKeyObjectIDEx(PCUNICODE_STRING ObjectName);

/* --- the Kernel Transaction Manager's kernel objects and Tm* routines --- */
typedef struct _KTRANSACTION KTRANSACTION, *PKTRANSACTION, *RESTRICTED_POINTER PRKTRANSACTION;
typedef struct _KENLISTMENT KENLISTMENT, *PKENLISTMENT, *RESTRICTED_POINTER PRKENLISTMENT;
typedef struct _KRESOURCEMANAGER KRESOURCEMANAGER, *PKRESOURCEMANAGER,
    *RESTRICTED_POINTER PRKRESOURCEMANAGER;
typedef struct _KTM KTM, *PKTM, *RESTRICTED_POINTER PRKTM;
typedef NTSTATUS(NTAPI TM_RM_NOTIFICATION)(PKENLISTMENT EnlistmentObject, PVOID RMContext,
                                           PVOID TransactionContext, ULONG TransactionNotification,
                                           PLARGE_INTEGER TmVirtualClock, ULONG ArgumentLength,
                                           PVOID Argument);
typedef TM_RM_NOTIFICATION *PTM_RM_NOTIFICATION;

extern NTKERNELAPI POBJECT_TYPE *TmEnlistmentObjectType;
extern NTKERNELAPI POBJECT_TYPE *TmResourceManagerObjectType;
extern NTKERNELAPI POBJECT_TYPE *TmTransactionManagerObjectType;
extern NTKERNELAPI POBJECT_TYPE *TmTransactionObjectType;

NTKERNELAPI NTSTATUS NTAPI TmEnableCallbacks(PKRESOURCEMANAGER ResourceManager,
                                             PTM_RM_NOTIFICATION CallbackRoutine, PVOID RMKey);
NTKERNELAPI NTSTATUS NTAPI TmCreateEnlistment(PHANDLE EnlistmentHandle,
                                              KPROCESSOR_MODE PreviousMode,
                                              ACCESS_MASK DesiredAccess,
                                              POBJECT_ATTRIBUTES ObjectAttributes,
                                              PRKRESOURCEMANAGER ResourceManager,
                                              PKTRANSACTION Transaction, ULONG CreateOptions,
                                              NOTIFICATION_MASK NotificationMask,
                                              PVOID EnlistmentKey);
NTKERNELAPI NTSTATUS NTAPI TmRecoverResourceManager(PKRESOURCEMANAGER ResourceManager);
NTKERNELAPI NTSTATUS NTAPI TmPrePrepareComplete(PKENLISTMENT Enlistment,
                                                PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmPrepareComplete(PKENLISTMENT Enlistment,
                                             PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmCommitComplete(PKENLISTMENT Enlistment,
                                            PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmRollbackComplete(PKENLISTMENT Enlistment,
                                              PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmReadOnlyEnlistment(PKENLISTMENT Enlistment,
                                                PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmRollbackEnlistment(PKENLISTMENT Enlistment,
                                                PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmSinglePhaseReject(PKENLISTMENT Enlistment,
                                               PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmRequestOutcomeEnlistment(PKENLISTMENT Enlistment,
                                                      PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmPrePrepareEnlistment(PKENLISTMENT Enlistment,
                                                  PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmPrepareEnlistment(PKENLISTMENT Enlistment,
                                               PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmCommitEnlistment(PKENLISTMENT Enlistment,
                                              PLARGE_INTEGER TmVirtualClock);
NTKERNELAPI NTSTATUS NTAPI TmCommitTransaction(PKTRANSACTION Transaction, BOOLEAN Wait);
NTKERNELAPI NTSTATUS NTAPI TmRollbackTransaction(PKTRANSACTION Transaction, BOOLEAN Wait);
NTKERNELAPI VOID NTAPI TmGetTransactionId(PKTRANSACTION Transaction, PUOW TransactionId);
NTKERNELAPI BOOLEAN NTAPI TmIsTransactionActive(PKTRANSACTION Transaction);
NTKERNELAPI NTSTATUS NTAPI TmReferenceEnlistmentKey(PKENLISTMENT Enlistment, PVOID *Key);
NTKERNELAPI NTSTATUS NTAPI TmDereferenceEnlistmentKey(PKENLISTMENT Enlistment,
                                                      PBOOLEAN LastReference);

#ifdef __cplusplus
}
#endif

#endif /* MINWDM_DDK_EXTRA_H */

/* What needs <ntddk.h>'s own declarations, which come after <wdm.h>'s: the toolchain's <ntddk.h>
 * wrapper includes this file again once <ntddk.h> is complete. */
#if defined(MINWDM_NTDDK_COMPLETE) && !defined(MINWDM_DDK_EXTRA_NTDDK_H)
#define MINWDM_DDK_EXTRA_NTDDK_H

#ifdef __cplusplus
extern "C" {
#endif

/* --- process, thread and image notification (Windows 10) --- */
#ifndef PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE
#define PS_IMAGE_NOTIFY_CONFLICTING_ARCHITECTURE 0x1
typedef enum _PSCREATEPROCESSNOTIFYTYPE {
    PsCreateProcessNotifySubsystems = 0
} PSCREATEPROCESSNOTIFYTYPE;
typedef enum _PSCREATETHREADNOTIFYTYPE {
    PsCreateThreadNotifyNonSystem = 0,
    PsCreateThreadNotifySubsystems = 1
} PSCREATETHREADNOTIFYTYPE;
#endif
/* These two, with PsSetCreateProcessNotifyRoutineEx and ObRegisterCallbacks, refuse a driver
 * linked without INTEGRITY_CHECK (STATUS_ACCESS_DENIED). */
NTKERNELAPI NTSTATUS NTAPI PsSetCreateProcessNotifyRoutineEx2(PSCREATEPROCESSNOTIFYTYPE NotifyType,
                                                              PVOID NotifyInformation,
                                                              BOOLEAN Remove);
NTKERNELAPI NTSTATUS NTAPI PsSetCreateThreadNotifyRoutineEx(PSCREATETHREADNOTIFYTYPE NotifyType,
                                                            PVOID NotifyInformation);
NTKERNELAPI NTSTATUS NTAPI PsSetLoadImageNotifyRoutineEx(PLOAD_IMAGE_NOTIFY_ROUTINE NotifyRoutine,
                                                         ULONG_PTR Flags);

/* --- times and exit statuses --- */
/* Windows 8 and later; not in Wine 8: the kit's compat library supplies it there
 * (src/runtime/compat/system_time.c). */
NTKERNELAPI VOID NTAPI KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
NTKERNELAPI NTSTATUS NTAPI PsGetProcessExitStatus(PEPROCESS Process);
NTKERNELAPI NTSTATUS NTAPI PsGetThreadExitStatus(PETHREAD Thread);

/* --- system threads (Windows 8): a thread that holds a reference on a device or driver object
 * (IoObject) while it runs, so that the driver cannot unload under it --- */
NTKERNELAPI NTSTATUS NTAPI IoCreateSystemThread(PVOID IoObject, PHANDLE ThreadHandle,
                                                ULONG DesiredAccess,
                                                POBJECT_ATTRIBUTES ObjectAttributes,
                                                HANDLE ProcessHandle, PCLIENT_ID ClientId,
                                                PKSTART_ROUTINE StartRoutine, PVOID StartContext);

#ifdef __cplusplus
}
#endif

#endif /* MINWDM_DDK_EXTRA_NTDDK_H */
