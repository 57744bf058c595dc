/*
 * minwdm's allocator, in portable C: no DDK header, so the driver, the host unit tests (with
 * sanitizers), the in-kernel self tests and the benchmarks all run this same code. The platform
 * (kernel pool, or the host's malloc) is reached through struct mem_platform.
 *
 * Every block carries a 96-byte header and an 8-byte trailer. The header starts and ends with a
 * canary keyed by a per-allocator secret and the header's address; the trailer follows the last
 * requested byte. Blocks of up to MEM_MAX_CLASS_SIZE bytes come from per-size caches (recycled,
 * so a freed block's header stays readable and a double free is seen); larger, aligned and paged
 * blocks come from the pool and go back through a small quarantine. Every block comes back zeroed.
 * A freed block is poisoned whole (cache blocks too) and the whole poison is checked when the
 * block is handed out again, leaves the quarantine or its cache is destroyed, or by
 * mem_check_all: a write after free is reported with the allocation and the free sites.
 * With a special pool (struct mem_platform's special_*), blocks live at the end of their own
 * pages instead, with a no-access page after them and their pages made no-access when freed.
 *
 * IRQL (kernel): nonpaged allocations and frees, and caches, at <= DISPATCH_LEVEL; paged ones at
 * <= APC_LEVEL (checked on every paged call, frees included: a paged block freed above APC_LEVEL
 * is reported and left alone, its memory untouched); create/destroy functions at PASSIVE_LEVEL.
 */
#ifndef MINWDM_CORE_MEM_H
#define MINWDM_CORE_MEM_H

#include <stddef.h>
#include <stdint.h>

#include <minwdm/lock.h>

#define MEM_CLASS_COUNT 8             /* 16, 32, ... 2048 bytes */
#define MEM_MAX_CLASS_SIZE 2048u
#define MEM_MAX_ALIGNMENT 4096u       /* a page */
#define MEM_QUARANTINE_BLOCKS 16u
#define MEM_CACHE_NAME_SIZE 16u

/* Builds a pool tag from four printable characters, as the WDK's 'abcd' literals do. */
#define MEM_TAG(a, b, c, d) \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* Where an allocation was made, kept in the block for leak reports. */
struct mem_site {
    const char *function;
    unsigned line;
};
#define MEM_SITE                                                                           \
    __extension__({                                                                        \
        static const struct mem_site mem_site_here = {__func__, __LINE__};                 \
        &mem_site_here;                                                                    \
    })

enum mem_pool { MEM_NONPAGED, MEM_PAGED };

/* What the allocator reports; the platform logs it. */
enum mem_event_kind {
    MEM_EVENT_DOUBLE_FREE,
    MEM_EVENT_OVERRUN,      /* the trailer canary changed: writes past the end */
    MEM_EVENT_UNDERRUN,     /* the header's end canary changed: writes before the start */
    MEM_EVENT_FOREIGN_FREE, /* a pointer this allocator never returned */
    MEM_EVENT_TAG_MISMATCH, /* freed with another tag than allocated with */
    MEM_EVENT_WRITE_AFTER_FREE,
    MEM_EVENT_LEAK,
    MEM_EVENT_IRQL,         /* called at an IRQL the pool does not allow */
    MEM_EVENT_BAD_REQUEST,  /* invalid tag, alignment or size overflow */
    MEM_EVENT_COUNT
};

struct mem_event {
    enum mem_event_kind kind;
    const void *pointer;
    uint32_t tag;          /* the block's tag (0 when unknown) */
    uint32_t expected_tag; /* TAG_MISMATCH: the caller's */
    size_t size;           /* the block's requested size (0 when unknown) */
    const struct mem_site *site; /* where the block was allocated (NULL when unknown) */
    const char *cache;     /* the cache's name, for cache blocks */
    /* Where the block was freed, for WRITE_AFTER_FREE and DOUBLE_FREE: free_site when it was
     * freed through mem_free_at (POOL_FREE), else free_caller, the return address of the
     * free call (NULL when unknown). */
    const struct mem_site *free_site;
    const void *free_caller;
    size_t offset;         /* WRITE_AFTER_FREE: the first byte written, from the block's start */
};

/* What a special pool knows of a pointer (struct mem_platform's special_state). */
enum mem_special_state {
    MEM_SPECIAL_NONE,   /* not in the special pool */
    MEM_SPECIAL_LIVE,   /* the start of a live block */
    MEM_SPECIAL_FREED,  /* the start of a freed block (its pages no-access) */
    MEM_SPECIAL_INSIDE  /* in the special pool, but not the start of a block */
};

