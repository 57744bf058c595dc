/* The special pool's portable core (src/runtime/core/special_arena.c) over mmap, and the
 * allocator over it: blocks end at a no-access page, freed pages are no-access, a 1-byte
 * overrun and a write after free fault at the writing instruction (seen in a child process),
 * and double, misaligned and foreign frees are told apart without touching the block. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/special_arena.h"
#include "mem_host.h"

#define TAG MEM_TAG('S', 'p', 'c', 'l')
#define CLASS_BYTES (1u << 20) /* small regions: the ring comes round quickly */

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

static const struct special_pages host_pages = {NULL, commit, decommit};

struct host_arena {
    struct special_arena arena;
    void *base;
    struct special_record *records;
};

static void arena_start(struct host_arena *h, enum special_mode mode)
{
    size_t total = SPECIAL_CLASSES * (size_t)CLASS_BYTES;

    h->base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(h->base != MAP_FAILED);
    h->records = calloc(special_arena_record_count(CLASS_BYTES), sizeof(*h->records));
    special_arena_init(&h->arena, h->base, CLASS_BYTES, mode, &host_pages, h->records);
}

static void arena_stop(struct host_arena *h)
{
    munmap(h->base, SPECIAL_CLASSES * (size_t)CLASS_BYTES);
    free(h->records);
}

static int is_guard(const struct host_arena *h, const void *address)
{
    return special_arena_is_guard((uintptr_t)h->base, CLASS_BYTES, h->arena.mode,
                                  (uintptr_t)address);
}

/* Runs write_at in a child: 1 when it faulted exactly at address (SIGSEGV's si_addr). */
static volatile uintptr_t expected_fault;

static void on_fault(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    (void)context;
    _exit((uintptr_t)info->si_addr == expected_fault ? 0x5E : 1);
}

static int faults_at(volatile uint8_t *write_at)
{
    pid_t child = fork();
    int status = 0;

    if (child == 0) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_sigaction = on_fault;
        action.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &action, NULL);
        sigaction(SIGBUS, &action, NULL);
        expected_fault = (uintptr_t)write_at;
        *write_at = 1;
        _exit(2); /* no fault */
    }
    waitpid(child, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0x5E;
}

static void layout(void)
{
    static const size_t sizes[] = {1, 8, 40, 100, 4096, 5000, 60000};
    struct host_arena h;

    arena_start(&h, SPECIAL_OVERRUNS);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t size = sizes[i];
        uint8_t *p = special_arena_alloc(&h.arena, 0, size, 16, TAG);
        CHECK(p != NULL);
        if (!p)
            continue;
        CHECK_EQ(((uintptr_t)p + size) % SPECIAL_PAGE, 0); /* its end touches the guard */
        CHECK_EQ(is_guard(&h, p + size), 1);
        CHECK_EQ(is_guard(&h, p), 0);
        CHECK_EQ(is_guard(&h, p + size - 1), 0);
        for (size_t j = 0; j < size; j++)
            CHECK(p[j] == 0 || (fprintf(stderr, "byte %zu\n", j), 0));
        memset(p, 0xAB, size);
        CHECK_EQ(special_arena_lookup(&h.arena, p), SPECIAL_LIVE);
        CHECK_EQ(special_arena_lookup(&h.arena, p + 1), SPECIAL_INSIDE);
        struct special_record r;
        long written;
        CHECK_EQ(special_arena_free(&h.arena, p + 1, &r, &written), SPECIAL_FREE_MISALIGNED);
        CHECK_EQ(special_arena_free(&h.arena, p, &r, &written), SPECIAL_FREE_OK);
        CHECK(r.size == size && r.tag == TAG);
        CHECK_EQ(special_arena_lookup(&h.arena, p), SPECIAL_FREED);
        CHECK_EQ(special_arena_free(&h.arena, p, &r, &written), SPECIAL_FREE_DOUBLE);
    }
    /* Natural alignment: a 24-byte block starts 8-aligned, an aligned request is honoured. */
    uint8_t *p = special_arena_alloc(&h.arena, 0, 24, 16, TAG);
    CHECK(p && (uintptr_t)p % 8 == 0 && ((uintptr_t)p + 24) % SPECIAL_PAGE == 0);
    uint8_t *q = special_arena_alloc(&h.arena, 0, 100, 64, TAG);
    CHECK(q && (uintptr_t)q % 64 == 0);
    /* Too big for a class, or not ours. */
    CHECK(special_arena_alloc(&h.arena, 0, 32 * SPECIAL_PAGE, 16, TAG) == NULL);
    int local;
    CHECK_EQ(special_arena_lookup(&h.arena, &local), SPECIAL_NOT_OURS);
    CHECK_EQ(is_guard(&h, &local), -1);
    /* A write beside the block, in its own pages: seen when it is freed. */
    q[100] = 1;
    struct special_record r;
    long written;
    CHECK_EQ(special_arena_free(&h.arena, q, &r, &written), SPECIAL_FREE_SLACK_WRITTEN);
    CHECK_EQ(written, 100);
    CHECK_EQ(special_arena_free(&h.arena, p, &r, &written), SPECIAL_FREE_OK);
    CHECK_EQ(h.arena.live, 0);
    CHECK_EQ(h.arena.committed_pages, 0);
    arena_stop(&h);
}

