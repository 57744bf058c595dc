/*
 * The verifier's side of each interposed routine (routines.h): vfy_<name> checks, records, and
 * calls the kernel's own routine, vfy_real_<name>, found by name at start. imports.c points the
 * driver's __imp_<name> here.
 */
#include "verifier.h"

#define VFY_REAL_DEFINE(name, irql) __typeof__(&name) vfy_real_##name; // NOLINT(bugprone-macro-parentheses)
VERIFIER_ROUTINES(VFY_REAL_DEFINE)


static const struct {
    const WCHAR *name;
    void **real;
    void (*wrapper)(void);
} table[] = {
#define VFY_TABLE_ENTRY(name, irql) {L## #name, (void **)&vfy_real_##name, (void (*)(void))vfy_##name},
    VERIFIER_ROUTINES(VFY_TABLE_ENTRY)
};

void vfy_routines_start(void)
{
    for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        UNICODE_STRING name;
        RtlInitUnicodeString(&name, table[i].name);
        *table[i].real = vfy_import_MmGetSystemRoutineAddress(&name);
    }
}

int vfy_missing(const char *routine, const void *real)
{
    if (real)
        return 0;
    log_message(&driver_log, MINWDM_LOG_WARN, "verifier", "%s is not exported by this kernel: "
                "the call fails", routine);
    return 1;
}

/* --- pool --- */

static int paged_type(POOL_TYPE type)
{
    return (type & 1) != 0;
}

static void check_pool_type(const char *routine, POOL_TYPE type, const void *site)
{
    vfy_check_irql(routine, paged_type(type) ? APC_LEVEL : DISPATCH_LEVEL, site);
    if (!paged_type(type) && !(type & NonPagedPoolNx) && (type & 0x20) == 0)
        vfy_report(RULE_POOL_EXECUTABLE, site,
                   "%s asked for executable nonpaged pool (POOL_TYPE %d): ask for "
                   "NonPagedPoolNx or POOL_FLAG_NON_PAGED", routine, (int)type);
}

void vfy_pool_allocated(const void *pointer, SIZE_T size, ULONG tag, BOOLEAN paged,
                        const void *site);
int vfy_pool_freeing(const void *pointer, int has_tag, ULONG tag, ULONG *real_tag,
                     const char *routine, const void *site);

static PVOID pool_allocate(const char *routine, POOL_TYPE type, SIZE_T size, ULONG tag,
                           const void *site)
{
    PVOID block;

    check_pool_type(routine, type, site);
    if (vfy_inject_failure())
        return NULL;
    block = verifier_pool_backend_alloc(size, tag, !paged_type(type) && !(type & NonPagedPoolNx));
    if (!block)
        block = vfy_real_ExAllocatePoolWithTag(type, size, tag);
    if (block)
        vfy_pool_allocated(block, size, tag, (BOOLEAN)paged_type(type), site);
    return block;
}

PVOID NTAPI vfy_ExAllocatePool(POOL_TYPE type, SIZE_T size)
{
    return pool_allocate("ExAllocatePool", type, size, ' kdD', CALLER());
}

PVOID NTAPI vfy_ExAllocatePoolWithTag(POOL_TYPE type, SIZE_T size, ULONG tag)
{
    return pool_allocate("ExAllocatePoolWithTag", type, size, tag, CALLER());
}

PVOID NTAPI vfy_ExAllocatePoolWithQuotaTag(POOL_TYPE type, SIZE_T size, ULONG tag)
{
    /* Quota is charged to the process; the verifier's blocks are ordinary ones. */
    return pool_allocate("ExAllocatePoolWithQuotaTag", type, size, tag, CALLER());
}

PVOID NTAPI vfy_ExAllocatePoolWithTagPriority(POOL_TYPE type, SIZE_T size, ULONG tag,
                                              EX_POOL_PRIORITY priority)
{
    (void)priority;
    return pool_allocate("ExAllocatePoolWithTagPriority", type, size, tag, CALLER());
}

/* ExAllocatePool2/3 through the same pool: the type their flags name, zeroed unless asked not. */
static PVOID pool2_allocate(const char *routine, POOL_FLAGS flags, SIZE_T size, ULONG tag,
                            const void *site)
{
    POOL_TYPE type = (flags & POOL_FLAG_PAGED)               ? PagedPool
                     : (flags & POOL_FLAG_NON_PAGED_EXECUTE) ? NonPagedPool
                                                             : NonPagedPoolNx;
    PVOID block = pool_allocate(routine, type, size, tag, site);

    if (block && !(flags & POOL_FLAG_UNINITIALIZED))
        RtlZeroMemory(block, size);
    return block;
}

