#include "mem_selftest.h"

#include <string.h>

#include "placement.h"

#define TAG MEM_TAG('M', 'w', 'S', 't')

/* The tests run at PASSIVE_LEVEL only (IOCTL_MINWDM_SELFTEST): pageable. The platform callbacks
 * below are not, as the allocator may call them holding a lock. */

/* One allocation site for all the self tests' blocks keeps the driver small. */
static const struct mem_site here = {"mem_selftest", 0};
#undef MEM_SITE
#define MEM_SITE (&here)
#define OTHER_TAG MEM_TAG('M', 'w', 'S', 'x')

struct selftest {
    struct mem_platform base; /* the caller's platform */
    struct mem_allocator allocator;
    uint64_t events[MEM_EVENT_COUNT];
    struct mem_selftest_result *result;
};

/* The platform the test allocator sees: the caller's pool, with events counted here. */
static void *test_pool_alloc(void *context, size_t size, uint32_t tag, enum mem_pool pool)
{
    const struct selftest *t = context;

    return t->base.pool_alloc(t->base.context, size, tag, pool);
}

static void test_pool_free(void *context, void *block, uint32_t tag)
{
    const struct selftest *t = context;

    t->base.pool_free(t->base.context, block, tag);
}

static int test_irql_allows(void *context, enum mem_pool pool)
{
    const struct selftest *t = context;

    return !t->base.irql_allows || t->base.irql_allows(t->base.context, pool);
}

static void test_report(void *context, const struct mem_event *event)
{
    struct selftest *t = context;

    t->events[event->kind]++;
}

/* The first failure is named by its line in this file, "mem_selftest.c:123": the check's text
 * and function name would make the self test a third of the driver. */
CORE_PAGED_CODE static void expect_at(struct selftest *t, int ok, unsigned line)
{
    static const char file[] = "mem_selftest.c:";
    char *out = t->result->first_failure;
    char digits[12], *d = digits + sizeof(digits);

    if (ok) {
        t->result->passed++;
        return;
    }
    if (t->result->failed++)
        return;
    do
        *--d = (char)('0' + line % 10);
    while ((line /= 10) != 0);
    memcpy(out, file, sizeof(file) - 1);
    memcpy(out + sizeof(file) - 1, d, (size_t)(digits + sizeof(digits) - d));
}

#define EXPECT(t, condition) expect_at((t), (condition) != 0, __LINE__)

CORE_PAGED_CODE static int all_zero(const void *p, size_t size)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < size; i++)
        if (b[i])
            return 0;
    return 1;
}

CORE_PAGED_CODE static uint64_t outstanding(struct mem_allocator *a)
{
    struct mem_stats s;

    mem_stats(a, &s, NULL, NULL);
    return s.outstanding_blocks;
}

CORE_PAGED_CODE static int holds(const uint8_t *p, size_t size, uint8_t value)
{
    for (size_t i = 0; i < size; i++)
        if (p[i] != value)
            return 0;
    return 1;
}

/* Every kind of block comes back zeroed, aligned and writable, fresh from the pool and recycled,
 * and live blocks never overlap: each keeps its own pattern. */
CORE_PAGED_CODE static void blocks(struct selftest *t, struct mem_allocator *a)
{
    static const struct {
        uint32_t size;
        uint16_t alignment;
        uint8_t pool;
    } kinds[] = {
        {0, 16, MEM_NONPAGED},    {1, 16, MEM_NONPAGED},     {17, 16, MEM_NONPAGED},
        {100, 32, MEM_NONPAGED},  {2048, 16, MEM_NONPAGED},  {2049, 64, MEM_NONPAGED},
        {5000, 4096, MEM_NONPAGED}, {70000, 16, MEM_NONPAGED}, {300, 16, MEM_PAGED},
        {300, 256, MEM_PAGED},
    };
    enum { KINDS = sizeof(kinds) / sizeof(kinds[0]) };
    uint8_t *p[KINDS];
    uint64_t before = outstanding(a), events = t->events[MEM_EVENT_OVERRUN];

    for (int round = 0; round < 2; round++) {
        for (unsigned i = 0; i < KINDS; i++) {
            p[i] = mem_alloc_aligned(a, kinds[i].size, kinds[i].alignment, TAG,
                                     (enum mem_pool)kinds[i].pool, MEM_SITE);
            EXPECT(t, p[i] && ((uintptr_t)p[i] & (kinds[i].alignment - 1)) == 0);
            EXPECT(t, p[i] && all_zero(p[i], kinds[i].size));
            if (p[i])
                memset(p[i], (int)i + 1, kinds[i].size);
        }
        for (unsigned i = 0; i < KINDS; i++) {
            EXPECT(t, p[i] && holds(p[i], kinds[i].size, (uint8_t)(i + 1)));
            mem_free(a, p[i], TAG);
        }
    }
    EXPECT(t, outstanding(a) == before && t->events[MEM_EVENT_OVERRUN] == events);
}

