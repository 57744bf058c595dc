/* The allocator on the host, under AddressSanitizer and UndefinedBehaviorSanitizer: the shared
 * self tests over both pool backends, then what only the host can check (IRQL rules, the pool
 * balance, leak reports, and a multi-threaded stress of caches and size classes). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "check.h"
#include "core/mem_selftest.h"
#include "mem_host.h"

#define TAG MEM_TAG('T', 'e', 's', 't')

static void selftests(int zeroing_pool)
{
    struct mem_host host;
    struct mem_selftest_result r;

    mem_host_init(&host, zeroing_pool);
    CHECK(mem_selftest(&host.platform, &r));
    if (r.failed)
        fprintf(stderr, "self test (%s pool): %u failed, first: %s\n",
                zeroing_pool ? "zeroing" : "fallback", r.failed, r.first_failure);
    CHECK_EQ(r.failed, 0);
    CHECK(r.passed > 80);
    CHECK(host.pool_allocs == host.pool_frees); /* destroy gave everything back */
}

/* A fresh allocator over a host platform, for the tests below. */
static void start(struct mem_host *host, struct mem_allocator *a, int zeroing_pool)
{
    mem_host_init(host, zeroing_pool);
    mem_init(a, &host->platform);
}

static void finish(struct mem_host *host, struct mem_allocator *a)
{
    CHECK_EQ(mem_destroy(a), 0);
    CHECK(host->pool_allocs == host->pool_frees);
}

static int all(const uint8_t *p, size_t size, uint8_t value)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != value)
            return 0;
    return 1;
}