PVOID NTAPI vfy_ExAllocatePool2(POOL_FLAGS flags, SIZE_T size, ULONG tag)
{
    return pool2_allocate("ExAllocatePool2", flags, size, tag, CALLER());
}

PVOID NTAPI vfy_ExAllocatePool3(POOL_FLAGS flags, SIZE_T size, ULONG tag,
                                PCPOOL_EXTENDED_PARAMETER parameters, ULONG count)
{
    (void)parameters;
    (void)count;
    return pool2_allocate("ExAllocatePool3", flags, size, tag, CALLER());
}

static void pool_free(const char *routine, PVOID block, int has_tag, ULONG tag, const void *site)
{
    ULONG real_tag;

    if (!vfy_pool_freeing(block, has_tag, tag, &real_tag, routine, site))
        return;
    if (!verifier_pool_backend_free(block))
        vfy_real_ExFreePoolWithTag(block, real_tag);
}

VOID NTAPI vfy_ExFreePool(PVOID block)
{
    pool_free("ExFreePool", block, 0, 0, CALLER());
}

VOID NTAPI vfy_ExFreePoolWithTag(PVOID block, ULONG tag)
{
    pool_free("ExFreePoolWithTag", block, 1, tag, CALLER());
}

/* The runtime's allocator takes blocks from the real routines: it checks its own. */
void vfy_real_pool(struct runtime_verifier *hooks)
{
    hooks->pool_alloc = vfy_real_ExAllocatePoolWithTag;
    hooks->pool_free = vfy_real_ExFreePoolWithTag;
    hooks->pool_alloc2 = (void *)vfy_real_ExAllocatePool2;
}

/* --- spin locks, fast mutexes, IRQL --- */

KIRQL NTAPI vfy_KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK lock)
{
    KIRQL old = vfy_irql();

    CHECK_IRQL(KeAcquireSpinLockRaiseToDpc);
    if (vfy_lock_acquiring(lock, LOCK_SPIN, NULL, old, CALLER()))
        return old; /* taken again by its holder: a hang on Windows, not passed on */
    KIRQL real_old = vfy_real_KeAcquireSpinLockRaiseToDpc(lock);
    (void)real_old;
    vfy_set_irql(DISPATCH_LEVEL);
    return old;
}

VOID NTAPI vfy_KeReleaseSpinLock(PKSPIN_LOCK lock, KIRQL new_irql)
{
    KIRQL old;

    if (!vfy_lock_releasing(lock, 0, new_irql, 1, &old, CALLER()))
        return;
    vfy_real_KeReleaseSpinLock(lock, new_irql);
    vfy_set_irql(new_irql);
}

static void require_dispatch(const char *routine, const void *site)
{
    KIRQL now = vfy_irql();

    if (now < DISPATCH_LEVEL)
        vfy_report(RULE_IRQL, site, "%s called at IRQL %u: it wants DISPATCH_LEVEL (2)", routine,
                   now);
}

VOID NTAPI vfy_KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK lock)
{
    require_dispatch("KeAcquireSpinLockAtDpcLevel", CALLER());
    CHECK_IRQL(KeAcquireSpinLockAtDpcLevel);
    if (vfy_lock_acquiring(lock, LOCK_SPIN, NULL, vfy_irql(), CALLER()))
        return;
    vfy_real_KeAcquireSpinLockAtDpcLevel(lock);
}

VOID NTAPI vfy_KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK lock)
{
    KIRQL old;

    require_dispatch("KeReleaseSpinLockFromDpcLevel", CALLER());
    if (vfy_lock_releasing(lock, 0, 0, 0, &old, CALLER()))
        vfy_real_KeReleaseSpinLockFromDpcLevel(lock);
}

VOID FASTCALL vfy_KeAcquireInStackQueuedSpinLock(PKSPIN_LOCK lock, PKLOCK_QUEUE_HANDLE handle)
{
    KIRQL old = vfy_irql();

    CHECK_IRQL(KeAcquireInStackQueuedSpinLock);
    handle->OldIrql = old;
    if (vfy_lock_acquiring(lock, LOCK_QUEUED, handle, old, CALLER()))
        return;
    vfy_real_KeAcquireInStackQueuedSpinLock(lock, handle);
    handle->OldIrql = old;
    vfy_set_irql(DISPATCH_LEVEL);
}

