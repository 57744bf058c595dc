/*
 * Every pool routine's blocks (pool-leak, pool-double-free, pool-tag, pool-executable): a table
 * of the blocks the driver holds, with their tag and the allocation's site, and a ring of the
 * last ones freed, so that a second free is told from a pointer the kernel allocated (which
 * passes through). The runtime's own allocator uses the real routines (it checks its blocks
 * itself), so its blocks are not counted twice.
 */
#include "verifier.h"

#define BUCKETS 1024
#define FREED_RING 512
#define NODE_TAG 'fVwm'

struct block {
    struct block *next;
    const void *pointer;
    const void *site;
    SIZE_T size;
    ULONG tag;
    BOOLEAN paged;
};

static struct block *buckets[BUCKETS];
static struct {
    const void *pointer;
    const void *site; /* of the first free */
} freed[FREED_RING];
static unsigned freed_next;
static ULONG64 live_blocks;

static unsigned bucket_of(const void *p)
{
    ULONG_PTR v = (ULONG_PTR)p >> 4;
    return (unsigned)((v ^ (v >> 10) ^ (v >> 20)) % BUCKETS);
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

    if (!b)
        return; /* not tracked: its free passes through */
    *b = (struct block){NULL, pointer, site, size, tag, paged};
    KIRQL irql = vfy_lock();
    unsigned i = bucket_of(pointer);
    b->next = buckets[i];
    buckets[i] = b;
    live_blocks++;
    for (unsigned k = 0; k < FREED_RING; k++) /* the address lives again */
        if (freed[k].pointer == pointer)
            freed[k].pointer = NULL;
    vfy_unlock(irql);
}

/* The block's record out of the table (the caller frees it), or NULL; *twice says whether the
 * pointer was freed before. */
static struct block *take(const void *pointer, const void *site, const void **first_free)
{
    struct block *found = NULL;
    KIRQL irql = vfy_lock();

    for (struct block **at = &buckets[bucket_of(pointer)]; *at; at = &(*at)->next)
        if ((*at)->pointer == pointer) {
            found = *at;
            *at = found->next;
            live_blocks--;
            break;
        }
    *first_free = NULL;
    if (found) {
        freed[freed_next].pointer = pointer;
        freed[freed_next].site = site;
        freed_next = (freed_next + 1) % FREED_RING;
    } else {
        for (unsigned k = 0; k < FREED_RING; k++)
            if (freed[k].pointer == pointer)
                *first_free = freed[k].site ? freed[k].site : pointer;
    }
    vfy_unlock(irql);
    return found;
}

/* Before a free: 1 to pass it on to the kernel, 0 to skip it (a double free). *real_tag gets
 * the block's own tag (the pool-tag rule reports a different one, then frees with the right). */
int vfy_pool_freeing(const void *pointer, int has_tag, ULONG tag, ULONG *real_tag,
                     const char *routine, const void *site)
{
    const void *first = NULL;
    struct block *b;

    *real_tag = tag;
    if (!pointer)
        return 1;
    b = take(pointer, site, &first);
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
    vfy_real_ExFreePoolWithTag(b, NODE_TAG);
    return 1;
}

/* At unload: every block still held is a leak; reported with its allocation site, and freed. */
void vfy_pool_check_unload(void)
{
    for (unsigned i = 0; i < BUCKETS; i++) {
        for (;;) {
            KIRQL irql = vfy_lock();
            struct block *b = buckets[i];
            if (b) {
                buckets[i] = b->next;
                live_blocks--;
            }
            vfy_unlock(irql);
            if (!b)
                break;
            vfy_report(RULE_POOL_LEAK, b->site,
                       "%llu bytes of %s pool, tag '%.4s', still allocated at unload; freed by "
                       "the verifier (the site is the allocation's)",
                       (unsigned long long)b->size, b->paged ? "paged" : "nonpaged",
                       (const char *)&b->tag);
            if (!verifier_pool_backend_free((void *)b->pointer))
                vfy_real_ExFreePoolWithTag((void *)b->pointer, b->tag);
            vfy_real_ExFreePoolWithTag(b, NODE_TAG);
        }
    }
}