enum misuse {
    OVERRUN,          /* one byte past the end: reported, the block still freed */
    UNDERRUN,         /* one byte before the start: reported, the block kept until repaired */
    DOUBLE_FREE,
    MISALIGNED_FREE,  /* a pointer no block starts at */
    INTERIOR_FREE,    /* a pointer inside a block: its "header" is the caller's bytes */
    WRONG_TAG,        /* reported, and still freed */
    WRITE_AFTER_FREE, /* seen when the block is handed out again or leaves the quarantine */
};

static const uint8_t misuse_event[] = {
    MEM_EVENT_OVERRUN,      MEM_EVENT_UNDERRUN,     MEM_EVENT_DOUBLE_FREE,
    MEM_EVENT_FOREIGN_FREE, MEM_EVENT_FOREIGN_FREE, MEM_EVENT_TAG_MISMATCH,
    MEM_EVENT_WRITE_AFTER_FREE,
};

/* Each misuse, on a small (cached) and a large block: seen once, and nothing else breaks. */
CORE_PAGED_CODE static void misuses(struct selftest *t, struct mem_allocator *a)
{
    static const uint32_t sizes[] = {40, 3000};
    uint64_t before = outstanding(a);

    for (unsigned m = OVERRUN; m <= WRITE_AFTER_FREE; m++) {
        for (unsigned s = 0; s < 2; s++) {
            uint32_t size = sizes[s];
            uint64_t seen = t->events[misuse_event[m]];
            uint8_t *p = mem_alloc(a, size, TAG, MEM_NONPAGED, MEM_SITE);
            if (!p)
                continue;
            switch (m) {
            case OVERRUN:
                p[size] ^= 0x40;
                break;
            case UNDERRUN:
                p[-1] ^= 0x40;
                mem_free(a, p, TAG);
                EXPECT(t, outstanding(a) == before + 1);
                p[-1] ^= 0x40;
                break;
            case DOUBLE_FREE:
                mem_free(a, p, TAG);
                break;
            case MISALIGNED_FREE:
            case INTERIOR_FREE:
                mem_free(a, p + (m == MISALIGNED_FREE ? 1 : 96 % size), TAG);
                EXPECT(t, holds(p, size, 0));
                break;
            case WRONG_TAG:
                mem_free(a, p, OTHER_TAG);
                p = NULL;
                break;
            default:
                mem_free(a, p, TAG);
                p[size - 1] = 1; /* on its cache's free list or in quarantine: poisoned */
                if (size <= MEM_MAX_CLASS_SIZE) /* handed out again: checked first */
                    mem_free(a, mem_alloc(a, size, TAG, MEM_NONPAGED, MEM_SITE), TAG);
                for (unsigned i = 0; i < MEM_QUARANTINE_BLOCKS; i++) /* out of quarantine */
                    mem_free(a, mem_alloc(a, 3000, TAG, MEM_NONPAGED, MEM_SITE), TAG);
                p = NULL;
                break;
            }
            mem_free(a, p, TAG);
            EXPECT(t, t->events[misuse_event[m]] == seen + 1);
            EXPECT(t, outstanding(a) == before);
        }
    }
}

/* Keeps the numbers of the cache at index want. */
struct cache_pick {
    unsigned want;
    struct mem_cache_stats numbers;
};

static void pick_cache(void *context, unsigned index, const struct mem_cache_stats *cache)
{
    struct cache_pick *pick = context;

    if (index == pick->want)
        pick->numbers = *cache;
}

