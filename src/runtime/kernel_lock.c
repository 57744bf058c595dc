#include <ntddk.h>

#include "kernel_lock.h"

_Static_assert(sizeof(KSPIN_LOCK) <= sizeof(((struct core_lock *)0)->opaque), "a lock fits");

static void kernel_lock_init(struct core_lock *lock)
{
    KeInitializeSpinLock((PKSPIN_LOCK)&lock->opaque);
}

static uintptr_t kernel_lock_acquire(struct core_lock *lock)
{
    return KeAcquireSpinLockRaiseToDpc((PKSPIN_LOCK)&lock->opaque);
}

static void kernel_lock_release(struct core_lock *lock, uintptr_t token)
{
    KeReleaseSpinLock((PKSPIN_LOCK)&lock->opaque, (KIRQL)token);
}

const struct lock_ops kernel_lock_ops = {kernel_lock_init, kernel_lock_acquire,
                                         kernel_lock_release};