/* A freed slot is not handed out again before every other slot of its class was. */
static void quarantine(void)
{
    struct host_arena h;
    uint32_t slots;
    struct special_record r;
    long written;

    arena_start(&h, SPECIAL_OVERRUNS);
    slots = h.arena.slots[0];
    uint8_t *first = special_arena_alloc(&h.arena, 0, 40, 16, TAG);
    special_arena_free(&h.arena, first, &r, &written);
    for (uint32_t i = 1; i < slots; i++) {
        uint8_t *p = special_arena_alloc(&h.arena, 0, 40, 16, TAG);
        CHECK(p != first);
        special_arena_free(&h.arena, p, &r, &written);
    }
    CHECK(special_arena_alloc(&h.arena, 0, 40, 16, TAG) == first); /* round again */
    /* Every slot live: refused (the caller falls back to the normal pool). */
    for (uint32_t i = 1; i < slots; i++)
        CHECK(special_arena_alloc(&h.arena, 0, 40, 16, TAG) != NULL);
    CHECK(special_arena_alloc(&h.arena, 0, 40, 16, TAG) == NULL);
    CHECK_EQ(h.arena.live, slots);
    arena_stop(&h);
}

/* The writing instruction faults: an overrun, a write after free, an underrun (in that mode). */
static void faults(void)
{
    struct host_arena h;
    struct special_record r;
    long written;

    arena_start(&h, SPECIAL_OVERRUNS);
    uint8_t *p = special_arena_alloc(&h.arena, 0, 40, 16, TAG);
    CHECK(!faults_at(p + 39));
    CHECK(faults_at(p + 40)); /* one byte past the end */
    special_arena_free(&h.arena, p, &r, &written);
    CHECK(faults_at(p + 5)); /* after free */
    CHECK_EQ(is_guard(&h, p + 5), 0);
    arena_stop(&h);

    arena_start(&h, SPECIAL_UNDERRUNS);
    p = special_arena_alloc(&h.arena, 0, 40, 16, TAG);
    CHECK_EQ((uintptr_t)p % SPECIAL_PAGE, 0);
    CHECK(faults_at(p - 1)); /* one byte before the start */
    CHECK_EQ(is_guard(&h, p - 1), 1);
    CHECK_EQ(is_guard(&h, p), 0);
    special_arena_free(&h.arena, p, &r, &written);
    arena_stop(&h);
}

/* --- the allocator over the special pool, as the runtime sets it up in test builds --- */

static struct host_arena allocator_arena;

