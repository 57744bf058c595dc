#include "bench.h"

#include <string.h>

#define BENCH_TAG MEM_TAG('M', 'w', 'B', 'n')
#define BENCH_WARMUP 1000u

/* A bare free list under the platform's lock: what any locked cache costs at the least. */
struct locked_list {
    struct mem_lock lock;
    void *blocks[64];
    unsigned count;
};

/* One alloc+free pair on the chosen path; 0 when the allocation failed. */
static int bench_pair(struct mem_allocator *a, struct mem_cache *cache, struct locked_list *list,
                      uint32_t path, uint32_t size)
{
    const struct mem_platform *p = &a->platform;
    void *block;
    uintptr_t t;

    switch (path) {
    case MINWDM_BENCH_LOCKED_LIST:
        t = p->lock_acquire(&list->lock);
        block = list->blocks[--list->count];
        p->lock_release(&list->lock, t);
        memset(block, 0, size);
        t = p->lock_acquire(&list->lock);
        list->blocks[list->count++] = block;
        p->lock_release(&list->lock, t);
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
        if (!(block = mem_cache_alloc(cache, MEM_SITE)))
            return 0;
        mem_cache_free(cache, block);
        return 1;
    default:
        if (!(block = mem_alloc_aligned(a, size, 64, BENCH_TAG, MEM_NONPAGED, MEM_SITE)))
            return 0;
        mem_free(a, block, BENCH_TAG);
        return 1;
    }
}

minwdm_status minwdm_bench(struct minwdm_device *d, const struct minwdm_request *r,
                           uint32_t *written)
{
    struct minwdm_bench_request q;
    struct minwdm_bench_result out;
    minwdm_status status = MINWDM_STATUS_SUCCESS;
    struct mem_cache *cache = NULL;
    struct locked_list *list = NULL;
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
    struct mem_allocator *a = mem_alloc(d->memory, sizeof(*a), BENCH_TAG, MEM_NONPAGED, MEM_SITE);
    if (!a)
        return MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    mem_init(a, &d->memory->platform);
    if (q.path == MINWDM_BENCH_CACHE && !(cache = mem_cache_create(a, "bench", q.size, BENCH_TAG, 64)))
        status = MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    if (q.path == MINWDM_BENCH_LOCKED_LIST) {
        list = mem_alloc(a, sizeof(*list), BENCH_TAG, MEM_NONPAGED, MEM_SITE);
        if (list) {
            a->platform.lock_init(&list->lock);
            for (; list->count < 64; list->count++)
                if (!(list->blocks[list->count] = mem_alloc(a, q.size, BENCH_TAG, MEM_NONPAGED, MEM_SITE)))
                    break;
        }
        if (!list || list->count < 64)
            status = MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    }
    for (i = 0; MINWDM_SUCCESS(status) && i < BENCH_WARMUP; i++)
        if (!bench_pair(a, cache, list, q.path, q.size))
            status = MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    memset(&out, 0, sizeof(out));
    uint64_t start = d->clock(&out.frequency);
    for (i = 0; MINWDM_SUCCESS(status) && i < q.iterations; i++)
        if (!bench_pair(a, cache, list, q.path, q.size))
            status = MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    out.ticks = d->clock(NULL) - start;
    out.iterations = q.iterations;
    if (cache)
        mem_cache_destroy(cache);
    for (i = 0; list && i < list->count; i++)
        mem_free(a, list->blocks[i], BENCH_TAG);
    mem_free(a, list, BENCH_TAG);
    mem_destroy(a);
    mem_free(d->memory, a, BENCH_TAG);
    if (!MINWDM_SUCCESS(status))
        return status;
    memcpy(r->output, &out, sizeof(out));
    *written = sizeof(out);
    return MINWDM_STATUS_SUCCESS;
}

