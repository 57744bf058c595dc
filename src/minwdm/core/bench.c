#include "bench.h"

#include <string.h>

#include "core/log_bench.h"

#define BENCH_TAG MEM_TAG('M', 'w', 'B', 'n')
#define BENCH_WARMUP 1000u
#define BENCH_RING_BYTES 0x8000u /* 32 KiB */

/* A bare free list under the platform's lock: what any locked cache costs at the least. */
struct locked_list {
    struct core_lock lock;
    void *blocks[64];
    unsigned count;
};

/* What a path needs besides the bench's allocator. */
struct bench_state {
    struct mem_allocator *a;
    struct mem_cache *cache;
    struct locked_list *list;
    struct logger *log;
};

/* One alloc+free pair (or log record) on the chosen path; 0 when the allocation failed. */
static int bench_pair(const struct bench_state *b, uint32_t path, uint32_t size, uint32_t i)
{
    struct mem_allocator *a = b->a;
    struct locked_list *list = b->list;
    const struct mem_platform *p = &a->platform;
    void *block;
    uintptr_t t;

    switch (path) {
    case MINWDM_BENCH_LOG_RING:
    case MINWDM_BENCH_LOG_DBGPRINT:
        log_bench_record(b->log, i);
        return 1;
    case MINWDM_BENCH_LOCKED_LIST:
        t = p->lock.acquire(&list->lock);
        block = list->blocks[--list->count];
        p->lock.release(&list->lock, t);
        memset(block, 0, size);
        t = p->lock.acquire(&list->lock);
        list->blocks[list->count++] = block;
        p->lock.release(&list->lock, t);
        return 1;
    case MINWDM_BENCH_POOL:
        if (!(block = p->pool_alloc(p->context, size, BENCH_TAG, MEM_NONPAGED)))
            return 0;
        if (!p->pool_zeroes)
            memset(block, 0, size);
        p->pool_free(p->context, block, BENCH_TAG);
        return 1;
    case MINWDM_BENCH_GENERAL:
        if (!(block = mem_alloc(a, size, BENCH_TAG, MEM_NONPAGED, MEM_SITE)))
            return 0;
        mem_free(a, block, BENCH_TAG);
        return 1;
    case MINWDM_BENCH_CACHE:
        if (!(block = mem_cache_alloc(b->cache, MEM_SITE)))
            return 0;
        mem_cache_free(b->cache, block);
        return 1;
    default:
        if (!(block = mem_alloc_aligned(a, size, 64, BENCH_TAG, MEM_NONPAGED, MEM_SITE)))
            return 0;
        mem_free(a, block, BENCH_TAG);
        return 1;
    }
}

/* The log paths time a logger of their own: into a ring only, or to the sink (DbgPrintEx) only. */
static struct logger *bench_logger(struct mem_allocator *a, const struct logger *driver_log,
                                   uint32_t path)
{
    struct logger *l = mem_alloc(a, sizeof(*l) + BENCH_RING_BYTES, BENCH_TAG, MEM_NONPAGED,
                                 MEM_SITE);
    struct log_platform platform = driver_log->platform;

    if (!l)
        return NULL;
    if (path == MINWDM_BENCH_LOG_RING)
        platform.sink = NULL;
    log_init(l, driver_log->name, &platform, path == MINWDM_BENCH_LOG_RING ? l + 1 : NULL,
             BENCH_RING_BYTES, 0);
    return l;
}

static int make_state(struct bench_state *b, const struct minwdm_device *d, uint32_t path,
                      uint32_t size)
{
    switch (path) {
    case MINWDM_BENCH_CACHE:
        return (b->cache = mem_cache_create(b->a, "bench", size, BENCH_TAG, 64)) != NULL;
    case MINWDM_BENCH_LOG_RING:
    case MINWDM_BENCH_LOG_DBGPRINT:
        return (b->log = bench_logger(b->a, d->log, path)) != NULL;
    case MINWDM_BENCH_LOCKED_LIST:
        b->list = mem_alloc(b->a, sizeof(*b->list), BENCH_TAG, MEM_NONPAGED, MEM_SITE);
        if (!b->list)
            return 0;
        b->a->platform.lock.init(&b->list->lock);
        for (; b->list->count < 64; b->list->count++)
            if (!(b->list->blocks[b->list->count] =
                      mem_alloc(b->a, size, BENCH_TAG, MEM_NONPAGED, MEM_SITE)))
                return 0;
        return 1;
    default:
        return 1;
    }
}

static void free_state(struct bench_state *b)
{
    if (b->cache)
        mem_cache_destroy(b->cache);
    for (uint32_t i = 0; b->list && i < b->list->count; i++)
        mem_free(b->a, b->list->blocks[i], BENCH_TAG);
    mem_free(b->a, b->list, BENCH_TAG);
    mem_free(b->a, b->log, BENCH_TAG);
}

minwdm_status minwdm_bench(struct minwdm_device *d, const struct minwdm_request *r,
                           uint32_t *written)
{
    struct minwdm_bench_request q;
    struct minwdm_bench_result out;
    minwdm_status status = MINWDM_STATUS_SUCCESS;
    struct bench_state b = {NULL, NULL, NULL, NULL};
    uint32_t i;

    if (r->input_length != sizeof(q))
        return MINWDM_STATUS_INVALID_PARAMETER;
    memcpy(&q, r->input, sizeof(q));
    if (q.path >= MINWDM_BENCH_PATH_COUNT || q.iterations == 0 ||
        q.iterations > MINWDM_BENCH_MAX_ITERATIONS || q.size == 0 ||
        q.size > MINWDM_BENCH_MAX_SIZE || q.reserved != 0 || !d->clock)
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < sizeof(out))
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    b.a = mem_alloc(d->memory, sizeof(*b.a), BENCH_TAG, MEM_NONPAGED, MEM_SITE);
    if (!b.a)
        return MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    mem_init(b.a, &d->memory->platform);
    if (!make_state(&b, d, q.path, q.size))
        status = MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    for (i = 0; MINWDM_SUCCESS(status) && i < BENCH_WARMUP; i++)
        if (!bench_pair(&b, q.path, q.size, i))
            status = MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    memset(&out, 0, sizeof(out));
    uint64_t start = d->clock(&out.frequency);
    for (i = 0; MINWDM_SUCCESS(status) && i < q.iterations; i++)
        if (!bench_pair(&b, q.path, q.size, i))
            status = MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    out.ticks = d->clock(NULL) - start;
    out.iterations = q.iterations;
    free_state(&b);
    mem_destroy(b.a);
    mem_free(d->memory, b.a, BENCH_TAG);
    if (!MINWDM_SUCCESS(status))
        return status;
    memcpy(r->output, &out, sizeof(out));
    *written = sizeof(out);
    return MINWDM_STATUS_SUCCESS;
}
