#include <minwdm/mem.h>

#include <string.h>

enum {
    HEADER_SIZE = 96,
    TRAILER_SIZE = 8,
    ALIGNMENT = 16,
    KIND_USER_CACHE = 0x40,
    KIND_LARGE = 0x80,
    FLAG_PAGED = 1,
    FLAG_DETACHED = 2,         /* a cache block on its way to the pool: owner.pool_size is valid */
    FLAG_MARKED = 4,           /* live at the last mem_mark_live */
    FLAG_SPECIAL = 8,          /* in the special pool: no trailer, freed by the platform */
    STATE_LIVE = 0x4C56,       /* "VL" */
    STATE_FREE = 0x5246,       /* "FR" */
    STATE_QUARANTINED = 0x5451, /* "QT" */
    POISON = 0xDD,
    PAGED_SET_MIN = 16,
};

#define POISON_WORD 0xDDDDDDDDDDDDDDDDull

#define TAIL_SALT 0xA5C3969A5A3C6965ull
#define TRAILER_SALT 0x3C5A96A569C35AA5ull

/*
 * The header in front of every block. The links come first and the fields a small underrun would
 * hit last, so that the end canary catches such writes while the lists stay intact.
 */
struct mem_block {
    uint64_t canary_head;
    struct mem_block *all_next; /* the cache's objects, or the live large blocks */
    struct mem_block *all_prev;
    struct mem_block *free_next; /* the cache's free list */
    union {
        struct mem_cache *cache; /* cache blocks */
        uint64_t pool_size;      /* large and detached blocks: bytes taken from the pool */
    } owner;
    uint32_t tag;
    uint16_t state;
    uint8_t kind;
    uint8_t flags;
    uint16_t origin_offset; /* large blocks: from the pool block's start to this header */
    uint16_t user_gap;      /* special blocks: from the header's end to the user's bytes */
    uint32_t pool_tag;      /* the tag the pool knows the block by */
    uint64_t size;
    const struct mem_site *site;
    const struct mem_site *free_site; /* freed blocks: where (mem_free_at), or */
    const void *free_caller;          /* the free call's return address */
    uint64_t canary_tail;
};

_Static_assert(sizeof(struct mem_block) == HEADER_SIZE, "the header keeps user data aligned");

/* --- small helpers --- */

static uint8_t *user_of(struct mem_block *b)
{
    return (uint8_t *)b + HEADER_SIZE + b->user_gap;
}

/* Where a free came from, kept in the freed block for reports of later misuse. */
struct free_origin {
    const struct mem_site *site;
    const void *caller;
};

static uint64_t head_canary(const struct mem_allocator *a, const struct mem_block *b)
{
    return a->platform.secret ^ (uintptr_t)b;
}

static uint64_t tail_canary(const struct mem_allocator *a, const struct mem_block *b)
{
    return a->platform.secret ^ (uintptr_t)b ^ TAIL_SALT;
}

static uint64_t trailer_value(const struct mem_allocator *a, const struct mem_block *b)
{
    return a->platform.secret ^ (uintptr_t)b ^ TRAILER_SALT;
}

static void write_trailer(const struct mem_allocator *a, struct mem_block *b)
{
    uint64_t value = trailer_value(a, b);

    memcpy(user_of(b) + b->size, &value, TRAILER_SIZE);
}

static int trailer_intact(const struct mem_allocator *a, struct mem_block *b)
{
    uint64_t value;

    memcpy(&value, user_of(b) + b->size, TRAILER_SIZE);
    return value == trailer_value(a, b);
}

static uintptr_t lock(struct mem_allocator *a, struct core_lock *l)
{
    return a->platform.lock.acquire(l);
}

static void unlock(struct mem_allocator *a, struct core_lock *l, uintptr_t token)
{
    a->platform.lock.release(l, token);
}

static void atomic_add(uint64_t *counter, uint64_t value)
{
    __atomic_add_fetch(counter, value, __ATOMIC_RELAXED);
}

/* Pool bytes change on the slow paths only (a cache grows, a large block comes or goes), so the
 * peak is tracked here; the hot paths count under the lock they already hold. */