static void *special_alloc(void *context, size_t before, size_t size, size_t alignment,
                           uint32_t tag, enum mem_pool pool)
{
    (void)context;
    (void)pool;
    return special_arena_alloc(&allocator_arena.arena, before, size, alignment, tag);
}

static void special_free(void *context, void *block)
{
    struct special_record r;
    long written;

    (void)context;
    CHECK_EQ(special_arena_free(&allocator_arena.arena, block, &r, &written), SPECIAL_FREE_OK);
}

static enum mem_special_state special_state(void *context, const void *pointer)
{
    (void)context;
    switch (special_arena_lookup(&allocator_arena.arena, pointer)) {
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

static void allocator(void)
{
    struct mem_host host;
    struct mem_allocator a;
    struct mem_stats s;

    arena_start(&allocator_arena, SPECIAL_OVERRUNS);
    mem_host_init(&host, 0);
    host.platform.special_alloc = special_alloc;
    host.platform.special_free = special_free;
    host.platform.special_state = special_state;
    mem_init(&a, &host.platform);

    uint8_t *small = mem_alloc(&a, 41, TAG, MEM_NONPAGED, MEM_SITE);
    uint8_t *large = mem_alloc(&a, 9000, TAG, MEM_PAGED, MEM_SITE);
    uint8_t *aligned = mem_alloc_aligned(&a, 256, 256, TAG, MEM_NONPAGED, MEM_SITE);
    struct mem_cache *c = mem_cache_create(&a, "special", 24, TAG, 4);
    uint8_t *object = mem_cache_alloc(c, MEM_SITE);
    CHECK(small && large && aligned && c && object);
    CHECK_EQ(allocator_arena.arena.live, 5);
    CHECK_EQ(((uintptr_t)small + 41) % SPECIAL_PAGE, 0); /* odd size: still at the guard */
    CHECK_EQ(((uintptr_t)large + 9000) % SPECIAL_PAGE, 0);
    CHECK_EQ((uintptr_t)aligned % 256, 0);
    CHECK(faults_at(small + 41) && faults_at(object + 24));
    CHECK(mem_cache_owns(c, object) && !mem_cache_owns(c, small));
    memset(small, 1, 41);
    CHECK_EQ(mem_check_all(&a), 0);
    mem_stats(&a, &s, NULL, NULL);
    CHECK_EQ(s.outstanding_blocks, 5);
    CHECK_EQ(s.outstanding_bytes, 41 + 9000 + 256 + sizeof(struct mem_cache) + 24);

    uint8_t *moved = mem_realloc(&a, small, 100, TAG, MEM_SITE);
    CHECK(moved && moved != small && moved[40] == 1 && moved[41] == 0);
    CHECK(faults_at(small)); /* the old block's pages are gone */
    mem_free(&a, small, TAG); /* a double free: told by the special pool, no header read */
    CHECK_EQ(host.events[MEM_EVENT_DOUBLE_FREE], 1);
    mem_free(&a, moved + 8, TAG); /* inside a block */
    CHECK_EQ(host.events[MEM_EVENT_FOREIGN_FREE], 1);
    mem_free(&a, moved, MEM_TAG('O', 't', 'h', 'r'));
    CHECK_EQ(host.events[MEM_EVENT_TAG_MISMATCH], 1);
    mem_free(&a, large, TAG);
    mem_cache_free(c, object);
    CHECK(faults_at(object));
    object = mem_cache_alloc(c, MEM_SITE); /* left for mem_cache_destroy: a leak */
    CHECK_EQ(mem_cache_destroy(c), 1);
    CHECK_EQ(mem_destroy(&a), 1); /* aligned */
    CHECK_EQ(host.events[MEM_EVENT_LEAK], 2);
    CHECK_EQ(allocator_arena.arena.live, 0);
    CHECK_EQ(host.pool_allocs, host.pool_frees);
    arena_stop(&allocator_arena);
}

int main(void)
{
    layout();
    quarantine();
    faults();
    allocator();
    return check_done("test_special_pool");
}
