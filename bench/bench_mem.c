/*
 * minwdm's allocator on the host: nanoseconds per alloc+free pair for one path, the same code as
 * in the driver over a host pool (malloc, then zeroing, as ExAllocatePoolWithTag needs).
 *   bench_mem pool|general|cache|aligned|lockedlist|special <size> <pairs>
 * Prints one number: ns per pair. bench/run calls it several times and takes the median.
 * special: mem_alloc/mem_free with every block in the special pool (over mmap and mprotect, as
 * the runtime's test builds under Wine are over Wine's virtual memory calls).
 *   bench_mem special-memory <size> <blocks>
 * Prints the special pool's cost of <blocks> live blocks: committed bytes per block and address
 * space per block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <minwdm/mem.h>
#include "mem_host.h"
#include "special_host.h"

#define TAG MEM_TAG('B', 'e', 'n', 'c')

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Memory of blocks live at once: committed bytes (data pages and the arena's record) and
 * address space (a slot: data pages, guard and what the class rounds up) per block. */
static int special_memory(struct mem_allocator *a, struct special_host *special, size_t size,
                          long blocks)
{
    void **live = calloc((size_t)blocks, sizeof(void *));
    long got = 0;

    if (!live) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    while (got < blocks && (live[got] = mem_alloc(a, size, TAG, MEM_NONPAGED, MEM_SITE)))
        got++;
    double committed = (double)special->arena.committed_pages * SPECIAL_PAGE / (double)got;
    printf("%ld blocks of %zu bytes: %.0f bytes committed per block (+%zu of record), %u KiB of "
           "address space per block, %lu in the special pool\n",
           got, size, committed, sizeof(struct special_record),
           (unsigned)(2 * SPECIAL_PAGE / 1024), (unsigned long)special->arena.live);
    while (got)
        mem_free(a, live[--got], TAG);
    free(live);
    mem_destroy(a);
    special_host_stop(special);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const paths[] = {"pool",       "general", "cache",         "aligned",
                                        "lockedlist", "special", "special-memory"};
    struct mem_host host;
    struct mem_allocator a;
    struct special_host special;
    int path = -1;
    size_t size = argc == 4 ? strtoul(argv[2], NULL, 10) : 0;
    long pairs = argc == 4 ? strtol(argv[3], NULL, 10) : 0;

    for (int i = 0; argc == 4 && i < 7; i++)
        if (strcmp(argv[1], paths[i]) == 0)
            path = i;
    if (path < 0 || size == 0 || size > 2048 || pairs <= 0) {
        fprintf(stderr, "usage: bench_mem pool|general|cache|aligned|lockedlist|special|"
                        "special-memory <size 1-2048> <pairs>\n");
        return 2;
    }
    mem_host_init(&host, 0);
    host.lean = 1;
    if (path >= 5) {
        if (!special_host_start(&special, SPECIAL_CLASS_BYTES, SPECIAL_OVERRUNS))
            return 1;
        special_host_hooks(&special, &host.platform);
    }
    mem_init(&a, &host.platform);
    if (path == 6)
        return special_memory(&a, &special, size, pairs);
    struct mem_cache *cache = mem_cache_create(&a, "bench", size, TAG, 64);
    const struct mem_platform *p = &host.platform;
    struct core_lock lock;
    void *list[64];
    unsigned count = 0;
    double start = 0;

    p->lock.init(&lock);
    while (count < 64)
        list[count++] = malloc(size);

    for (long i = -1000; i < pairs; i++) { /* the first 1000 warm up */
        void *block;
        if (i == 0)
            start = now();
        switch (path) {
        case 0:
            block = p->pool_alloc(p->context, size, TAG, MEM_NONPAGED);
            memset(block, 0, size);
            p->pool_free(p->context, block, TAG);
            break;
        case 1:
            mem_free(&a, mem_alloc(&a, size, TAG, MEM_NONPAGED, MEM_SITE), TAG);
            break;
        case 2:
            mem_cache_free(cache, mem_cache_alloc(cache, MEM_SITE));
            break;
        case 4: {
            uintptr_t t = p->lock.acquire(&lock);
            block = list[--count];
            p->lock.release(&lock, t);
            memset(block, 0, size);
            t = p->lock.acquire(&lock);
            list[count++] = block;
            p->lock.release(&lock, t);
            break;
        }
        case 3:
            mem_free(&a, mem_alloc_aligned(&a, size, 64, TAG, MEM_NONPAGED, MEM_SITE), TAG);
            break;
        default:
            mem_free(&a, mem_alloc(&a, size, TAG, MEM_NONPAGED, MEM_SITE), TAG);
            break;
        }
    }
    printf("%.2f\n", (now() - start) / (double)pairs);
    while (count)
        free(list[--count]);
    mem_cache_destroy(cache);
    return mem_destroy(&a) == 0 ? 0 : 1;
}
