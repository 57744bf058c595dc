#include "special_host.h"

#include <stdlib.h>
#include <sys/mman.h>

static int commit(void *context, void *address, size_t size)
{
    (void)context;
    return mprotect(address, size, PROT_READ | PROT_WRITE) == 0;
}

static void decommit(void *context, void *address, size_t size)
{
    (void)context;
    madvise(address, size, MADV_DONTNEED); /* zeroed when committed again */
    mprotect(address, size, PROT_NONE);
}

int special_host_start(struct special_host *host, size_t class_bytes, enum special_mode mode)
{
    static const struct special_pages pages = {NULL, commit, decommit};
    size_t total = SPECIAL_CLASSES * class_bytes;

    host->class_bytes = class_bytes;
    host->base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    host->records = calloc(special_arena_record_count(class_bytes), sizeof(*host->records));
    if (host->base == MAP_FAILED || !host->records) {
        free(host->records);
        return 0;
    }
    special_arena_init(&host->arena, host->base, class_bytes, mode, &pages, host->records);
    return 1;
}

void special_host_stop(struct special_host *host)
{
    munmap(host->base, SPECIAL_CLASSES * host->class_bytes);
    free(host->records);
}

static void *hook_alloc(void *context, size_t before, size_t size, size_t alignment,
                        uint32_t tag, enum mem_pool pool)
{
    struct special_host *host = context;

    (void)pool;
    return special_arena_alloc(&host->arena, before, size, alignment, tag);
}

static void hook_free(void *context, void *block)
{
    struct special_host *host = context;
    struct special_record record;
    long written;

    special_arena_free(&host->arena, block, &record, &written);
}

static enum mem_special_state hook_state(void *context, const void *pointer)
{
    struct special_host *host = context;

    switch (special_arena_lookup(&host->arena, pointer)) {
    case SPECIAL_LIVE:
        return MEM_SPECIAL_LIVE;
    case SPECIAL_FREED:
        return MEM_SPECIAL_FREED;
    case SPECIAL_INSIDE:
        return MEM_SPECIAL_INSIDE;
    default:
        return MEM_SPECIAL_NONE;
    }
}

void special_host_hooks(struct special_host *host, struct mem_platform *platform)
{
    platform->special_context = host;
    platform->special_alloc = hook_alloc;
    platform->special_free = hook_free;
    platform->special_state = hook_state;
}