/* Invalid requests get NULL and a report, never a block. */
static void bad_requests(void)
{
    struct mem_host host;
    struct mem_allocator a;

    start(&host, &a, 0);
    CHECK(!mem_calloc(&a, SIZE_MAX / 2 + 1, 2, TAG, MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_calloc(&a, 3, SIZE_MAX / 2, TAG, MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_alloc(&a, SIZE_MAX - 8, TAG, MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_alloc_aligned(&a, 100, 0, TAG, MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_alloc_aligned(&a, 100, 48, TAG, MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_alloc_aligned(&a, 100, 8192, TAG, MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_alloc(&a, 10, MEM_TAG('a', 0, 'c', 'd'), MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_alloc(&a, 10, MEM_TAG('a', 'b', 'c', 0x80), MEM_NONPAGED, MEM_SITE));
    CHECK(!mem_cache_create(&a, "bad", 16, 0, 4));
    CHECK(!mem_cache_create(&a, "bad", 0, TAG, 4));
    CHECK_EQ(host.events[MEM_EVENT_BAD_REQUEST], 10);
    CHECK(mem_tag_valid(MEM_TAG('a', 'B', '9', ' ')) && !mem_tag_valid(0));
    uint8_t *p = mem_calloc(&a, 10, 30, TAG, MEM_NONPAGED, MEM_SITE);
    CHECK(p && all(p, 300, 0));
    mem_free(&a, p, TAG);
    finish(&host, &a);
}

static void resizing(void)
{
    struct mem_host host;
    struct mem_allocator a;

    start(&host, &a, 0);
    uint8_t *p = mem_realloc(&a, NULL, 20, TAG, MEM_SITE);
    CHECK(p != NULL && all(p, 20, 0));
    memset(p, 7, 20);
    uint8_t *q = mem_realloc(&a, p, 30, TAG, MEM_SITE); /* same size class: in place */
    CHECK(q == p && all(q, 20, 7) && all(q + 20, 10, 0));
    q = mem_realloc(&a, q, 12, TAG, MEM_SITE); /* shrinks in place */
    CHECK(q == p && all(q, 12, 7));
    q = mem_realloc(&a, q, 30, TAG, MEM_SITE); /* and grows back: the cut bytes were cleared */
    CHECK(q == p && all(q, 12, 7) && all(q + 12, 18, 0));
    p = mem_realloc(&a, q, 4000, TAG, MEM_SITE); /* moves to a large block */
    CHECK(p != NULL && p != q && all(p, 12, 7) && all(p + 12, 3988, 0));
    q = mem_realloc(&a, p, 10, TAG, MEM_SITE); /* shrinks into a small block */
    CHECK(q != NULL && all(q, 10, 7));
    CHECK(mem_realloc(&a, q, 50, MEM_TAG('O', 't', 'h', 'r'), MEM_SITE) == NULL); /* tag */
    CHECK(host.events[MEM_EVENT_TAG_MISMATCH] == 1 && all(q, 10, 7));
    mem_fail_nth(&a, 1);
    CHECK(mem_realloc(&a, q, 5000, TAG, MEM_SITE) == NULL && all(q, 10, 7)); /* kept */
    CHECK(mem_realloc(&a, q, 0, TAG, MEM_SITE) == NULL); /* frees */
    p = mem_realloc(&a, NULL, 100, TAG, MEM_SITE);
    mem_free(&a, p, TAG);
    CHECK(mem_realloc(&a, p, 200, TAG, MEM_SITE) == NULL); /* a freed block is not resized */
    CHECK(host.events[MEM_EVENT_DOUBLE_FREE] == 1 && host.events[MEM_EVENT_OVERRUN] == 0);
    finish(&host, &a);
}

/* Every power of two up to a page, in both pools, small and large blocks: aligned, zeroed, and
 * writable to the last byte without a detection. */
static void every_alignment(void)
{
    static const size_t sizes[] = {1, 100, 2048, 5000};
    struct mem_host host;
    struct mem_allocator a;

    start(&host, &a, 0);
    for (size_t alignment = 1; alignment <= MEM_MAX_ALIGNMENT; alignment <<= 1) {
        for (int pool = MEM_NONPAGED; pool <= MEM_PAGED; pool++) {
            for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
                uint8_t *p = mem_alloc_aligned(&a, sizes[i], alignment, TAG, (enum mem_pool)pool,
                                               MEM_SITE);
                CHECK(p && (uintptr_t)p % alignment == 0);
                if (!p)
                    continue;
                CHECK(all(p, sizes[i], 0));
                memset(p, 0xA5, sizes[i]);
                mem_free(&a, p, TAG);
            }
        }
    }
    for (int e = 0; e < MEM_EVENT_COUNT; e++)
        CHECK_EQ(host.events[e], 0);
    finish(&host, &a);
}

static void statistics(void)
{
    struct mem_host host;
    struct mem_allocator a;
    struct mem_stats before, during, after;

    start(&host, &a, 1);
    mem_stats(&a, &before, NULL, NULL);
    void *p = mem_alloc(&a, 1000, TAG, MEM_NONPAGED, MEM_SITE);
    void *q = mem_alloc(&a, 9000, TAG, MEM_NONPAGED, MEM_SITE);
    mem_stats(&a, &during, NULL, NULL);
    CHECK_EQ(during.outstanding_blocks, before.outstanding_blocks + 2);
    CHECK_EQ(during.outstanding_bytes, before.outstanding_bytes + 10000);
    CHECK(during.peak_bytes >= during.pool_bytes && during.pool_bytes > during.outstanding_bytes);
    CHECK_EQ(during.allocations, before.allocations + 2);
    CHECK(during.pool_bytes >= 10000 + 2 * 88);
    mem_free(&a, p, TAG);
    mem_free(&a, q, TAG);
    mem_stats(&a, &after, NULL, NULL);
    CHECK(after.outstanding_blocks == 0 && after.outstanding_bytes == 0);
    CHECK(after.frees == 2 && after.peak_bytes == during.peak_bytes);
    finish(&host, &a);
}

/* mem_check_all finds damage in live blocks, before they are freed. */
static void checking_live_blocks(void)
{
    struct mem_host host;
    struct mem_allocator a;

    start(&host, &a, 0);
    uint8_t *small = mem_alloc(&a, 10, TAG, MEM_NONPAGED, MEM_SITE);
    uint8_t *large = mem_alloc(&a, 5000, TAG, MEM_NONPAGED, MEM_SITE);
    struct mem_cache *c = mem_cache_create(&a, "live", 24, TAG, 2);
    uint8_t *object = mem_cache_alloc(c, MEM_SITE);
    CHECK_EQ(mem_check_all(&a), 0);
    small[10] ^= 1;
    large[-1] ^= 1;
    object[24] ^= 1;
    CHECK_EQ(mem_check_all(&a), 3);
    CHECK(host.events[MEM_EVENT_OVERRUN] == 2 && host.events[MEM_EVENT_UNDERRUN] == 1);
    small[10] ^= 1;
    large[-1] ^= 1;
    object[24] ^= 1;
    CHECK_EQ(mem_check_all(&a), 0);
    mem_free(&a, small, TAG);
    mem_free(&a, large, TAG);
    mem_cache_free(c, object);
    CHECK_EQ(mem_cache_destroy(c), 0);
    finish(&host, &a);
}

static void irql_rules(void)
{
    struct mem_host host;
    struct mem_allocator a;

    mem_host_init(&host, 0);
    mem_init(&a, &host.platform);
    host.irql = 2; /* DISPATCH_LEVEL */
    void *p = mem_alloc(&a, 100, TAG, MEM_NONPAGED, MEM_SITE);
    CHECK(p != NULL);
    CHECK_EQ(mem_alloc(&a, 100, TAG, MEM_PAGED, MEM_SITE), NULL);
    CHECK_EQ(host.events[MEM_EVENT_IRQL], 1);
    host.irql = 1; /* APC_LEVEL */
    void *q = mem_alloc(&a, 100, TAG, MEM_PAGED, MEM_SITE);
    CHECK(q != NULL);
    host.irql = 3;
    CHECK_EQ(mem_alloc(&a, 100, TAG, MEM_NONPAGED, MEM_SITE), NULL);
    CHECK_EQ(host.events[MEM_EVENT_IRQL], 2);
    host.irql = 0;
    mem_free(&a, p, TAG);
    mem_free(&a, q, TAG);
    CHECK_EQ(mem_destroy(&a), 0);
    CHECK_EQ(host.pool_allocs, host.pool_frees);
}

static void leak_reports(void)
{
    struct mem_host host;
    struct mem_allocator a;
    const struct mem_site *site = MEM_SITE;

    mem_host_init(&host, 1);
    mem_init(&a, &host.platform);
    void *p = mem_alloc(&a, 77, TAG, MEM_NONPAGED, site);
    CHECK(p != NULL);
    CHECK_EQ(mem_destroy(&a), 1);
    CHECK_EQ(host.events[MEM_EVENT_LEAK], 1);
    CHECK(host.last.kind == MEM_EVENT_LEAK && host.last.tag == TAG && host.last.size == 77);
    CHECK(host.last.site == site && strcmp(host.last.site->function, "leak_reports") == 0);
    CHECK_EQ(strcmp(host.last.cache, "size128"), 0);
    CHECK_EQ(host.pool_allocs, host.pool_frees);
}

/* A free of something that is not ours must not touch the pool: nothing is freed twice. */
static void bad_frees_leave_the_pool_alone(void)
{
    struct mem_host host;
    struct mem_allocator a;

    mem_host_init(&host, 0);
    mem_init(&a, &host.platform);
    char *p = mem_alloc(&a, 3000, TAG, MEM_NONPAGED, MEM_SITE);
    uint64_t frees = host.pool_frees;
    mem_free(&a, p, TAG);
    mem_free(&a, p, TAG);
    mem_free(&a, p + 32, TAG);
    CHECK(host.pool_frees == frees); /* quarantined, not yet given back */
    CHECK(host.events[MEM_EVENT_DOUBLE_FREE] == 1 && host.events[MEM_EVENT_FOREIGN_FREE] == 1);
    CHECK_EQ(mem_destroy(&a), 0);
    CHECK_EQ(host.pool_allocs, host.pool_frees);
}

/* A write after free is seen for every block the allocator hands out (issue 24): a small
 * (cached) block when it is handed out again, a mem_cache_create object by mem_check_all, a
 * large block when it leaves the quarantine, at any byte; each report names the block's
 * allocation and free sites and the first byte written. */
static void writes_after_free(void)
{
    static const struct mem_site freed_here = {"writes_after_free", 1};
    const struct mem_site *allocated_here = MEM_SITE;
    struct mem_host host;
    struct mem_allocator a;

    start(&host, &a, 0);
    /* 40 bytes: a size-class block, back on its free list; the same size takes it again. */
    uint8_t *p = mem_alloc(&a, 40, TAG, MEM_NONPAGED, allocated_here);
    mem_free_at(&a, p, TAG, &freed_here);
    p[39] = 1;
    uint8_t *q = mem_alloc(&a, 40, TAG, MEM_NONPAGED, MEM_SITE);
    CHECK(q == p && all(q, 40, 0)); /* the same block, zeroed again */
    CHECK_EQ(host.events[MEM_EVENT_WRITE_AFTER_FREE], 1);
    CHECK(host.last.site == allocated_here && host.last.free_site == &freed_here);
    CHECK_EQ(host.last.offset, 39);
    CHECK_EQ(host.last.size, 40);
    mem_free(&a, q, TAG);

    /* A cache's object, seen by mem_check_all (and reported once). */
    struct mem_cache *c = mem_cache_create(&a, "uaf", 24, TAG, 4);
    uint8_t *object = mem_cache_alloc(c, allocated_here);
    mem_cache_free(c, object);
    object[0] = 7;
    CHECK_EQ(mem_check_all(&a), 1);
    CHECK_EQ(host.events[MEM_EVENT_WRITE_AFTER_FREE], 2);
    CHECK(host.last.site == allocated_here && host.last.free_caller != NULL);
    CHECK(host.last.free_site == NULL && strcmp(host.last.cache, "uaf") == 0);
    CHECK_EQ(mem_check_all(&a), 0);
    /* And at destroy, for a free object never handed out again. */
    object[23] = 7;
    CHECK_EQ(mem_cache_destroy(c), 0);
    CHECK_EQ(host.events[MEM_EVENT_WRITE_AFTER_FREE], 3);
    CHECK_EQ(host.last.offset, 23);

    /* 3000 bytes: quarantined, checked whole when it leaves: byte 5, then byte 1000. */
    for (size_t at = 5; at <= 1000; at += 995) {
        uint64_t seen = host.events[MEM_EVENT_WRITE_AFTER_FREE];
        p = mem_alloc(&a, 3000, TAG, MEM_NONPAGED, allocated_here);
        mem_free_at(&a, p, TAG, &freed_here);
        p[at] = 1;
        for (unsigned i = 0; i < MEM_QUARANTINE_BLOCKS; i++)
            mem_free(&a, mem_alloc(&a, 3000, TAG, MEM_NONPAGED, MEM_SITE), TAG);
        CHECK_EQ(host.events[MEM_EVENT_WRITE_AFTER_FREE], seen + 1);
        CHECK_EQ(host.last.offset, at);
        CHECK(host.last.site == allocated_here && host.last.free_site == &freed_here);
    }
    /* A size-class block's last rounding byte (its old trailer) is poisoned too. */
    p = mem_alloc(&a, 17, TAG, MEM_NONPAGED, MEM_SITE);
    mem_free(&a, p, TAG);
    p[31] = 1;
    mem_free(&a, mem_alloc(&a, 32, TAG, MEM_NONPAGED, MEM_SITE), TAG);
    CHECK_EQ(host.events[MEM_EVENT_WRITE_AFTER_FREE], 6);
    CHECK_EQ(host.events[MEM_EVENT_DOUBLE_FREE] + host.events[MEM_EVENT_OVERRUN], 0);
    finish(&host, &a);
}

/* Paged pool on pages of its own (PAGED_MAP bytes each), so that the test can take them away. */
enum { PAGED_MAP = 16384, PAGED_MAX = 64 };
static void *paged_maps[PAGED_MAX];

static void *paged_on_pages(void *context, size_t size, uint32_t tag, enum mem_pool pool)
{
    struct mem_host *host = context;

    (void)tag;
    if (pool != MEM_PAGED || size > PAGED_MAP)
        return host->zeroing_pool ? calloc(1, size) : malloc(size);
    for (int i = 0; i < PAGED_MAX; i++) {
        if (!paged_maps[i]) {
            void *p = mmap(NULL, PAGED_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
            return paged_maps[i] = p == MAP_FAILED ? NULL : p;
        }
    }
    return NULL;
}

static void paged_off_pages(void *context, void *block, uint32_t tag)
{
    (void)context;
    (void)tag;
    for (int i = 0; i < PAGED_MAX; i++) {
        if (block && paged_maps[i] == block) {
            munmap(block, PAGED_MAP);
            paged_maps[i] = NULL;
            return;
        }
    }
    free(block);
}

/* The IRQL is checked on every paged call, free included (issue 24): a paged block freed above
 * APC_LEVEL is reported and not touched (its pages are no-access here: a read would fault). */
static void paged_free_above_apc_level(void)
{
    struct mem_host host;
    struct mem_allocator a;

    mem_host_init(&host, 1);
    host.platform.pool_alloc = paged_on_pages;
    host.platform.pool_free = paged_off_pages;
    mem_init(&a, &host.platform);
    uint8_t *paged = mem_alloc(&a, 5000, TAG, MEM_PAGED, MEM_SITE);
    uint8_t *nonpaged = mem_alloc(&a, 100, TAG, MEM_NONPAGED, MEM_SITE);
    CHECK(paged && nonpaged);
    uint8_t *pages = paged - 96;
    CHECK_EQ((uintptr_t)pages % 4096, 0);
    host.irql = 2; /* DISPATCH_LEVEL */
    CHECK_EQ(mprotect(pages, PAGED_MAP, PROT_NONE), 0);
    mem_free(&a, paged, TAG);
    CHECK(mem_realloc(&a, paged, 10, TAG, MEM_SITE) == NULL);
    CHECK_EQ(host.events[MEM_EVENT_IRQL], 2);
    CHECK(host.last.kind == MEM_EVENT_IRQL && host.last.pointer == paged);
    mem_free(&a, nonpaged, TAG); /* nonpaged: fine at DISPATCH_LEVEL */
    CHECK_EQ(host.events[MEM_EVENT_IRQL], 2);
    CHECK_EQ(mprotect(pages, PAGED_MAP, PROT_READ | PROT_WRITE), 0);
    host.irql = 1; /* APC_LEVEL: allowed */
    mem_free(&a, paged, TAG);
    CHECK_EQ(host.events[MEM_EVENT_IRQL], 2);
    host.irql = 0;
    /* Many paged blocks: the set grows, and each is still known. */
    uint8_t *many[40];
    for (int i = 0; i < 40; i++)
        many[i] = mem_alloc(&a, 3000 + (size_t)i, TAG, MEM_PAGED, MEM_SITE);
    host.irql = 2;
    for (int i = 0; i < 40; i += 3)
        mem_free(&a, many[i], TAG);
    CHECK_EQ(host.events[MEM_EVENT_IRQL], 2 + 14);
    host.irql = 0;
    for (int i = 0; i < 40; i++)
        mem_free(&a, many[i], TAG);
    for (int e = 0; e < MEM_EVENT_COUNT; e++)
        if (e != MEM_EVENT_IRQL)
            CHECK_EQ(host.events[e], 0);
    CHECK_EQ(mem_destroy(&a), 0);
}

struct worker {
    struct mem_allocator *allocator;
    struct mem_cache *cache;
    unsigned seed;
    int errors;
};

enum { THREADS = 4, ROUNDS = 100000, SLOTS = 64 };

/* mem_cache_owns: only live objects of that very cache, from this allocator, say yes. */
static void ownership(void)
{
    struct mem_host host, other_host;
    struct mem_allocator a, other;

    start(&host, &a, 0);
    start(&other_host, &other, 0);
    struct mem_cache *c = mem_cache_create(&a, "owned", 24, TAG, 4);
    struct mem_cache *d = mem_cache_create(&a, "other", 24, TAG, 4);
    struct mem_cache *e = mem_cache_create(&other, "elsewhere", 24, TAG, 4);
    uint8_t *mine = mem_cache_alloc(c, MEM_SITE), *theirs = mem_cache_alloc(d, MEM_SITE);
    uint8_t *elsewhere = mem_cache_alloc(e, MEM_SITE);
    void *general = mem_alloc(&a, 24, TAG, MEM_NONPAGED, MEM_SITE);

    CHECK(mem_cache_owns(c, mine) && !mem_cache_owns(c, theirs) && !mem_cache_owns(c, general));
    CHECK(!mem_cache_owns(c, elsewhere)); /* a stale pointer from another load */
    CHECK(!mem_cache_owns(c, NULL) && !mem_cache_owns(c, mine + 1));
    mem_cache_free(c, mine);
    CHECK(!mem_cache_owns(c, mine)); /* freed */
    for (int k = 0; k < MEM_EVENT_COUNT; k++)
        CHECK(host.events[k] == 0); /* asking reports nothing */
    mem_free(&a, general, TAG);
    mem_cache_free(d, theirs);
    mem_cache_free(e, elsewhere);
    CHECK(mem_cache_destroy(c) == 0 && mem_cache_destroy(d) == 0 && mem_cache_destroy(e) == 0);
    finish(&host, &a);
    finish(&other_host, &other);
}

/* Each thread keeps up to SLOTS blocks, each filled with its own pattern, and checks the
 * pattern before freeing: any sharing of a block between threads would show. */
static void *work(void *arg)
{
    struct worker *w = arg;
    uint8_t *blocks[SLOTS] = {0};
    size_t sizes[SLOTS] = {0};
    int cached[SLOTS] = {0};
    uint8_t patterns[SLOTS] = {0};

    for (int i = 0; i < ROUNDS; i++) {
        unsigned r = rand_r(&w->seed);
        int slot = (int)(r % SLOTS);
        if (blocks[slot]) {
            for (size_t j = 0; j < sizes[slot]; j++)
                if (blocks[slot][j] != patterns[slot])
                    w->errors++;
            if (cached[slot])
                mem_cache_free(w->cache, blocks[slot]);
            else
                mem_free(w->allocator, blocks[slot], TAG);
            blocks[slot] = NULL;
            continue;
        }
        cached[slot] = (int)((r >> 8) & 1u);
        sizes[slot] = cached[slot] ? 40 : (r >> 9) % 3000;
        blocks[slot] = cached[slot] ? mem_cache_alloc(w->cache, MEM_SITE)
                                    : mem_alloc(w->allocator, sizes[slot], TAG, MEM_NONPAGED,
                                                MEM_SITE);
        if (!blocks[slot]) {
            w->errors++;
            continue;
        }
        for (size_t j = 0; j < sizes[slot]; j++)
            if (blocks[slot][j])
                w->errors++;
        patterns[slot] = (uint8_t)(r >> 20);
        memset(blocks[slot], patterns[slot], sizes[slot]);
    }
    for (int slot = 0; slot < SLOTS; slot++) {
        if (!blocks[slot])
            continue;
        if (cached[slot])
            mem_cache_free(w->cache, blocks[slot]);
        else
            mem_free(w->allocator, blocks[slot], TAG);
    }
    return NULL;
}

static void threads(void)
{
    struct mem_host host;
    struct mem_allocator a;
    struct worker workers[THREADS];
    pthread_t ids[THREADS];
    struct mem_stats s;

    mem_host_init(&host, 0);
    mem_init(&a, &host.platform);
    struct mem_cache *cache = mem_cache_create(&a, "stress", 40, TAG, 32);
    CHECK(cache != NULL);
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){&a, cache, 1234u + (unsigned)i * 77u, 0};
        pthread_create(&ids[i], NULL, work, &workers[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(ids[i], NULL);
        CHECK_EQ(workers[i].errors, 0);
    }
    mem_stats(&a, &s, NULL, NULL);
    CHECK(s.outstanding_blocks == 1); /* the cache itself */
    for (int e = 0; e < MEM_EVENT_COUNT; e++)
        CHECK_EQ(s.events[e], 0);
    CHECK_EQ(s.allocations, s.frees + 1);
    CHECK_EQ(mem_cache_destroy(cache), 0);
    CHECK_EQ(mem_destroy(&a), 0);
    CHECK_EQ(host.pool_allocs, host.pool_frees);
}

int main(void)
{
    selftests(1);
    selftests(0);
    bad_requests();
    resizing();
    every_alignment();
    statistics();
    checking_live_blocks();
    irql_rules();
    leak_reports();
    bad_frees_leave_the_pool_alone();
    writes_after_free();
    paged_free_above_apc_level();
    ownership();
    threads();
    return check_done("test_mem");
}