VOID FASTCALL vfy_KeReleaseInStackQueuedSpinLock(PKLOCK_QUEUE_HANDLE handle)
{
    KIRQL old;

    if (!vfy_lock_releasing(handle, 1, 0, 0, &old, CALLER()))
        return;
    vfy_real_KeReleaseInStackQueuedSpinLock(handle);
    vfy_set_irql(old);
}

VOID FASTCALL vfy_KeAcquireInStackQueuedSpinLockAtDpcLevel(PKSPIN_LOCK lock,
                                                           PKLOCK_QUEUE_HANDLE handle)
{
    require_dispatch("KeAcquireInStackQueuedSpinLockAtDpcLevel", CALLER());
    if (vfy_lock_acquiring(lock, LOCK_QUEUED, handle, vfy_irql(), CALLER()))
        return;
    vfy_real_KeAcquireInStackQueuedSpinLockAtDpcLevel(lock, handle);
}

VOID FASTCALL vfy_KeReleaseInStackQueuedSpinLockFromDpcLevel(PKLOCK_QUEUE_HANDLE handle)
{
    KIRQL old;

    if (vfy_lock_releasing(handle, 1, 0, 0, &old, CALLER()))
        vfy_real_KeReleaseInStackQueuedSpinLockFromDpcLevel(handle);
}

static KSPIN_LOCK cancel_lock_key; /* the cancel spin lock's place in the verifier's tables */

VOID NTAPI vfy_IoAcquireCancelSpinLock(PKIRQL old_irql)
{
    KIRQL old = vfy_irql();

    CHECK_IRQL(IoAcquireCancelSpinLock);
    if (vfy_lock_acquiring(&cancel_lock_key, LOCK_CANCEL, NULL, old, CALLER())) {
        *old_irql = old;
        return;
    }
    vfy_real_IoAcquireCancelSpinLock(old_irql);
    *old_irql = old;
    vfy_set_irql(DISPATCH_LEVEL);
}

VOID NTAPI vfy_IoReleaseCancelSpinLock(KIRQL new_irql)
{
    KIRQL old;

    if (!vfy_lock_releasing(&cancel_lock_key, 0, new_irql, 1, &old, CALLER()))
        return;
    vfy_real_IoReleaseCancelSpinLock(new_irql);
    vfy_set_irql(new_irql);
}

VOID FASTCALL vfy_ExAcquireFastMutex(PFAST_MUTEX mutex)
{
    KIRQL old = vfy_irql();

    CHECK_IRQL(ExAcquireFastMutex);
    if (vfy_lock_acquiring(mutex, LOCK_MUTEX, NULL, old, CALLER()))
        return;
    vfy_real_ExAcquireFastMutex(mutex);
    vfy_set_irql(APC_LEVEL);
}

VOID FASTCALL vfy_ExReleaseFastMutex(PFAST_MUTEX mutex)
{
    KIRQL old;

    if (!vfy_lock_releasing(mutex, 0, 0, 0, &old, CALLER()))
        return;
    vfy_real_ExReleaseFastMutex(mutex);
    vfy_set_irql(old);
}

VOID FASTCALL vfy_ExAcquireFastMutexUnsafe(PFAST_MUTEX mutex)
{
    CHECK_IRQL(ExAcquireFastMutexUnsafe);
    if (vfy_lock_acquiring(mutex, LOCK_MUTEX, NULL, vfy_irql(), CALLER()))
        return;
    vfy_real_ExAcquireFastMutexUnsafe(mutex);
}

VOID FASTCALL vfy_ExReleaseFastMutexUnsafe(PFAST_MUTEX mutex)
{
    KIRQL old;

    if (vfy_lock_releasing(mutex, 0, 0, 0, &old, CALLER()))
        vfy_real_ExReleaseFastMutexUnsafe(mutex);
}

void vfy_release_for_driver(const void *lock, enum vfy_lock_kind kind, const void *handle,
                            KIRQL old_irql)
{
    switch (kind) {
    case LOCK_SPIN:
        vfy_real_KeReleaseSpinLock((PKSPIN_LOCK)lock, old_irql);
        break;
    case LOCK_QUEUED:
        vfy_real_KeReleaseInStackQueuedSpinLock((PKLOCK_QUEUE_HANDLE)handle);
        break;
    case LOCK_MUTEX:
        vfy_real_ExReleaseFastMutex((PFAST_MUTEX)lock);
        break;
    case LOCK_CANCEL:
        vfy_real_IoReleaseCancelSpinLock(old_irql);
        break;
    }
    vfy_restore_irql(old_irql);
}

/* --- waits and dispatcher objects --- */

/* A wait may block unless its timeout is zero: then APC_LEVEL at most. */
static KIRQL wait_maximum(PLARGE_INTEGER timeout)
{
    return timeout && timeout->QuadPart == 0 ? DISPATCH_LEVEL : APC_LEVEL;
}

