/* The driver's allocator: minwdm's portable allocator (core/mem.h) over the kernel pool. */
#ifndef MINWDM_POOL_H
#define MINWDM_POOL_H

#include <ntddk.h>

#include "core/mem.h"

/* The driver's one allocator. */
extern struct mem_allocator driver_memory;

struct pool_settings {
    ULONG fail_at;     /* make the nth allocation fail (0: never) */
    ULONG strict_irql; /* non-zero: check the IRQL of every nonpaged call, not only paged ones */
};

/*
 * Sets the allocator up (PASSIVE_LEVEL): ExAllocatePool2 when the kernel exports it, else
 * ExAllocatePoolWithTag(NonPagedPoolNx) and explicit zeroing. Allocates nothing. Returns the
 * MINWDM_POOL_* in use.
 */
ULONG pool_init(const struct pool_settings *settings);

/* Reports and frees every block still out (leaks); returns their number. PASSIVE_LEVEL. */
ULONG64 pool_shutdown(void);

/* Nonpaged, zeroed allocations from the driver's allocator, with their call site. */
#define POOL_ALLOC(size, tag) mem_alloc(&driver_memory, (size), (tag), MEM_NONPAGED, MEM_SITE)
#define POOL_FREE(pointer, tag) mem_free(&driver_memory, (pointer), (tag))

/* A monotonic clock: performance-counter ticks, their frequency in *frequency. */
uint64_t pool_clock(uint64_t *frequency);

#endif
