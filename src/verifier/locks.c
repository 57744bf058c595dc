/*
 * Spin locks and fast mutexes a driver holds: who holds each and at which IRQL it was taken
 * (lock-recursive, lock-not-owner), which the thread still holds when a routine returns
 * (lock-held-on-return), and the order pairs of locks were ever taken in (lock-order: two locks
 * taken in both orders can deadlock, as Driver Verifier's deadlock detection reports).
 */
#include "verifier.h"

#define HELD_MAX 64
#define PAIRS_MAX 256

struct held {
    const void *lock;   /* NULL: a free slot */
    const void *handle; /* the KLOCK_QUEUE_HANDLE of an in-stack queued lock */
    LONG64 owner;
    const void *site;
    ULONG sequence;     /* when it was taken */
    KIRQL old_irql;
    UCHAR kind;
    UCHAR recursions;   /* acquisitions skipped: their releases are skipped too */
};

struct pair {
    const void *first, *second;
    const void *site;
    BOOLEAN reported;
};

static struct held held[HELD_MAX];
static struct pair pairs[PAIRS_MAX];
static unsigned pair_count;
static volatile LONG sequence;

static LONG64 self(void)
{
    return (LONG64)(ULONG_PTR)PsGetCurrentThreadId();
}

/* Records first -> second; the reverse pair's site when the opposite order was seen before. */
static const void *record_order(const void *first, const void *second, const void *site,
                                int *report)
{
    const void *reverse_site = NULL;
    int known = 0;

    *report = 0;
    for (unsigned i = 0; i < pair_count; i++) {
        if (pairs[i].first == first && pairs[i].second == second)
            known = 1;
        if (pairs[i].first == second && pairs[i].second == first && !pairs[i].reported) {
            pairs[i].reported = TRUE;
            reverse_site = pairs[i].site;
            *report = 1;
        }
    }
    if (!known && pair_count < PAIRS_MAX)
        pairs[pair_count++] = (struct pair){first, second, site, FALSE};
    return reverse_site;
}

int vfy_lock_acquiring(const void *lock, enum vfy_lock_kind kind, const void *handle, KIRQL old,
                       const void *site)
{
    LONG64 me = self();
    const void *recursion_site = NULL, *order_site = NULL, *other = NULL;
    int recursive = 0, order = 0, free_slot = -1;
    KIRQL irql = vfy_lock();

    for (int i = 0; i < HELD_MAX; i++) {
        if (!held[i].lock) {
            if (free_slot < 0)
                free_slot = i;
            continue;
        }
        if (held[i].lock == lock && held[i].owner == me) {
            recursive = 1;
            recursion_site = held[i].site;
            held[i].recursions++;
            break;
        }
        if (held[i].owner == me && !order) {
            int found;
            const void *s = record_order(held[i].lock, lock, site, &found);
            if (found) {
                order = 1;
                order_site = s;
                other = held[i].lock;
            }
        }
    }
    if (!recursive && free_slot >= 0)
        held[free_slot] = (struct held){lock, handle, me, site,
                                        (ULONG)InterlockedIncrement(&sequence), old, (UCHAR)kind, 0};
    vfy_unlock(irql);
    if (recursive) {
        char first[64];
        vfy_report(RULE_LOCK_RECURSIVE, site,
                   "%s %p acquired again by the thread that holds it (first taken at return "
                   "address %s); the second acquisition was not passed on",
                   kind == LOCK_MUTEX ? "fast mutex" : "spin lock", lock,
                   vfy_site_name(recursion_site, first, sizeof(first)));
        return 1;
    }
    if (order) {
        char then[64];
        vfy_report(RULE_LOCK_ORDER, site,
                   "lock %p taken while holding %p, and the reverse order was taken at %s: "
                   "two threads can deadlock", lock, other,
                   vfy_site_name(order_site, then, sizeof(then)));
    }
    return 0;
}

int vfy_lock_releasing(const void *key, int by_handle, KIRQL new_irql, int check_irql, KIRQL *old,
                       const void *site)
{
    LONG64 me = self();
    int found = -1, skip = 0;
    LONG64 owner = 0;
    KIRQL taken_at = 0;
    KIRQL irql = vfy_lock();

    for (int i = 0; i < HELD_MAX; i++)
        if (held[i].lock && (by_handle ? held[i].handle == key : held[i].lock == key)) {
            found = i;
            break;
        }
    if (found >= 0) {
        owner = held[found].owner;
        taken_at = held[found].old_irql;
        if (held[found].recursions && owner == me) {
            held[found].recursions--;
            skip = 1;
        } else {
            held[found].lock = NULL;
        }
    }
    vfy_unlock(irql);
    *old = taken_at;
    if (skip)
        return 0;
    if (found < 0) {
        vfy_report(RULE_LOCK_NOT_OWNER, site, "lock %p released but not held; not passed on",
                   key);
        return 0;
    }
    if (owner != me)
        vfy_report(RULE_LOCK_NOT_OWNER, site,
                   "lock %p released by thread %p, but thread %p holds it", key,
                   (void *)(ULONG_PTR)me, (void *)(ULONG_PTR)owner);
    else if (check_irql && new_irql != taken_at)
        vfy_report(RULE_LOCK_NOT_OWNER, site,
                   "lock %p released with old IRQL %u, but it was taken at IRQL %u", key,
                   new_irql, taken_at);
    return 1;
}

ULONG vfy_lock_mark(void)
{
    return (ULONG)sequence;
}

/* A lock the routine left held is released for it, after the report: the driver goes on. */
void vfy_locks_check_return(ULONG mark, const char *what, const void *routine)
{
    LONG64 me = self();

    for (;;) {
        struct held h = {0};
        KIRQL irql = vfy_lock();
        for (int i = 0; i < HELD_MAX; i++)
            if (held[i].lock && held[i].owner == me && (LONG)(held[i].sequence - mark) > 0) {
                h = held[i];
                held[i].lock = NULL;
                break;
            }
        vfy_unlock(irql);
        if (!h.lock)
            return;
        char taken[64], text[200];
        format_string(text, sizeof(text), "%s returned holding %s %p (taken at %s); released "
                      "by the verifier", what, h.kind == LOCK_MUTEX ? "fast mutex" : "spin lock",
                      h.lock, vfy_site_name(h.site, taken, sizeof(taken)));
        vfy_report_routine(RULE_LOCK_HELD_ON_RETURN, routine, text);
        vfy_release_for_driver(h.lock, h.kind, h.handle, h.old_irql);
    }
}