struct mem_platform {
    void *context;
    /* Pool memory, at least 16-byte aligned; NULL on failure. */
    void *(*pool_alloc)(void *context, size_t size, uint32_t tag, enum mem_pool pool);
    void (*pool_free)(void *context, void *block, uint32_t tag);
    int pool_zeroes; /* pool_alloc returns zeroed memory (ExAllocatePool2) */
    struct lock_ops lock;
    /* Non-zero when the current IRQL allows this pool. NULL: no check. */
    int (*irql_allows)(void *context, enum mem_pool pool);
    void (*report)(void *context, const struct mem_event *event);
    uint64_t secret; /* random per load: keys the canaries */
    /*
     * A special pool (optional; NULL: none). special_alloc returns a block of size bytes whose
     * end touches a no-access page when alignment allows (its start is aligned to alignment and
     * to the largest power of two up to 16 that divides size), with before bytes writable in
     * front of it; NULL sends the allocation to the normal path. special_free makes its pages
     * no-access. special_state says what a pointer is, without touching it. Each gets
     * special_context.
     */
    void *special_context;
    void *(*special_alloc)(void *context, size_t before, size_t size, size_t alignment,
                           uint32_t tag, enum mem_pool pool);
    void (*special_free)(void *context, void *block);
    enum mem_special_state (*special_state)(void *context, const void *pointer);
};

struct mem_cache_stats {
    char name[MEM_CACHE_NAME_SIZE];
    uint32_t tag;
    uint32_t object_size;
    uint32_t depth;     /* free objects held now */
    uint32_t max_depth; /* the bound */
    uint64_t outstanding;
    uint64_t allocations;
    uint64_t hits;      /* allocations served from the free list */
    uint64_t created;   /* objects taken from the pool */
};

struct mem_stats {
    uint64_t outstanding_blocks;
    uint64_t outstanding_bytes; /* requested bytes of live blocks */
    uint64_t peak_bytes;        /* the most bytes held from the pool at once */
    uint64_t allocations;
    uint64_t frees;
    uint64_t failures;          /* allocations that returned NULL, injected ones included */
    uint64_t injected_failures;
    uint64_t pool_bytes;        /* bytes held from the pool, caches and quarantine included */
    uint64_t events[MEM_EVENT_COUNT];
};

struct mem_block;

struct mem_cache {
    char name[MEM_CACHE_NAME_SIZE];
    uint32_t tag;
    uint32_t object_size; /* bytes callers get */
    uint32_t block_size;  /* header, object, trailer */
    uint32_t max_depth;
    uint8_t kind;
    struct mem_allocator *allocator;
    struct mem_cache *next_user; /* the allocator's list of user caches */
    struct core_lock lock;
    struct mem_block *free_list; /* under lock */
    uint32_t depth;              /* under lock */
    struct mem_block *all;       /* every object the cache made, under lock */
    uint64_t outstanding, allocations, hits, created, bytes, frees; /* under lock */
};

struct mem_quarantine {
    struct mem_block *blocks[MEM_QUARANTINE_BLOCKS];
    unsigned next;
};

struct mem_allocator {
    struct mem_platform platform;
    struct mem_cache classes[MEM_CLASS_COUNT];
    struct core_lock lock;                 /* everything below marked "under lock" */
    struct mem_block *large;              /* live large blocks, under lock */
    struct mem_quarantine quarantine;     /* nonpaged, under lock */
    struct core_lock paged_lock;           /* taken only at <= APC_LEVEL */
    struct mem_quarantine paged_quarantine; /* under paged_lock */
    struct mem_cache *user_caches;        /* under lock */
    uint64_t large_outstanding, large_allocations, large_bytes, large_frees; /* under lock */
    int64_t pool_bytes;                   /* atomic */
    int64_t peak_pool_bytes;              /* atomic */
    uint64_t failures, injected;          /* atomic */
    uint64_t events[MEM_EVENT_COUNT];     /* atomic */
    int64_t fail_countdown;               /* atomic: > 0 counts allocations down to a failure */
    /* The live paged blocks, in nonpaged memory, so that a free above APC_LEVEL can tell a
     * paged block without reading it: an open-addressing set of their addresses, under lock. */
    uintptr_t *paged_set;
    uint32_t paged_capacity;
    uint32_t paged_count;                 /* read without the lock: 0 skips the IRQL check */
};

