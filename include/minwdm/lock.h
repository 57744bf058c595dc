/*
 * A lock the portable core can hold without knowing what it is: the platform provides the
 * operations (a KSPIN_LOCK raised to DISPATCH_LEVEL in the kernel, an atomic flag on the host).
 */
#ifndef MINWDM_CORE_LOCK_H
#define MINWDM_CORE_LOCK_H

#include <stdint.h>

struct core_lock {
    uint64_t opaque;
};

struct lock_ops {
    void (*init)(struct core_lock *lock);
    uintptr_t (*acquire)(struct core_lock *lock); /* returns what release needs */
    void (*release)(struct core_lock *lock, uintptr_t token);
};

#endif
