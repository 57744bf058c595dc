/* The special pool's portable core (src/runtime/core/special_arena.c) over mmap, and the
 * allocator over it: blocks end at a no-access page, freed pages are no-access, a 1-byte
 * overrun and a write after free fault at the writing instruction (seen in a child process),
 * and double, misaligned and foreign frees are told apart without touching the block. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/special_arena.h"
#include "mem_host.h"
#include "special_host.h"

#define TAG MEM_TAG('S', 'p', 'c', 'l')
#define CLASS_BYTES (1u << 20) /* small regions: the ring comes round quickly */

static void arena_start(struct special_host *h, enum special_mode mode)
{
    CHECK(special_host_start(h, CLASS_BYTES, mode));
}

static void arena_stop(struct special_host *h)
{
    special_host_stop(h);
}

static int is_guard(const struct special_host *h, const void *address)
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
    struct special_host h;

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
    CHECK(special_arena_alloc(&h.arena, 0, (size_t)32 * SPECIAL_PAGE, 16, TAG) == NULL);
    int local = 0;
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
    struct special_host h;
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
    uint8_t *last = special_arena_alloc(&h.arena, 0, 40, 16, TAG);
    CHECK(last == NULL);
    CHECK_EQ(h.arena.live, slots);
    /* Freed slots come back first freed, first used. */
    uint8_t *x = first + (size_t)20 * SPECIAL_PAGE, *y = first + (size_t)6 * SPECIAL_PAGE;
    CHECK_EQ(special_arena_lookup(&h.arena, x), SPECIAL_LIVE);
    CHECK_EQ(special_arena_free(&h.arena, x, &r, &written), SPECIAL_FREE_OK);
    CHECK_EQ(special_arena_free(&h.arena, y, &r, &written), SPECIAL_FREE_OK);
    CHECK(special_arena_alloc(&h.arena, 0, 40, 16, TAG) == x);
    CHECK(special_arena_alloc(&h.arena, 0, 40, 16, TAG) == y);
    arena_stop(&h);
}

/* The writing instruction faults: an overrun, a write after free, an underrun (in that mode). */
static void faults(void)
{
    struct special_host h;
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

static struct special_host allocator_arena;

static void allocator(void)
{
    struct mem_host host;
    struct mem_allocator a;
    struct mem_stats s;

    arena_start(&allocator_arena, SPECIAL_OVERRUNS);
    mem_host_init(&host, 0);
    special_host_hooks(&allocator_arena, &host.platform);
    mem_init(&a, &host.platform);

    uint8_t *small = mem_alloc(&a, 41, TAG, MEM_NONPAGED, MEM_SITE);
    uint8_t *large = mem_alloc(&a, 9000, TAG, MEM_PAGED, MEM_SITE);
    uint8_t *aligned = mem_alloc_aligned(&a, 256, 256, TAG, MEM_NONPAGED, MEM_SITE);
    struct mem_cache *c = mem_cache_create(&a, "special", 24, TAG, 4);
    CHECK(c != NULL);
    if (!c)
        return;
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
    CHECK(mem_cache_alloc(c, MEM_SITE) != NULL); /* left for mem_cache_destroy: a leak */
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