NTSTATUS NTAPI vfy_KeWaitForSingleObject(PVOID object, KWAIT_REASON reason, KPROCESSOR_MODE mode,
                                         BOOLEAN alertable, PLARGE_INTEGER timeout)
{
    vfy_check_irql(timeout && timeout->QuadPart == 0 ? "KeWaitForSingleObject"
                                                     : "KeWaitForSingleObject (a timeout other than 0)",
                   wait_maximum(timeout), CALLER());
    return vfy_real_KeWaitForSingleObject(object, reason, mode, alertable, timeout);
}

NTSTATUS NTAPI vfy_KeWaitForMultipleObjects(ULONG count, PVOID objects[], WAIT_TYPE type,
                                            KWAIT_REASON reason, KPROCESSOR_MODE mode,
                                            BOOLEAN alertable, PLARGE_INTEGER timeout,
                                            PKWAIT_BLOCK blocks)
{
    vfy_check_irql(timeout && timeout->QuadPart == 0 ? "KeWaitForMultipleObjects"
                                                     : "KeWaitForMultipleObjects (a timeout other than 0)",
                   wait_maximum(timeout), CALLER());
    return vfy_real_KeWaitForMultipleObjects(count, objects, type, reason, mode, alertable,
                                             timeout, blocks);
}

NTSTATUS NTAPI vfy_KeDelayExecutionThread(KPROCESSOR_MODE mode, BOOLEAN alertable,
                                          PLARGE_INTEGER interval)
{
    CHECK_IRQL(KeDelayExecutionThread);
    return vfy_real_KeDelayExecutionThread(mode, alertable, interval);
}

LONG NTAPI vfy_KeSetEvent(PRKEVENT event, KPRIORITY increment, BOOLEAN wait)
{
    CHECK_IRQL(KeSetEvent);
    return vfy_real_KeSetEvent(event, increment, wait);
}

LONG NTAPI vfy_KeResetEvent(PRKEVENT event)
{
    CHECK_IRQL(KeResetEvent);
    return vfy_real_KeResetEvent(event);
}

VOID NTAPI vfy_KeClearEvent(PRKEVENT event)
{
    CHECK_IRQL(KeClearEvent);
    vfy_real_KeClearEvent(event);
}

LONG NTAPI vfy_KeReleaseMutex(PRKMUTEX mutex, BOOLEAN wait)
{
    CHECK_IRQL(KeReleaseMutex);
    return vfy_real_KeReleaseMutex(mutex, wait);
}

LONG NTAPI vfy_KeReleaseSemaphore(PRKSEMAPHORE semaphore, KPRIORITY increment, LONG adjustment,
                                  BOOLEAN wait)
{
    CHECK_IRQL(KeReleaseSemaphore);
    return vfy_real_KeReleaseSemaphore(semaphore, increment, adjustment, wait);
}

/* --- object references and handles --- */

NTSTATUS NTAPI vfy_ObReferenceObjectByHandle(HANDLE handle, ACCESS_MASK access,
                                             POBJECT_TYPE type, KPROCESSOR_MODE mode,
                                             PVOID *object, POBJECT_HANDLE_INFORMATION info)
{
    CHECK_IRQL(ObReferenceObjectByHandle);
    NTSTATUS status = vfy_real_ObReferenceObjectByHandle(handle, access, type, mode, object, info);
    if (NT_SUCCESS(status) && object)
        vfy_reference(*object, 1, CALLER());
    return status;
}

NTSTATUS NTAPI vfy_ObReferenceObjectByPointer(PVOID object, ACCESS_MASK access, POBJECT_TYPE type,
                                              KPROCESSOR_MODE mode)
{
    CHECK_IRQL(ObReferenceObjectByPointer);
    NTSTATUS status = vfy_real_ObReferenceObjectByPointer(object, access, type, mode);
    if (NT_SUCCESS(status))
        vfy_reference(object, 1, CALLER());
    return status;
}

LONG_PTR FASTCALL vfy_ObfReferenceObject(PVOID object)
{
    CHECK_IRQL(ObfReferenceObject);
    vfy_reference(object, 1, CALLER());
    return vfy_real_ObfReferenceObject(object);
}

LONG_PTR FASTCALL vfy_ObfDereferenceObject(PVOID object)
{
    CHECK_IRQL(ObfDereferenceObject);
    vfy_reference(object, -1, CALLER());
    return vfy_real_ObfDereferenceObject(object);
}

