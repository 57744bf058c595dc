/*
 * The driver's allocator: minwdm's portable allocator (<minwdm/mem.h>) over the kernel pool. The
 * runtime starts it before the driver's DriverEntry and, after the driver's unload, reports and
 * frees what is still out (leaks).
 */
#ifndef MINWDM_POOL_H
#define MINWDM_POOL_H

#include <ntddk.h>

#include <minwdm/mem.h>

/* The driver's one allocator. */
extern struct mem_allocator driver_memory;

/* The pool the allocator draws from: MINWDM_POOL_EX_ALLOCATE_POOL2 (Windows 10 2004 and later,
 * zeroed by the pool), MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED (Wine 9.1 and later, whose
 * ExAllocatePool2 does not zero: zeroed by minwdm) or MINWDM_POOL_WITH_TAG_NX (older kernels and
 * Wine 8: zeroed by minwdm). */
ULONG pool_kind(void);

/* Nonpaged, zeroed allocations from the driver's allocator, with their call site. */
#define POOL_ALLOC(size, tag) mem_alloc(&driver_memory, (size), (tag), MEM_NONPAGED, MEM_SITE)
#define POOL_FREE(pointer, tag) mem_free_at(&driver_memory, (pointer), (tag), MEM_SITE)

/* A monotonic clock: performance-counter ticks, their frequency in *frequency. */
uint64_t pool_clock(uint64_t *frequency);

#endif
