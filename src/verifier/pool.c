/*
 * Every pool routine's blocks (pool-leak, pool-double-free, pool-tag, pool-executable): a table
 * of the blocks the driver holds, with their tag and the allocation's site, and a ring of the
 * last ones freed, so that a second free is told from a pointer the kernel allocated (which
 * passes through). The runtime's own allocator uses the real routines (it checks its blocks
 * itself), so its blocks are not counted twice.
 */
#include "verifier.h"

#define BUCKETS 1024
#define FREED_KEPT 512 /* freed blocks remembered, to tell a second free from a foreign pointer */
#define NODE_TAG 'fVwm'

struct block {
    struct block *next;
    const void *pointer;
    const void *site;      /* the allocation's; once freed, the free's */
    SIZE_T size;
    ULONG tag;
    BOOLEAN paged;
    BOOLEAN freed;
};

static struct block *buckets[BUCKETS];
static struct block *freed[FREED_KEPT]; /* the freed records, oldest first from freed_next */
static unsigned freed_next;

static unsigned bucket_of(const void *p)
{
    ULONG_PTR v = (ULONG_PTR)p >> 4;
    return (unsigned)((v ^ (v >> 10) ^ (v >> 20)) % BUCKETS);
}

static struct block *lookup(const void *pointer)
{
    for (struct block *b = buckets[bucket_of(pointer)]; b; b = b->next)
        if (b->pointer == pointer)
            return b;
    return NULL;
}

static void unlink_block(struct block *b)
{
    for (struct block **at = &buckets[bucket_of(b->pointer)]; *at; at = &(*at)->next)
        if (*at == b) {
            *at = b->next;
            return;
        }
}

/* Tags compare without the protected bit, as ExFreePoolWithTag does. */
static int same_tag(ULONG a, ULONG b)
{
    return ((a ^ b) & 0x7FFFFFFFu) == 0;
}

void vfy_pool_allocated(const void *pointer, SIZE_T size, ULONG tag, BOOLEAN paged,
                        const void *site)
{
    struct block *b = vfy_real_ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*b), NODE_TAG);
    struct block *old, *stale = NULL;

    if (!b)
        return; /* not tracked: its free passes through */
    *b = (struct block){NULL, pointer, site, size, tag, paged, FALSE};
    KIRQL irql = vfy_lock();
    old = lookup(pointer); /* the address lives again */
    if (old) {
        unlink_block(old);
        if (old->freed)
            old->pointer = NULL; /* unlinked; its freed[] slot frees it */
        else
            stale = old; /* freed by a path the verifier did not see */
    }
    unsigned i = bucket_of(pointer);
    b->next = buckets[i];
    buckets[i] = b;
    vfy_unlock(irql);
    if (stale)
        vfy_real_ExFreePoolWithTag(stale, NODE_TAG);
}

/* The block's record, now marked freed (kept among the last FREED_KEPT), or NULL; *first_free
 * is the first free's site when the pointer was freed already. */
static struct block *take(const void *pointer, const void *site, const void **first_free,
                          struct block *copy)
{
    struct block *b, *evicted = NULL;
    KIRQL irql = vfy_lock();

    *first_free = NULL;
    b = lookup(pointer);
    if (b && b->freed) {
        *first_free = b->site ? b->site : pointer;
        b = NULL;
    } else if (b) {
        *copy = *b;
        b->freed = TRUE;
        b->site = site;
        evicted = freed[freed_next];
        freed[freed_next] = b;
        freed_next = (freed_next + 1) % FREED_KEPT;
        if (evicted && evicted->pointer) /* else unlinked when its address lived again */
            unlink_block(evicted);
    }
    vfy_unlock(irql);
    if (evicted)
        vfy_real_ExFreePoolWithTag(evicted, NODE_TAG);
    return b ? copy : NULL;
}

/* Before a free: 1 to pass it on to the kernel, 0 to skip it (a double free). *real_tag gets
 * the block's own tag (the pool-tag rule reports a different one, then frees with the right). */
int vfy_pool_freeing(const void *pointer, int has_tag, ULONG tag, ULONG *real_tag,
                     const char *routine, const void *site)
{
    const void *first = NULL;
    struct block *b, copy;

    *real_tag = tag;
    if (!pointer)
        return 1;
    b = take(pointer, site, &first, &copy);
    if (!b) {
        if (first) {
            char at[64];
            vfy_report(RULE_POOL_DOUBLE_FREE, site,
                       "%s(%p): the block was freed already (first at %s); not passed on",
                       routine, pointer, vfy_site_name(first == pointer ? NULL : first, at,
                                                       sizeof(at)));
            return 0;
        }
        return 1; /* the kernel's block, or one allocated before the verifier started */
    }
    vfy_check_irql(routine, b->paged ? APC_LEVEL : DISPATCH_LEVEL, site);
    if (has_tag && !same_tag(tag, b->tag)) {
        char at[64];
        vfy_report(RULE_POOL_TAG, site,
                   "%s(%p, '%.4s'): the block was allocated with tag '%.4s' at %s", routine,
                   pointer, (const char *)&tag, (const char *)&b->tag,
                   vfy_site_name(b->site, at, sizeof(at)));
    }
    *real_tag = b->tag;
    return 1;
}

/* At unload: every block still held is a leak; reported with its allocation site, and freed. */
void vfy_pool_check_unload(void)
{
    for (unsigned i = 0; i < BUCKETS; i++) {
        for (;;) {
            KIRQL irql = vfy_lock();
            struct block *b = buckets[i];
            if (b)
                buckets[i] = b->next;
            vfy_unlock(irql);
            if (!b)
                break;
            if (b->pointer && !b->freed) {
                vfy_report(RULE_POOL_LEAK, b->site,
                           "%llu bytes of %s pool, tag '%.4s', still allocated at unload; freed "
                           "by the verifier (the site is the allocation's)",
                           (unsigned long long)b->size, b->paged ? "paged" : "nonpaged",
                           (const char *)&b->tag);
                if (!verifier_pool_backend_free((void *)b->pointer))
                    vfy_real_ExFreePoolWithTag((void *)b->pointer, b->tag);
            }
            if (!b->freed) /* freed ones are freed through freed[] */
                vfy_real_ExFreePoolWithTag(b, NODE_TAG);
        }
    }
    for (unsigned k = 0; k < FREED_KEPT; k++) {
        if (freed[k])
            vfy_real_ExFreePoolWithTag(freed[k], NODE_TAG);
        freed[k] = NULL;
    }
    freed_next = 0;
}