static NTSTATUS handle_made(NTSTATUS status, PHANDLE handle, const void *site)
{
    if (NT_SUCCESS(status) && handle)
        vfy_resource_add(RES_HANDLE, *handle, NULL, NULL, site);
    return status;
}

NTSTATUS NTAPI vfy_ZwClose(HANDLE handle)
{
    CHECK_IRQL(ZwClose);
    vfy_resource_remove(RES_HANDLE, handle, NULL);
    return vfy_real_ZwClose(handle);
}

NTSTATUS NTAPI vfy_ZwCreateFile(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                                PIO_STATUS_BLOCK io, PLARGE_INTEGER size, ULONG file_attributes,
                                ULONG share, ULONG disposition, ULONG options, PVOID ea,
                                ULONG ea_length)
{
    CHECK_IRQL(ZwCreateFile);
    return handle_made(vfy_real_ZwCreateFile(handle, access, attributes, io, size,
                                             file_attributes, share, disposition, options, ea,
                                             ea_length),
                       handle, CALLER());
}

NTSTATUS NTAPI vfy_ZwOpenFile(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                              PIO_STATUS_BLOCK io, ULONG share, ULONG options)
{
    CHECK_IRQL(ZwOpenFile);
    return handle_made(vfy_real_ZwOpenFile(handle, access, attributes, io, share, options),
                       handle, CALLER());
}

NTSTATUS NTAPI vfy_ZwOpenKey(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes)
{
    CHECK_IRQL(ZwOpenKey);
    return handle_made(vfy_real_ZwOpenKey(handle, access, attributes), handle, CALLER());
}

NTSTATUS NTAPI vfy_ZwCreateKey(PHANDLE handle, ACCESS_MASK access, POBJECT_ATTRIBUTES attributes,
                               ULONG index, PUNICODE_STRING class_name, ULONG options,
                               PULONG disposition)
{
    CHECK_IRQL(ZwCreateKey);
    return handle_made(vfy_real_ZwCreateKey(handle, access, attributes, index, class_name,
                                            options, disposition),
                       handle, CALLER());
}

NTSTATUS NTAPI vfy_ZwQueryValueKey(HANDLE key, PUNICODE_STRING name,
                                   KEY_VALUE_INFORMATION_CLASS type, PVOID info, ULONG length,
                                   PULONG result)
{
    CHECK_IRQL(ZwQueryValueKey);
    return vfy_real_ZwQueryValueKey(key, name, type, info, length, result);
}

NTSTATUS NTAPI vfy_ZwSetValueKey(HANDLE key, PUNICODE_STRING name, ULONG index, ULONG type,
                                 PVOID data, ULONG size)
{
    CHECK_IRQL(ZwSetValueKey);
    return vfy_real_ZwSetValueKey(key, name, index, type, data, size);
}

NTSTATUS NTAPI vfy_ZwDeleteKey(HANDLE key)
{
    CHECK_IRQL(ZwDeleteKey);
    return vfy_real_ZwDeleteKey(key);
}

NTSTATUS NTAPI vfy_ZwReadFile(HANDLE file, HANDLE event, PIO_APC_ROUTINE apc, PVOID apc_context,
                              PIO_STATUS_BLOCK io, PVOID buffer, ULONG length,
                              PLARGE_INTEGER offset, PULONG key)
{
    CHECK_IRQL(ZwReadFile);
    return vfy_real_ZwReadFile(file, event, apc, apc_context, io, buffer, length, offset, key);
}

NTSTATUS NTAPI vfy_ZwWriteFile(HANDLE file, HANDLE event, PIO_APC_ROUTINE apc, PVOID apc_context,
                               PIO_STATUS_BLOCK io, PVOID buffer, ULONG length,
                               PLARGE_INTEGER offset, PULONG key)
{
    CHECK_IRQL(ZwWriteFile);
    return vfy_real_ZwWriteFile(file, event, apc, apc_context, io, buffer, length, offset, key);
}

/* MmGetSystemRoutineAddress answers a name the verifier interposes with the verifier's routine,
 * so that a driver looking a routine up (ExAllocatePool2 in <minwdm/wdm_compat.h>) is verified
 * too; NULL still when the kernel lacks it. */
PVOID NTAPI vfy_MmGetSystemRoutineAddress(PUNICODE_STRING name)
{
    CHECK_IRQL(MmGetSystemRoutineAddress);
    PVOID real = vfy_real_MmGetSystemRoutineAddress(name);
    if (!real)
        return NULL;
    for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (*table[i].real == real)
            return (PVOID)table[i].wrapper;
    return real;
}
