/* The allocator's platform on Linux: malloc for the pool, an atomic spin lock, a settable
 * pretend IRQL, and a record of every event the allocator reports. */
#ifndef MINWDM_TEST_MEM_HOST_H
#define MINWDM_TEST_MEM_HOST_H

#include <minwdm/mem.h>

struct mem_host {
    struct mem_platform platform;
    int zeroing_pool;        /* pool_alloc returns zeroed memory, as ExAllocatePool2 does */
    int irql;                /* the pretend current IRQL: 0 PASSIVE, 1 APC, 2 DISPATCH */
    uint64_t pool_allocs, pool_frees; /* atomic */
    uint64_t events[MEM_EVENT_COUNT]; /* atomic */
    struct mem_event last;   /* the last event reported */
    int quiet;               /* do not print events */
    int lean;                /* benchmarks: no pool counting, no stale-byte filling */
};

/* zeroing_pool: present the ExAllocatePool2 backend (1) or the fallback that needs zeroing (0). */
void mem_host_init(struct mem_host *host, int zeroing_pool);

#endif
