#include "host_lock.h"

static void host_lock_init(struct core_lock *lock)
{
    lock->opaque = 0;
}

static uintptr_t host_lock_acquire(struct core_lock *lock)
{
    while (__atomic_exchange_n(&lock->opaque, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&lock->opaque, __ATOMIC_RELAXED))
            __builtin_ia32_pause();
    return 0;
}

static void host_lock_release(struct core_lock *lock, uintptr_t token)
{
    (void)token;
    __atomic_store_n(&lock->opaque, 0, __ATOMIC_RELEASE);
}

const struct lock_ops host_lock_ops = {host_lock_init, host_lock_acquire, host_lock_release};