/* Set up an allocator over a platform. Allocates nothing. */
void mem_init(struct mem_allocator *allocator, const struct mem_platform *platform);
/*
 * Frees everything: each live block is reported as a leak (tag, size, site) and freed, so that
 * the driver unloads cleanly. Returns the number of leaks. User caches must be destroyed first;
 * any left are destroyed here (and counted as leaks).
 */
uint64_t mem_destroy(struct mem_allocator *allocator);

/* Zeroed memory for size bytes (0 is allowed and gives a unique pointer), or NULL. */
void *mem_alloc(struct mem_allocator *allocator, size_t size, uint32_t tag, enum mem_pool pool,
                const struct mem_site *site);
/* Zeroed memory for count * size bytes, NULL on overflow (reported) or failure. */
void *mem_calloc(struct mem_allocator *allocator, size_t count, size_t size, uint32_t tag,
                 enum mem_pool pool, const struct mem_site *site);
/* Zeroed memory aligned to alignment (a power of two up to MEM_MAX_ALIGNMENT). */
void *mem_alloc_aligned(struct mem_allocator *allocator, size_t size, size_t alignment,
                        uint32_t tag, enum mem_pool pool, const struct mem_site *site);
/*
 * Resizes: the first min(old, new) bytes are kept, new bytes are zero. NULL pointer: allocates.
 * Size 0: frees and returns NULL. On failure returns NULL and the old block is untouched.
 */
void *mem_realloc(struct mem_allocator *allocator, void *pointer, size_t size, uint32_t tag,
                  const struct mem_site *site);
/* Frees a block allocated with tag. NULL is ignored. A bad free is reported and ignored. */
void mem_free(struct mem_allocator *allocator, void *pointer, uint32_t tag);
/* mem_free that records where it was called (MEM_SITE), for reports of writes after free. */
void mem_free_at(struct mem_allocator *allocator, void *pointer, uint32_t tag,
                 const struct mem_site *site);

/* A cache of fixed-size objects, holding at most max_depth free ones. NULL on failure. */
struct mem_cache *mem_cache_create(struct mem_allocator *allocator, const char *name,
                                   size_t object_size, uint32_t tag, uint32_t max_depth);
void *mem_cache_alloc(struct mem_cache *cache, const struct mem_site *site);
void mem_cache_free(struct mem_cache *cache, void *object);
/* Whether object is live and was handed out by this cache; reports nothing. For pointers kept
 * by someone else (a file object's FsContext) that may be stale. */
int mem_cache_owns(struct mem_cache *cache, const void *object);
/* Reports and frees the objects still out; returns their number. */
uint64_t mem_cache_destroy(struct mem_cache *cache);

/* After this, the nth allocation from now fails (1 = the next one); 0 turns injection off. */
void mem_fail_nth(struct mem_allocator *allocator, uint32_t nth);

/* One allocation made outside the allocator (a verified driver's pool routines) takes its turn in
 * the countdown: 1 when it must fail (counted as injected). */
int mem_inject_failure(struct mem_allocator *allocator);

/* Counters, then each cache's numbers through visit (NULL: none): the size classes first, then
 * the users' caches. Returns the number of caches. */
typedef void mem_cache_visitor(void *context, unsigned index, const struct mem_cache_stats *cache);
unsigned mem_stats(struct mem_allocator *allocator, struct mem_stats *stats,
                   mem_cache_visitor *visit, void *context);

/* Checks every live block's canaries now; reports and returns how many are damaged. */
uint64_t mem_check_all(struct mem_allocator *allocator);

/* Leak checks of a stretch of code (a kernel test): mem_mark_live marks every block live now;
 * mem_visit_unmarked then shows each live block allocated since (unmarked) to visit, and returns
 * their number. visit runs under the allocator's spin locks: it must not allocate or block. */
typedef void mem_block_visitor(void *context, const void *pointer, uint32_t tag, size_t size,
                               const struct mem_site *site);
void mem_mark_live(struct mem_allocator *allocator);
uint64_t mem_visit_unmarked(struct mem_allocator *allocator, mem_block_visitor *visit,
                            void *context);

/* Frees a leaked live block of any kind (a cache object goes back to its cache) without the
 * caller's tag: clean-up after a leak was reported. Anything else is ignored. */
void mem_reclaim(struct mem_allocator *allocator, void *pointer);

/* Whether tag is four printable ASCII characters. */
int mem_tag_valid(uint32_t tag);

#endif