static void account_pool(struct mem_allocator *a, int64_t delta)
{
    int64_t now = __atomic_add_fetch(&a->pool_bytes, delta, __ATOMIC_RELAXED);
    int64_t peak = __atomic_load_n(&a->peak_pool_bytes, __ATOMIC_RELAXED);

    while (now > peak && !__atomic_compare_exchange_n(&a->peak_pool_bytes, &peak, now, 1,
                                                      __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

static void report_at(struct mem_allocator *a, enum mem_event_kind kind, const void *pointer,
                      const struct mem_block *b, uint32_t expected_tag, size_t offset)
{
    struct mem_event e;

    atomic_add(&a->events[kind], 1);
    if (!a->platform.report)
        return;
    memset(&e, 0, sizeof(e));
    e.kind = kind;
    e.pointer = pointer;
    e.expected_tag = expected_tag;
    if (b) {
        e.tag = b->tag;
        e.size = (size_t)b->size;
        e.site = b->site;
        if (!(b->kind & KIND_LARGE) && !(b->flags & FLAG_DETACHED) && b->owner.cache)
            e.cache = b->owner.cache->name;
        if (b->state != STATE_LIVE) {
            e.free_site = b->free_site;
            e.free_caller = b->free_caller;
        }
    }
    e.offset = offset;
    a->platform.report(a->platform.context, &e);
}

static void report(struct mem_allocator *a, enum mem_event_kind kind, const void *pointer,
                   const struct mem_block *b, uint32_t expected_tag)
{
    report_at(a, kind, pointer, b, expected_tag, 0);
}

int mem_tag_valid(uint32_t tag)
{
    for (int i = 0; i < 4; i++) {
        uint8_t c = (uint8_t)(tag >> (8 * i));
        if (c < 0x20 || c > 0x7E)
            return 0;
    }
    return 1;
}

/* An allocation may go ahead: valid tag, allowed IRQL, no injected failure. */
static int may_allocate(struct mem_allocator *a, uint32_t tag, enum mem_pool pool)
{
    if (!mem_tag_valid(tag)) {
        report(a, MEM_EVENT_BAD_REQUEST, NULL, NULL, tag);
        return 0;
    }
    if (a->platform.irql_allows && !a->platform.irql_allows(a->platform.context, pool)) {
        report(a, MEM_EVENT_IRQL, NULL, NULL, tag);
        return 0;
    }
    return !mem_inject_failure(a);
}

int mem_inject_failure(struct mem_allocator *a)
{
    if (__atomic_load_n(&a->fail_countdown, __ATOMIC_RELAXED) > 0 &&
        __atomic_sub_fetch(&a->fail_countdown, 1, __ATOMIC_RELAXED) == 0) {
        atomic_add(&a->injected, 1);
        return 1;
    }
    return 0;
}

static void *failed(struct mem_allocator *a)
{
    atomic_add(&a->failures, 1);
    return NULL;
}

static void init_header(struct mem_allocator *a, struct mem_block *b, uint8_t kind)
{
    memset(b, 0, HEADER_SIZE);
    b->canary_head = head_canary(a, b);
    b->canary_tail = tail_canary(a, b);
    b->kind = kind;
    b->state = STATE_FREE;
}

/* --- poison: every freed block is filled whole, and checked whole before it is used again --- */

/* The bytes of a freed block that belong to nobody: the user's bytes, the trailer and the
 * rounding up to the next block. */
static size_t poison_size(const struct mem_block *b)
{
    if (b->kind & KIND_LARGE)
        return (size_t)b->size + TRAILER_SIZE;
    if (b->flags & FLAG_DETACHED)
        return (size_t)b->owner.pool_size - HEADER_SIZE;
    return b->owner.cache->block_size - HEADER_SIZE;
}

static void poison(struct mem_block *b, struct free_origin origin)
{
    b->free_site = origin.site;
    b->free_caller = origin.caller;
    memset(user_of(b), POISON, poison_size(b));
}

static uint64_t word_at(const uint8_t *p)
{
    uint64_t word;

    memcpy(&word, p, sizeof(word));
    return word;
}

/* The offset of the first byte that lost its poison, or SIZE_MAX: 32 bytes at a time while they
 * all hold it, then bytewise. */
static size_t poison_broken_at(const uint8_t *p, size_t size)
{
    size_t i = 0;

    for (; i + 32 <= size; i += 32)
        if ((word_at(p + i) ^ POISON_WORD) | (word_at(p + i + 8) ^ POISON_WORD) |
            (word_at(p + i + 16) ^ POISON_WORD) | (word_at(p + i + 24) ^ POISON_WORD))
            break;
    for (; i < size; i++)
        if (p[i] != POISON)
            return i;
    return SIZE_MAX;
}

/* Reports a freed block written since it was freed (once: its poison is restored). */
static int check_poison(struct mem_allocator *a, struct mem_block *b)
{
    size_t size = poison_size(b), at = poison_broken_at(user_of(b), size);

    if (at == SIZE_MAX)
        return 0;
    report_at(a, MEM_EVENT_WRITE_AFTER_FREE, user_of(b), b, 0, at);
    memset(user_of(b), POISON, size);
    return 1;
}

/* --- the live paged blocks, for the IRQL check of frees: an open-addressing set --- */

static uint32_t slot_of(uintptr_t key, uint32_t capacity)
{
    return (uint32_t)((key >> 4) * 0x9E3779B97F4A7C15ull >> 40) & (capacity - 1);
}

static void set_put(uintptr_t *set, uint32_t capacity, uintptr_t key)
{
    uint32_t i = slot_of(key, capacity);

    while (set[i])
        i = (i + 1) & (capacity - 1);
    set[i] = key;
}

static int set_find(const struct mem_allocator *a, uintptr_t key, uint32_t *where)
{
    if (!a->paged_set)
        return 0;
    for (uint32_t i = slot_of(key, a->paged_capacity);; i = (i + 1) & (a->paged_capacity - 1)) {
        if (!a->paged_set[i])
            return 0;
        if (a->paged_set[i] == key) {
            *where = i;
            return 1;
        }
    }
}

/* Room for one more under a's lock (taken by the caller); 0 when the pool has none. */
static int paged_set_reserve(struct mem_allocator *a)
{
    uint32_t capacity = a->paged_capacity ? a->paged_capacity * 2 : PAGED_SET_MIN;

    if ((a->paged_count + 1) * 2 <= a->paged_capacity)
        return 1;
    uintptr_t *set = a->platform.pool_alloc(a->platform.context, capacity * sizeof(uintptr_t),
                                            MEM_TAG('M', 'w', 'P', 's'), MEM_NONPAGED);
    if (!set)
        return 0;
    memset(set, 0, capacity * sizeof(uintptr_t));
    for (uint32_t i = 0; i < a->paged_capacity; i++)
        if (a->paged_set[i])
            set_put(set, capacity, a->paged_set[i]);
    if (a->paged_set)
        a->platform.pool_free(a->platform.context, a->paged_set, MEM_TAG('M', 'w', 'P', 's'));
    a->paged_set = set;
    a->paged_capacity = capacity;
    return 1;
}

static void paged_set_remove(struct mem_allocator *a, uintptr_t key)
{
    uint32_t i, j, mask = a->paged_capacity - 1;

    if (!set_find(a, key, &i))
        return;
    a->paged_set[i] = 0;
    __atomic_store_n(&a->paged_count, a->paged_count - 1, __ATOMIC_RELAXED);
    /* Backward shift: the keys after the hole that would not be found any more move up. */
    for (j = (i + 1) & mask; a->paged_set[j]; j = (j + 1) & mask) {
        uint32_t home = slot_of(a->paged_set[j], a->paged_capacity);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            a->paged_set[i] = a->paged_set[j];
            a->paged_set[j] = 0;
            i = j;
        }
    }
}

/* A pointer may be read: unless the IRQL is above APC_LEVEL and it is a live paged block, which
 * is then reported (its memory is not touched: on Windows it may be paged out). */
static int may_touch(struct mem_allocator *a, const void *pointer)
{
    uint32_t where;
    int paged;

    if (!__atomic_load_n(&a->paged_count, __ATOMIC_RELAXED) || !a->platform.irql_allows ||
        a->platform.irql_allows(a->platform.context, MEM_PAGED))
        return 1;
    uintptr_t t = a->platform.lock.acquire(&a->lock);
    paged = set_find(a, (uintptr_t)pointer, &where);
    a->platform.lock.release(&a->lock, t);
    if (!paged)
        return 1;
    report(a, MEM_EVENT_IRQL, pointer, NULL, 0);
    return 0;
}

static void list_insert(struct mem_block **head, struct mem_block *b)
{
    b->all_prev = NULL;
    b->all_next = *head;
    if (*head)
        (*head)->all_prev = b;
    *head = b;
}

static void list_remove(struct mem_block **head, struct mem_block *b)
{
    if (b->all_prev)
        b->all_prev->all_next = b->all_next;
    else
        *head = b->all_next;
    if (b->all_next)
        b->all_next->all_prev = b->all_prev;
}

/* --- quarantine: blocks going back to the pool wait here, poisoned, so that a double free of
 * them is still recognised and writes after free are seen when they leave --- */

static void release_to_pool(struct mem_allocator *a, struct mem_block *b)
{
    int own_size = (b->kind & KIND_LARGE) || (b->flags & FLAG_DETACHED);
    uint64_t pool_size = own_size ? b->owner.pool_size : b->owner.cache->block_size;
    void *raw = (uint8_t *)b - b->origin_offset;

    b->canary_head = b->canary_tail = 0; /* a stale pointer to it is foreign from now on */
    account_pool(a, -(int64_t)pool_size);
    a->platform.pool_free(a->platform.context, raw, b->pool_tag);
}

static void leave_quarantine(struct mem_allocator *a, struct mem_block *b)
{
    check_poison(a, b);
    release_to_pool(a, b);
}

static void quarantine(struct mem_allocator *a, struct mem_block *b, struct free_origin origin)
{
    int paged = b->flags & FLAG_PAGED;
    struct core_lock *l = paged ? &a->paged_lock : &a->lock;
    struct mem_quarantine *q = paged ? &a->paged_quarantine : &a->quarantine;

    b->state = STATE_QUARANTINED;
    poison(b, origin);
    uintptr_t t = lock(a, l);
    struct mem_block *evicted = q->blocks[q->next];
    q->blocks[q->next] = b;
    q->next = (q->next + 1) % MEM_QUARANTINE_BLOCKS;
    unlock(a, l, t);
    if (evicted)
        leave_quarantine(a, evicted);
}

static void flush_quarantine(struct mem_allocator *a, struct mem_quarantine *q)
{
    for (unsigned i = 0; i < MEM_QUARANTINE_BLOCKS; i++) {
        if (q->blocks[i])
            leave_quarantine(a, q->blocks[i]);
        q->blocks[i] = NULL;
    }
}

/* --- caches: the size classes and the users' fixed-size caches --- */

static void cache_init(struct mem_allocator *a, struct mem_cache *c, const char *name,
                       size_t object_size, uint32_t tag, uint32_t max_depth, uint8_t kind)
{
    size_t length = strlen(name);

    memset(c, 0, sizeof(*c));
    memcpy(c->name, name, length < MEM_CACHE_NAME_SIZE ? length : MEM_CACHE_NAME_SIZE - 1);
    c->tag = tag;
    c->object_size = (uint32_t)object_size;
    /* The header, the object rounded to keep the next block aligned, the trailer rounded. */
    c->block_size = (uint32_t)(HEADER_SIZE + ((object_size + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1)) +
                               ALIGNMENT);
    c->max_depth = max_depth;
    c->kind = kind;
    c->allocator = a;
    a->platform.lock.init(&c->lock);
}

/* A new object from the pool, linked into the cache's list of objects. */
static struct mem_block *cache_grow(struct mem_cache *c)
{
    struct mem_allocator *a = c->allocator;
    struct mem_block *b = a->platform.pool_alloc(a->platform.context, c->block_size, c->tag,
                                                 MEM_NONPAGED);

    if (!b)
        return NULL;
    init_header(a, b, c->kind);
    b->owner.cache = c;
    b->pool_tag = c->tag;
    account_pool(a, c->block_size);
    uintptr_t t = lock(a, &c->lock);
    list_insert(&c->all, b);
    c->created++;
    unlock(a, &c->lock, t);
    return b;
}

static void *cache_take(struct mem_cache *c, size_t size, uint32_t tag, const struct mem_site *site)
{
    struct mem_allocator *a = c->allocator;
    uintptr_t t = lock(a, &c->lock);
    struct mem_block *b = c->free_list;

    if (b) {
        c->free_list = b->free_next;
        c->depth--;
        c->hits++;
    }
    c->allocations++;
    c->outstanding++;
    c->bytes += size;
    unlock(a, &c->lock, t);
    if (b)
        check_poison(a, b); /* written since it was freed? */
    if (!b && !(b = cache_grow(c))) {
        t = lock(a, &c->lock);
        c->allocations--;
        c->outstanding--;
        c->bytes -= size;
        unlock(a, &c->lock, t);
        return failed(a);
    }
    b->free_next = NULL;
    b->flags &= (uint8_t)~FLAG_MARKED;
    b->tag = tag;
    b->size = size;
    b->site = site;
    b->state = STATE_LIVE;
    memset(user_of(b), 0, c->object_size);
    write_trailer(a, b);
    return user_of(b);
}

/* Back to the free list, or, above the depth bound, out of the cache and into the quarantine. */
static void cache_put(struct mem_cache *c, struct mem_block *b, struct free_origin origin)
{
    struct mem_allocator *a = c->allocator;
    int keep;

    b->state = STATE_FREE;
    poison(b, origin); /* before it is on the free list, where another thread may take it */
    uintptr_t t = lock(a, &c->lock);
    c->outstanding--;
    c->frees++;
    c->bytes -= b->size;
    keep = c->depth < c->max_depth;
    if (keep) {
        b->free_next = c->free_list;
        c->free_list = b;
        c->depth++;
    } else {
        list_remove(&c->all, b);
        c->created--;
    }
    unlock(a, &c->lock, t);
    if (!keep) {
        /* Detached from its cache, which may be destroyed before the block leaves quarantine. */
        b->owner.pool_size = c->block_size;
        b->flags |= FLAG_DETACHED;
        quarantine(a, b, origin);
    }
}

/* --- large, aligned and paged blocks: straight from the pool --- */

/* Records a live paged block (a's lock held by no one); 0 when there is no room for it. */
static int paged_set_add(struct mem_allocator *a, const void *user)
{
    uintptr_t t = lock(a, &a->lock);
    int room = paged_set_reserve(a);

    if (room) {
        set_put(a->paged_set, a->paged_capacity, (uintptr_t)user);
        __atomic_store_n(&a->paged_count, a->paged_count + 1, __ATOMIC_RELAXED);
    }
    unlock(a, &a->lock, t);
    return room;
}

static void *large_alloc(struct mem_allocator *a, size_t size, size_t alignment, uint32_t tag,
                         enum mem_pool pool, const struct mem_site *site)
{
    size_t slack = alignment > ALIGNMENT ? alignment : 0;

    if (size > SIZE_MAX - HEADER_SIZE - TRAILER_SIZE - slack) {
        report(a, MEM_EVENT_BAD_REQUEST, NULL, NULL, tag);
        return failed(a);
    }
    size_t pool_size = HEADER_SIZE + size + TRAILER_SIZE + slack;
    uint8_t *raw = a->platform.pool_alloc(a->platform.context, pool_size, tag, pool);
    if (!raw)
        return failed(a);
    uintptr_t user = ((uintptr_t)raw + HEADER_SIZE + (alignment - 1)) & ~(uintptr_t)(alignment - 1);
    struct mem_block *b = (struct mem_block *)(user - HEADER_SIZE);

    if (pool == MEM_PAGED && !paged_set_add(a, (void *)user)) {
        a->platform.pool_free(a->platform.context, raw, tag);
        return failed(a);
    }
    init_header(a, b, KIND_LARGE);
    b->origin_offset = (uint16_t)((uint8_t *)b - raw);
    b->owner.pool_size = pool_size;
    b->pool_tag = tag;
    b->flags = pool == MEM_PAGED ? FLAG_PAGED : 0;
    b->tag = tag;
    b->size = size;
    b->site = site;
    b->state = STATE_LIVE;
    if (!a->platform.pool_zeroes)
        memset(user_of(b), 0, size);
    write_trailer(a, b);
    account_pool(a, (int64_t)pool_size);
    uintptr_t t = lock(a, &a->lock);
    list_insert(&a->large, b);
    a->large_outstanding++;
    a->large_allocations++;
    a->large_bytes += size;
    unlock(a, &a->lock, t);
    return user_of(b);
}

static void large_free(struct mem_allocator *a, struct mem_block *b, struct free_origin origin)
{
    uintptr_t t = lock(a, &a->lock);
    list_remove(&a->large, b);
    a->large_outstanding--;
    a->large_frees++;
    a->large_bytes -= b->size;
    if (b->flags & FLAG_PAGED)
        paged_set_remove(a, (uintptr_t)user_of(b));
    unlock(a, &a->lock, t);
    quarantine(a, b, origin);
}

/* --- the special pool: a block at the end of its own pages, its header in front of it --- */

/* The header of a special block: below its user's bytes, 16-byte aligned (those need not be). */
static struct mem_block *special_header(const void *user)
{
    return (struct mem_block *)(((uintptr_t)user - HEADER_SIZE) & ~(uintptr_t)(ALIGNMENT - 1));
}

/* A block from the special pool (c: a cache's object), or NULL for the normal path. */
static void *special_take(struct mem_allocator *a, size_t size, size_t alignment, uint32_t tag,
                          enum mem_pool pool, const struct mem_site *site, struct mem_cache *c)
{
    uint8_t *user;

    if (!a->platform.special_alloc ||
        !(user = a->platform.special_alloc(a->platform.special_context, HEADER_SIZE + ALIGNMENT, size,
                                           alignment, tag, pool)))
        return NULL;
    if (pool == MEM_PAGED && !paged_set_add(a, user)) {
        a->platform.special_free(a->platform.special_context, user);
        return NULL;
    }
    struct mem_block *b = special_header(user);
    init_header(a, b, c ? c->kind : KIND_LARGE);
    b->user_gap = (uint16_t)(user - ((uint8_t *)b + HEADER_SIZE));
    b->flags = (uint8_t)(FLAG_SPECIAL | (pool == MEM_PAGED ? FLAG_PAGED : 0));
    b->pool_tag = tag;
    b->tag = tag;
    b->size = size;
    b->site = site;
    b->state = STATE_LIVE;
    if (c)
        b->owner.cache = c;
    memset(user, 0, size);
    uintptr_t t = lock(a, &a->lock);
    list_insert(&a->large, b); /* cache objects too: their cache's lists hold recycled ones */
    if (c) {
        uintptr_t ct = lock(a, &c->lock);
        c->allocations++;
        c->outstanding++;
        c->bytes += size;
        unlock(a, &c->lock, ct);
    } else {
        a->large_outstanding++;
        a->large_allocations++;
        a->large_bytes += size;
    }
    unlock(a, &a->lock, t);
    return user;
}

/* Back to the special pool, which makes its pages no-access. leak: at destroy, stats left. */
static void special_release(struct mem_allocator *a, struct mem_block *b, int leak)
{
    int cached = !(b->kind & KIND_LARGE);
    uintptr_t t = lock(a, &a->lock);

    list_remove(&a->large, b);
    if (b->flags & FLAG_PAGED)
        paged_set_remove(a, (uintptr_t)user_of(b));
    if (!leak && cached) {
        struct mem_cache *c = b->owner.cache;
        uintptr_t ct = lock(a, &c->lock);
        c->outstanding--;
        c->frees++;
        c->bytes -= b->size;
        unlock(a, &c->lock, ct);
    } else if (!leak) {
        a->large_outstanding--;
        a->large_frees++;
        a->large_bytes -= b->size;
    }
    unlock(a, &a->lock, t);
    b->state = STATE_FREE;
    b->canary_head = b->canary_tail = 0;
    a->platform.special_free(a->platform.special_context, user_of(b));
}

/* --- the general API --- */

void mem_init(struct mem_allocator *a, const struct mem_platform *platform)
{
    static const char *const names[MEM_CLASS_COUNT] = {"size16",  "size32",  "size64",
                                                       "size128", "size256", "size512",
                                                       "size1024", "size2048"};

    memset(a, 0, sizeof(*a));
    a->platform = *platform;
    a->platform.lock.init(&a->lock);
    a->platform.lock.init(&a->paged_lock);
    for (unsigned i = 0; i < MEM_CLASS_COUNT; i++) {
        size_t size = (size_t)16 << i;
        /* Deep lists for small objects, shallower ones as they grow: at most 64 KiB each. */
        uint32_t depth = (uint32_t)(65536 / (HEADER_SIZE + size + ALIGNMENT));
        cache_init(a, &a->classes[i], names[i], size, MEM_TAG('M', 'w', 'A', '0' + i), depth, (uint8_t)i);
    }
}

static unsigned class_of(size_t size)
{
    unsigned c = 0;

    while (((size_t)16 << c) < size)
        c++;
    return c;
}

void *mem_alloc(struct mem_allocator *a, size_t size, uint32_t tag, enum mem_pool pool,
                const struct mem_site *site)
{
    void *special;

    if (!may_allocate(a, tag, pool))
        return failed(a);
    if ((special = special_take(a, size, ALIGNMENT, tag, pool, site, NULL)))
        return special;
    if (pool == MEM_NONPAGED && size <= MEM_MAX_CLASS_SIZE)
        return cache_take(&a->classes[class_of(size)], size, tag, site);
    return large_alloc(a, size, ALIGNMENT, tag, pool, site);
}

void *mem_calloc(struct mem_allocator *a, size_t count, size_t size, uint32_t tag,
                 enum mem_pool pool, const struct mem_site *site)
{
    if (size && count > SIZE_MAX / size) {
        report(a, MEM_EVENT_BAD_REQUEST, NULL, NULL, tag);
        return failed(a);
    }
    return mem_alloc(a, count * size, tag, pool, site);
}

void *mem_alloc_aligned(struct mem_allocator *a, size_t size, size_t alignment, uint32_t tag,
                        enum mem_pool pool, const struct mem_site *site)
{
    void *special;

    if (alignment == 0 || (alignment & (alignment - 1)) || alignment > MEM_MAX_ALIGNMENT) {
        report(a, MEM_EVENT_BAD_REQUEST, NULL, NULL, tag);
        return failed(a);
    }
    if (alignment <= ALIGNMENT)
        return mem_alloc(a, size, tag, pool, site);
    if (!may_allocate(a, tag, pool))
        return failed(a);
    if ((special = special_take(a, size, alignment, tag, pool, site, NULL)))
        return special;
    return large_alloc(a, size, alignment, tag, pool, site);
}

/* The header of a special-pool pointer: NULL after reporting a freed or inner pointer. */
static struct mem_block *special_block(struct mem_allocator *a, void *pointer, int *special)
{
    enum mem_special_state state = MEM_SPECIAL_NONE;

    if (a->platform.special_state)
        state = a->platform.special_state(a->platform.special_context, pointer);
    *special = state != MEM_SPECIAL_NONE;
    switch (state) {
    case MEM_SPECIAL_LIVE:
        return special_header(pointer);
    case MEM_SPECIAL_FREED:
        report(a, MEM_EVENT_DOUBLE_FREE, pointer, NULL, 0);
        return NULL;
    default:
        if (*special)
            report(a, MEM_EVENT_FOREIGN_FREE, pointer, NULL, 0);
        return NULL;
    }
}

/* The block behind a pointer the caller gives back, or NULL after reporting why it is not a
 * live block of ours. Pointers are checked before their header is trusted; a paged block is
 * not read above APC_LEVEL. */
static struct mem_block *live_block(struct mem_allocator *a, void *pointer)
{
    struct mem_block *b;
    int special;

    if (!may_touch(a, pointer))
        return NULL;
    b = special_block(a, pointer, &special);
    if (special && !b)
        return NULL;
    if (!special) {
        if ((uintptr_t)pointer % ALIGNMENT) {
            report(a, MEM_EVENT_FOREIGN_FREE, pointer, NULL, 0);
            return NULL;
        }
        b = (struct mem_block *)((uint8_t *)pointer - HEADER_SIZE);
    }
    if (b->canary_head != head_canary(a, b) || user_of(b) != pointer) {
        report(a, MEM_EVENT_FOREIGN_FREE, pointer, NULL, 0);
        return NULL;
    }
    if (b->canary_tail != tail_canary(a, b)) {
        /* The header's end was overwritten: its fields cannot be trusted, the block stays
         * where it is (and is freed at unload, if its links still hold). */
        report(a, MEM_EVENT_UNDERRUN, pointer, b, 0);
        return NULL;
    }
    if (b->state == STATE_FREE || b->state == STATE_QUARANTINED) {
        report(a, MEM_EVENT_DOUBLE_FREE, pointer, b, 0);
        return NULL;
    }
    if (b->state != STATE_LIVE) {
        report(a, MEM_EVENT_FOREIGN_FREE, pointer, NULL, 0);
        return NULL;
    }
    return b;
}

static void release(struct mem_allocator *a, struct mem_block *b, struct free_origin origin)
{
    if (b->flags & FLAG_SPECIAL) {
        special_release(a, b, 0);
        return;
    }
    if (!trailer_intact(a, b))
        report(a, MEM_EVENT_OVERRUN, user_of(b), b, 0);
    if (b->kind & KIND_LARGE)
        large_free(a, b, origin);
    else
        cache_put(b->owner.cache, b, origin);
}

static void free_block(struct mem_allocator *a, void *pointer, uint32_t tag,
                       struct free_origin origin)
{
    struct mem_block *b;

    if (!pointer || !(b = live_block(a, pointer)))
        return;
    if (b->kind == KIND_USER_CACHE) {
        report(a, MEM_EVENT_FOREIGN_FREE, pointer, b, 0); /* belongs to mem_cache_free */
        return;
    }
    if (b->tag != tag)
        report(a, MEM_EVENT_TAG_MISMATCH, pointer, b, tag);
    release(a, b, origin);
}

void mem_free(struct mem_allocator *a, void *pointer, uint32_t tag)
{
    free_block(a, pointer, tag, (struct free_origin){NULL, __builtin_return_address(0)});
}

void mem_free_at(struct mem_allocator *a, void *pointer, uint32_t tag, const struct mem_site *site)
{
    free_block(a, pointer, tag, (struct free_origin){site, __builtin_return_address(0)});
}

void mem_reclaim(struct mem_allocator *a, void *pointer)
{
    struct mem_block *b;

    if (pointer && (b = live_block(a, pointer)))
        release(a, b, (struct free_origin){NULL, __builtin_return_address(0)});
}

void *mem_realloc(struct mem_allocator *a, void *pointer, size_t size, uint32_t tag,
                  const struct mem_site *site)
{
    struct mem_block *b;

    if (!pointer)
        return mem_alloc(a, size, tag, MEM_NONPAGED, site);
    if (size == 0) {
        free_block(a, pointer, tag, (struct free_origin){site, __builtin_return_address(0)});
        return NULL;
    }
    if (!(b = live_block(a, pointer)) || b->kind == KIND_USER_CACHE) {
        if (b)
            report(a, MEM_EVENT_FOREIGN_FREE, pointer, b, 0);
        return NULL;
    }
    if (b->tag != tag) {
        report(a, MEM_EVENT_TAG_MISMATCH, pointer, b, tag);
        return NULL;
    }
    /* In place when the size class still fits: the old trailer's bytes become zeros. */
    if (!(b->kind & KIND_LARGE) && !(b->flags & FLAG_SPECIAL) &&
        size <= b->owner.cache->object_size && trailer_intact(a, b)) {
        struct mem_cache *c = b->owner.cache;
        if (size > b->size)
            memset(user_of(b) + b->size, 0, size - (size_t)b->size);
        else
            memset(user_of(b) + size, 0, (size_t)b->size - size);
        uintptr_t t = lock(a, &c->lock);
        c->bytes += size - b->size;
        unlock(a, &c->lock, t);
        b->size = size;
        write_trailer(a, b);
        return pointer;
    }
    void *moved = mem_alloc(a, size, tag, b->flags & FLAG_PAGED ? MEM_PAGED : MEM_NONPAGED, site);
    if (!moved)
        return NULL;
    memcpy(moved, pointer, size < b->size ? size : (size_t)b->size);
    release(a, b, (struct free_origin){site, __builtin_return_address(0)});
    return moved;
}

void mem_fail_nth(struct mem_allocator *a, uint32_t nth)
{
    __atomic_store_n(&a->fail_countdown, (int64_t)nth, __ATOMIC_RELAXED);
}

/* --- user caches --- */

struct mem_cache *mem_cache_create(struct mem_allocator *a, const char *name, size_t object_size,
                                   uint32_t tag, uint32_t max_depth)
{
    if (!mem_tag_valid(tag) || object_size == 0 || object_size > 0x10000000u) {
        report(a, MEM_EVENT_BAD_REQUEST, NULL, NULL, tag);
        return NULL;
    }
    struct mem_cache *c = mem_alloc(a, sizeof(*c), tag, MEM_NONPAGED, MEM_SITE);
    if (!c)
        return NULL;
    cache_init(a, c, name, object_size, tag, max_depth, KIND_USER_CACHE);
    uintptr_t t = lock(a, &a->lock);
    c->next_user = a->user_caches;
    a->user_caches = c;
    unlock(a, &a->lock, t);
    return c;
}

void *mem_cache_alloc(struct mem_cache *c, const struct mem_site *site)
{
    struct mem_allocator *a = c->allocator;

    void *special;

    if (!may_allocate(a, c->tag, MEM_NONPAGED))
        return failed(a);
    if ((special = special_take(a, c->object_size, ALIGNMENT, c->tag, MEM_NONPAGED, site, c)))
        return special;
    return cache_take(c, c->object_size, c->tag, site);
}

int mem_cache_owns(struct mem_cache *c, const void *object)
{
    struct mem_allocator *a = c->allocator;
    const struct mem_block *b;

    if (!object)
        return 0;
    if (a->platform.special_state &&
        a->platform.special_state(a->platform.special_context, object) != MEM_SPECIAL_NONE) {
        if (a->platform.special_state(a->platform.special_context, object) != MEM_SPECIAL_LIVE)
            return 0;
        b = special_header(object);
    } else if ((uintptr_t)object % ALIGNMENT) {
        return 0;
    } else {
        b = (const struct mem_block *)((const uint8_t *)object - HEADER_SIZE);
    }
    return user_of((struct mem_block *)b) == object && b->canary_head == head_canary(a, b) && b->canary_tail == tail_canary(a, b) &&
           b->state == STATE_LIVE && b->kind == KIND_USER_CACHE && b->owner.cache == c;
}

void mem_cache_free(struct mem_cache *c, void *object)
{
    struct mem_allocator *a = c->allocator;
    struct mem_block *b;

    if (!object || !(b = live_block(a, object)))
        return;
    if (b->kind != KIND_USER_CACHE || b->owner.cache != c) {
        report(a, MEM_EVENT_FOREIGN_FREE, object, b, 0);
        return;
    }
    release(a, b, (struct free_origin){NULL, __builtin_return_address(0)});
}

/* Frees every object a cache made; live ones are reported as leaks. Returns their number. The
 * walk stops at a node whose links do not hold (memory corruption): those are abandoned. */
static uint64_t cache_drain(struct mem_cache *c)
{
    struct mem_allocator *a = c->allocator;
    uint64_t leaks = 0;
    struct mem_block *b = c->all;

    while (b) {
        struct mem_block *next = b->all_next;
        if (b->canary_head != head_canary(a, b) || (next && next->all_prev != b))
            break;
        if (b->state == STATE_LIVE) {
            report(a, MEM_EVENT_LEAK, user_of(b), b, 0);
            leaks++;
        } else {
            check_poison(a, b); /* a free block written since, never handed out again */
        }
        release_to_pool(a, b);
        b = next;
    }
    c->all = NULL;
    c->free_list = NULL;
    c->depth = 0;
    c->outstanding = 0;
    c->bytes = 0;
    return leaks;
}

/* The cache's objects in the special pool (on the allocator's list): leaks, freed. */
static uint64_t special_drain(struct mem_allocator *a, const struct mem_cache *c)
{
    uint64_t leaks = 0;
    struct mem_block *b = a->large, *next;

    for (; b && b->canary_head == head_canary(a, b); b = next) {
        next = b->all_next;
        if (!(b->flags & FLAG_SPECIAL) || (b->kind & KIND_LARGE) || (c && b->owner.cache != c))
            continue;
        report(a, MEM_EVENT_LEAK, user_of(b), b, 0);
        leaks++;
        special_release(a, b, 1);
    }
    return leaks;
}

uint64_t mem_cache_destroy(struct mem_cache *c)
{
    struct mem_allocator *a = c->allocator;
    uint64_t leaks = cache_drain(c) + special_drain(a, c);

    uintptr_t t = lock(a, &a->lock);
    for (struct mem_cache **link = &a->user_caches; *link; link = &(*link)->next_user) {
        if (*link == c) {
            *link = c->next_user;
            break;
        }
    }
    unlock(a, &a->lock, t);
    mem_free(a, c, c->tag);
    return leaks;
}

uint64_t mem_destroy(struct mem_allocator *a)
{
    uint64_t leaks = 0;

    /* Caches the driver forgot: their objects, then (with the size classes) the caches. */
    for (struct mem_cache *c = a->user_caches; c; c = c->next_user)
        leaks += cache_drain(c);
    leaks += special_drain(a, NULL); /* their caches go with the blocks below */
    a->user_caches = NULL;
    for (unsigned i = 0; i < MEM_CLASS_COUNT; i++)
        leaks += cache_drain(&a->classes[i]);
    struct mem_block *b = a->large;
    while (b) {
        struct mem_block *next = b->all_next;
        if (b->canary_head != head_canary(a, b) || (next && next->all_prev != b))
            break;
        report(a, MEM_EVENT_LEAK, user_of(b), b, 0);
        leaks++;
        if (b->flags & FLAG_SPECIAL)
            special_release(a, b, 1);
        else
            release_to_pool(a, b);
        b = next;
    }
    a->large = NULL;
    a->large_outstanding = 0;
    a->large_bytes = 0;
    flush_quarantine(a, &a->quarantine);
    flush_quarantine(a, &a->paged_quarantine);
    if (a->paged_set)
        a->platform.pool_free(a->platform.context, a->paged_set, MEM_TAG('M', 'w', 'P', 's'));
    a->paged_set = NULL;
    a->paged_capacity = a->paged_count = 0;
    return leaks;
}

/* --- leak checks of a stretch of code --- */

/* Marks (visit NULL) or visits the unmarked live blocks of one list; returns those visited. */
static uint64_t walk_live(struct mem_block *b, mem_block_visitor *visit, void *context)
{
    uint64_t count = 0;

    for (; b; b = b->all_next) {
        if (b->state != STATE_LIVE)
            continue;
        if (!visit) {
            b->flags |= FLAG_MARKED;
        } else if (!(b->flags & FLAG_MARKED)) {
            visit(context, user_of(b), b->tag, b->size, b->site);
            count++;
        }
    }
    return count;
}

static uint64_t walk_cache(struct mem_cache *c, mem_block_visitor *visit, void *context)
{
    uintptr_t t = lock(c->allocator, &c->lock);
    uint64_t count = walk_live(c->all, visit, context);

    unlock(c->allocator, &c->lock, t);
    return count;
}

static uint64_t walk_all(struct mem_allocator *a, mem_block_visitor *visit, void *context)
{
    uint64_t count = 0;

    for (unsigned i = 0; i < MEM_CLASS_COUNT; i++)
        count += walk_cache(&a->classes[i], visit, context);
    uintptr_t t = lock(a, &a->lock);
    for (struct mem_cache *c = a->user_caches; c; c = c->next_user)
        count += walk_cache(c, visit, context);
    count += walk_live(a->large, visit, context);
    unlock(a, &a->lock, t);
    return count;
}

void mem_mark_live(struct mem_allocator *a)
{
    walk_all(a, NULL, NULL);
}

uint64_t mem_visit_unmarked(struct mem_allocator *a, mem_block_visitor *visit, void *context)
{
    return walk_all(a, visit, context);
}

/* --- statistics and checks --- */

/* Adds a cache's numbers to stats and shows them to visit. */
static void add_cache(struct mem_cache *c, struct mem_stats *stats, mem_cache_visitor *visit,
                      void *context, unsigned *count)
{
    struct mem_allocator *a = c->allocator;
    struct mem_cache_stats s;

    memset(&s, 0, sizeof(s));
    memcpy(s.name, c->name, sizeof(s.name));
    s.tag = c->tag;
    s.object_size = c->object_size;
    s.max_depth = c->max_depth;
    uintptr_t t = lock(a, &c->lock);
    s.depth = c->depth;
    s.outstanding = c->outstanding;
    s.allocations = c->allocations;
    s.hits = c->hits;
    s.created = c->created;
    stats->outstanding_bytes += c->bytes;
    stats->frees += c->frees;
    unlock(a, &c->lock, t);
    stats->outstanding_blocks += s.outstanding;
    stats->allocations += s.allocations;
    if (visit)
        visit(context, *count, &s);
    (*count)++;
}

unsigned mem_stats(struct mem_allocator *a, struct mem_stats *stats, mem_cache_visitor *visit,
                   void *context)
{
    unsigned count = 0;

    memset(stats, 0, sizeof(*stats));
    for (unsigned i = 0; i < MEM_CLASS_COUNT; i++)
        add_cache(&a->classes[i], stats, visit, context, &count);
    uintptr_t t = lock(a, &a->lock);
    stats->outstanding_blocks += a->large_outstanding;
    stats->allocations += a->large_allocations;
    stats->outstanding_bytes += a->large_bytes;
    stats->frees += a->large_frees;
    for (struct mem_cache *c = a->user_caches; c; c = c->next_user)
        add_cache(c, stats, visit, context, &count);
    unlock(a, &a->lock, t);
    stats->peak_bytes = (uint64_t)__atomic_load_n(&a->peak_pool_bytes, __ATOMIC_RELAXED);
    stats->pool_bytes = (uint64_t)__atomic_load_n(&a->pool_bytes, __ATOMIC_RELAXED);
    stats->failures = __atomic_load_n(&a->failures, __ATOMIC_RELAXED);
    stats->injected_failures = __atomic_load_n(&a->injected, __ATOMIC_RELAXED);
    for (unsigned i = 0; i < MEM_EVENT_COUNT; i++)
        stats->events[i] = __atomic_load_n(&a->events[i], __ATOMIC_RELAXED);
    return count;
}

static uint64_t check_list(struct mem_allocator *a, struct mem_block *b)
{
    uint64_t damaged = 0;

    for (; b; b = b->all_next) {
        if (b->canary_head != head_canary(a, b))
            break; /* the list itself is damaged */
        if (b->state == STATE_FREE) {
            damaged += (uint64_t)check_poison(a, b);
            continue;
        }
        if (b->state != STATE_LIVE)
            continue;
        if (b->canary_tail != tail_canary(a, b)) {
            report(a, MEM_EVENT_UNDERRUN, user_of(b), b, 0);
            damaged++;
        } else if (!(b->flags & FLAG_SPECIAL) && !trailer_intact(a, b)) {
            report(a, MEM_EVENT_OVERRUN, user_of(b), b, 0);
            damaged++;
        }
    }
    return damaged;
}

uint64_t mem_check_all(struct mem_allocator *a)
{
    uint64_t damaged = 0;

    for (unsigned i = 0; i < MEM_CLASS_COUNT; i++) {
        struct mem_cache *c = &a->classes[i];
        uintptr_t t = lock(a, &c->lock);
        damaged += check_list(a, c->all);
        unlock(a, &c->lock, t);
    }
    uintptr_t t = lock(a, &a->lock);
    damaged += check_list(a, a->large);
    for (struct mem_cache *c = a->user_caches; c; c = c->next_user) {
        uintptr_t ct = lock(a, &c->lock);
        damaged += check_list(a, c->all);
        unlock(a, &c->lock, ct);
    }
    unlock(a, &a->lock, t);
    return damaged;
}
