/*
 * Every routine the verifier stands between a driver and the kernel for, with its maximum IRQL
 * from Microsoft's documentation of each routine (learn.microsoft.com, "IRQL" under
 * Requirements): X(name, maximum IRQL). For the pool and waits the table holds the routine's
 * best case (nonpaged pool, a zero timeout); the wrapper checks the stricter case itself.
 * One table: the __imp_ pointers (imports.c), the real routines (routines.c) and the irql rule
 * read it. A routine not listed here reaches the kernel untouched.
 */
#define VERIFIER_ROUTINES(X)                                                              \
    /* pool */                                                                            \
    X(ExAllocatePool, DISPATCH_LEVEL)                                                     \
    X(ExAllocatePoolWithTag, DISPATCH_LEVEL)                                              \
    X(ExAllocatePoolWithQuotaTag, DISPATCH_LEVEL)                                         \
    X(ExAllocatePoolWithTagPriority, DISPATCH_LEVEL)                                      \
    X(ExAllocatePool2, DISPATCH_LEVEL)                                                    \
    X(ExAllocatePool3, DISPATCH_LEVEL)                                                    \
    X(ExFreePool, DISPATCH_LEVEL)                                                         \
    X(ExFreePoolWithTag, DISPATCH_LEVEL)                                                  \
    /* spin locks and IRQL */                                                             \
    X(KeAcquireSpinLockRaiseToDpc, DISPATCH_LEVEL)                                        \
    X(KeReleaseSpinLock, DISPATCH_LEVEL)                                                  \
    X(KeAcquireSpinLockAtDpcLevel, DISPATCH_LEVEL)                                        \
    X(KeReleaseSpinLockFromDpcLevel, DISPATCH_LEVEL)                                      \
    X(KeAcquireInStackQueuedSpinLock, DISPATCH_LEVEL)                                     \
    X(KeReleaseInStackQueuedSpinLock, DISPATCH_LEVEL)                                     \
    X(KeAcquireInStackQueuedSpinLockAtDpcLevel, DISPATCH_LEVEL)                           \
    X(KeReleaseInStackQueuedSpinLockFromDpcLevel, DISPATCH_LEVEL)                         \
    X(IoAcquireCancelSpinLock, DISPATCH_LEVEL)                                            \
    X(IoReleaseCancelSpinLock, DISPATCH_LEVEL)                                            \
    X(ExAcquireFastMutex, APC_LEVEL)                                                      \
    X(ExReleaseFastMutex, APC_LEVEL)                                                      \
    X(ExAcquireFastMutexUnsafe, APC_LEVEL)                                                \
    X(ExReleaseFastMutexUnsafe, APC_LEVEL)                                                \
    /* waits and dispatcher objects */                                                    \
    X(KeWaitForSingleObject, DISPATCH_LEVEL)                                              \
    X(KeWaitForMultipleObjects, DISPATCH_LEVEL)                                           \
    X(KeDelayExecutionThread, APC_LEVEL)                                                  \
    X(KeSetEvent, DISPATCH_LEVEL)                                                         \
    X(KeResetEvent, DISPATCH_LEVEL)                                                       \
    X(KeClearEvent, DISPATCH_LEVEL)                                                       \
    X(KeReleaseMutex, DISPATCH_LEVEL)                                                     \
    X(KeReleaseSemaphore, DISPATCH_LEVEL)                                                 \
    /* DPCs, timers, work items, threads */                                               \
    X(KeInitializeDpc, HIGH_LEVEL)                                                        \
    X(KeInsertQueueDpc, HIGH_LEVEL)                                                       \
    X(KeRemoveQueueDpc, HIGH_LEVEL)                                                       \
    X(KeSetTimer, DISPATCH_LEVEL)                                                         \
    X(KeSetTimerEx, DISPATCH_LEVEL)                                                       \
    X(KeCancelTimer, DISPATCH_LEVEL)                                                      \
    X(IoAllocateWorkItem, DISPATCH_LEVEL)                                                 \
    X(IoFreeWorkItem, DISPATCH_LEVEL)                                                     \
    X(IoQueueWorkItem, DISPATCH_LEVEL)                                                    \
    X(PsCreateSystemThread, PASSIVE_LEVEL)                                                \
    X(PsTerminateSystemThread, PASSIVE_LEVEL)                                             \
    /* I/O */                                                                             \
    X(IofCompleteRequest, DISPATCH_LEVEL)                                                 \
    X(IofCallDriver, DISPATCH_LEVEL)                                                      \
    X(PoCallDriver, DISPATCH_LEVEL)                                                       \
    X(IoCreateDevice, PASSIVE_LEVEL)                                                      \
    X(IoDeleteDevice, PASSIVE_LEVEL)                                                      \
    X(IoCreateSymbolicLink, PASSIVE_LEVEL)                                                \
    X(IoDeleteSymbolicLink, PASSIVE_LEVEL)                                                \
    X(IoAllocateMdl, DISPATCH_LEVEL)                                                      \
    X(IoFreeMdl, DISPATCH_LEVEL)                                                          \
    X(IoBuildDeviceIoControlRequest, PASSIVE_LEVEL)                                       \
    X(IoGetDeviceObjectPointer, PASSIVE_LEVEL)                                            \
    /* objects and handles */                                                             \
    X(ObReferenceObjectByHandle, PASSIVE_LEVEL)                                           \
    X(ObReferenceObjectByPointer, DISPATCH_LEVEL)                                         \
    X(ObfReferenceObject, DISPATCH_LEVEL)                                                 \
    X(ObfDereferenceObject, DISPATCH_LEVEL)                                               \
    X(ZwClose, PASSIVE_LEVEL)                                                             \
    X(ZwCreateFile, PASSIVE_LEVEL)                                                        \
    X(ZwOpenFile, PASSIVE_LEVEL)                                                          \
    X(ZwOpenKey, PASSIVE_LEVEL)                                                           \
    X(ZwCreateKey, PASSIVE_LEVEL)                                                         \
    X(ZwQueryValueKey, PASSIVE_LEVEL)                                                     \
    X(ZwSetValueKey, PASSIVE_LEVEL)                                                       \
    X(ZwDeleteKey, PASSIVE_LEVEL)                                                         \
    X(ZwReadFile, PASSIVE_LEVEL)                                                          \
    X(ZwWriteFile, PASSIVE_LEVEL)                                                         \
    /* callbacks a driver must remove before it unloads */                                \
    X(PsSetCreateProcessNotifyRoutine, PASSIVE_LEVEL)                                     \
    X(PsSetCreateProcessNotifyRoutineEx, PASSIVE_LEVEL)                                   \
    X(PsSetCreateThreadNotifyRoutine, PASSIVE_LEVEL)                                      \
    X(PsRemoveCreateThreadNotifyRoutine, PASSIVE_LEVEL)                                   \
    X(PsSetLoadImageNotifyRoutine, PASSIVE_LEVEL)                                         \
    X(PsRemoveLoadImageNotifyRoutine, PASSIVE_LEVEL)                                      \
    X(CmRegisterCallback, APC_LEVEL)                                                      \
    X(CmRegisterCallbackEx, APC_LEVEL)                                                    \
    X(CmUnRegisterCallback, APC_LEVEL)                                                    \
    X(ObRegisterCallbacks, APC_LEVEL)                                                     \
    X(ObUnRegisterCallbacks, APC_LEVEL)                                                   \
    /* what notify routines ask of a process or thread (Wine 8: a stub that aborts, none) */ \
    X(PsGetProcessExitStatus, APC_LEVEL)                                                  \
    X(PsGetThreadExitStatus, APC_LEVEL)                                                   \
    /* the verifier's own routines answer these names too */                              \
    X(MmGetSystemRoutineAddress, PASSIVE_LEVEL)