CORE_PAGED_CODE static void caches(struct selftest *t, struct mem_allocator *a)
{
    struct mem_cache *c = mem_cache_create(a, "selftest", 48, TAG, 4);
    struct cache_pick pick = {MEM_CLASS_COUNT, {{0}, 0, 0, 0, 0, 0, 0, 0, 0}};
    const struct mem_cache_stats *mine = &pick.numbers;
    struct mem_stats s;
    void *objects[10];

    EXPECT(t, c != NULL);
    if (!c)
        return;
    for (int i = 0; i < 10; i++) {
        objects[i] = mem_cache_alloc(c, MEM_SITE);
        EXPECT(t, objects[i] != NULL && all_zero(objects[i], 48));
        if (objects[i])
            memset(objects[i], 0xEE, 48);
    }
    for (int i = 0; i < 10; i++)
        mem_cache_free(c, objects[i]);
    unsigned count = mem_stats(a, &s, pick_cache, &pick);
    EXPECT(t, count == MEM_CLASS_COUNT + 1);
    EXPECT(t, strcmp(mine->name, "selftest") == 0 && mine->object_size == 48);
    EXPECT(t, mine->depth == 4 && mine->created == 4 && mine->outstanding == 0);
    EXPECT(t, mine->allocations == 10 && mine->hits == 0);
    void *again = mem_cache_alloc(c, MEM_SITE);
    EXPECT(t, again != NULL && all_zero(again, 48));
    mem_stats(a, &s, pick_cache, &pick);
    EXPECT(t, mine->hits == 1);

    uint64_t foreign = t->events[MEM_EVENT_FOREIGN_FREE];
    mem_free(a, again, TAG); /* a cache object goes back to its cache, not to mem_free */
    EXPECT(t, t->events[MEM_EVENT_FOREIGN_FREE] == foreign + 1);
    mem_cache_free(c, again);
    uint64_t doubles = t->events[MEM_EVENT_DOUBLE_FREE];
    mem_cache_free(c, again);
    EXPECT(t, t->events[MEM_EVENT_DOUBLE_FREE] == doubles + 1);

    uint64_t leaks = t->events[MEM_EVENT_LEAK];
    EXPECT(t, mem_cache_alloc(c, MEM_SITE) != NULL && mem_cache_alloc(c, MEM_SITE) != NULL);
    EXPECT(t, mem_cache_destroy(c) == 2); /* two objects left out: reported and freed */
    EXPECT(t, t->events[MEM_EVENT_LEAK] == leaks + 2);
}

CORE_PAGED_CODE static void failure_injection(struct selftest *t,
                                              struct mem_allocator *a)
{
    struct mem_stats before, after;
    void *p[4];

    mem_stats(a, &before, NULL, NULL);
    mem_fail_nth(a, 3);
    for (int i = 0; i < 4; i++)
        p[i] = mem_alloc(a, 64, TAG, MEM_NONPAGED, MEM_SITE);
    EXPECT(t, p[0] && p[1] && !p[2] && p[3]);
    for (int i = 0; i < 4; i++)
        mem_free(a, p[i], TAG);
    mem_stats(a, &after, NULL, NULL);
    EXPECT(t, after.injected_failures == before.injected_failures + 1);
    EXPECT(t, after.failures == before.failures + 1);
    mem_fail_nth(a, 1);
    struct mem_cache *c = mem_cache_create(a, "nope", 16, TAG, 1); /* its own allocation fails */
    EXPECT(t, c == NULL);
    mem_fail_nth(a, 0);
}

CORE_PAGED_CODE static void leaks_at_destroy(struct selftest *t,
                                             struct mem_allocator *a)
{
    uint64_t leaks = t->events[MEM_EVENT_LEAK];

    mem_alloc(a, 24, TAG, MEM_NONPAGED, MEM_SITE);
    mem_alloc(a, 6000, TAG, MEM_NONPAGED, MEM_SITE);
    mem_alloc(a, 300, TAG, MEM_PAGED, MEM_SITE);
    EXPECT(t, mem_cache_create(a, "forgotten", 32, TAG, 2) != NULL);
    EXPECT(t, mem_destroy(a) == 4);
    EXPECT(t, t->events[MEM_EVENT_LEAK] == leaks + 4);
}

CORE_PAGED_CODE int mem_selftest(const struct mem_platform *platform,
                                 struct mem_selftest_result *result)
{
    struct selftest *t = platform->pool_alloc(platform->context, sizeof(*t), TAG, MEM_NONPAGED);
    struct mem_platform mine;

    memset(result, 0, sizeof(*result));
    if (!t)
        return 0;
    memset(t, 0, sizeof(*t));
    t->base = *platform;
    t->result = result;
    mine = *platform;
    mine.context = t;
    mine.pool_alloc = test_pool_alloc;
    mine.pool_free = test_pool_free;
    mine.irql_allows = test_irql_allows;
    mine.report = test_report;
    /* The misuses below write outside blocks on purpose: not in a special pool's pages. */
    mine.special_alloc = NULL;
    mine.special_free = NULL;
    mine.special_state = NULL;
    mem_init(&t->allocator, &mine);

    blocks(t, &t->allocator);
    misuses(t, &t->allocator);
    caches(t, &t->allocator);
    failure_injection(t, &t->allocator);
    leaks_at_destroy(t, &t->allocator); /* destroys the allocator */

    platform->pool_free(platform->context, t, TAG);
    return 1;
}
