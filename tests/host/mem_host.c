#include "mem_host.h"

#include "host_lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *pool_alloc(void *context, size_t size, uint32_t tag, enum mem_pool pool)
{
    struct mem_host *host = context;
    void *p;

    (void)tag;
    (void)pool;
    if (host->lean)
        return host->zeroing_pool ? calloc(1, size) : malloc(size);
    if (host->zeroing_pool) {
        p = calloc(1, size);
    } else {
        /* Stale bytes, as a fallback pool block may hold: the allocator must zero. */
        p = malloc(size);
        if (p)
            memset(p, 0xA5, size);
    }
    if (p)
        __atomic_add_fetch(&host->pool_allocs, 1, __ATOMIC_RELAXED);
    return p;
}

static void pool_free(void *context, void *block, uint32_t tag)
{
    struct mem_host *host = context;

    (void)tag;
    if (!host->lean)
        __atomic_add_fetch(&host->pool_frees, 1, __ATOMIC_RELAXED);
    free(block);
}

static int irql_allows(void *context, enum mem_pool pool)
{
    const struct mem_host *host = context;

    return host->irql <= (pool == MEM_PAGED ? 1 : 2);
}

static void record(void *context, const struct mem_event *event)
{
    struct mem_host *host = context;

    __atomic_add_fetch(&host->events[event->kind], 1, __ATOMIC_RELAXED);
    host->last = *event;
    if (!host->quiet)
        fprintf(stderr, "mem event %d: %p tag %08x size %zu\n", (int)event->kind, event->pointer,
                (unsigned)event->tag, event->size);
}

void mem_host_init(struct mem_host *host, int zeroing_pool)
{
    memset(host, 0, sizeof(*host));
    host->zeroing_pool = zeroing_pool;
    host->quiet = 1;
    host->platform.context = host;
    host->platform.pool_alloc = pool_alloc;
    host->platform.pool_free = pool_free;
    host->platform.pool_zeroes = zeroing_pool;
    host->platform.lock = host_lock_ops;
    host->platform.irql_allows = irql_allows;
    host->platform.report = record;
    host->platform.secret = 0x9E3779B97F4A7C15ull ^ (uintptr_t)host;
}
