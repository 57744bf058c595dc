/*
 * What a driver must undo before it unloads: notify routines and callbacks, queued timers and
 * DPCs, work items, running system threads, devices, symbolic links, MDLs, object references and
 * kernel handles. Each is recorded with the site that made it; at unload what remains is a
 * finding (unload-*) at that site.
 */
#include "verifier.h"

#define RESOURCES_MAX 512
#define NAME_CHARS 64

struct resource {
    const void *key;    /* NULL with kind RES_KINDS: a free slot */
    const void *extra;  /* a timer's DPC (non-periodic timers) */
    const void *site;
    LONG count;         /* references */
    UCHAR kind;
    USHORT name_length; /* WCHARs */
    WCHAR name[NAME_CHARS];
};

static struct resource resources[RESOURCES_MAX];
static unsigned used; /* slots ever used: [0, used) */

static int same_name(const struct resource *r, const UNICODE_STRING *name)
{
    USHORT n = name->Length / sizeof(WCHAR);

    if (n != r->name_length && !(n > NAME_CHARS && r->name_length == NAME_CHARS))
        return 0;
    for (USHORT i = 0; i < r->name_length; i++) {
        WCHAR a = r->name[i], b = name->Buffer[i];
        if (a >= L'a' && a <= L'z')
            a = (WCHAR)(a - 32);
        if (b >= L'a' && b <= L'z')
            b = (WCHAR)(b - 32);
        if (a != b)
            return 0;
    }
    return 1;
}

static struct resource *find(enum vfy_resource kind, const void *key, const UNICODE_STRING *name)
{
    for (unsigned i = 0; i < used; i++) {
        struct resource *r = &resources[i];
        if (r->kind == kind && (name ? same_name(r, name) : r->key == key))
            return r;
    }
    return NULL;
}

void vfy_resource_add(enum vfy_resource kind, const void *key, const void *extra,
                      const UNICODE_STRING *name, const void *site)
{
    KIRQL irql = vfy_lock();
    struct resource *r = NULL;

    for (unsigned i = 0; i < used && !r; i++)
        if (resources[i].kind == RES_KINDS)
            r = &resources[i];
    if (!r && used < RESOURCES_MAX)
        r = &resources[used++];
    if (r) {
        r->kind = (UCHAR)kind;
        r->key = key ? key : (const void *)r;
        r->extra = extra;
        r->site = site;
        r->count = 1;
        r->name_length = 0;
        if (name && name->Buffer) {
            USHORT n = name->Length / sizeof(WCHAR);
            r->name_length = n < NAME_CHARS ? n : NAME_CHARS;
            memcpy(r->name, name->Buffer, r->name_length * sizeof(WCHAR));
        }
    }
    vfy_unlock(irql);
}

int vfy_resource_remove(enum vfy_resource kind, const void *key, const UNICODE_STRING *name)
{
    KIRQL irql = vfy_lock();
    struct resource *r = find(kind, key, name);

    if (r)
        r->kind = RES_KINDS;
    vfy_unlock(irql);
    return r != NULL;
}

void vfy_reference(const void *object, LONG delta, const void *site)
{
    if (!object)
        return;
    KIRQL irql = vfy_lock();
    struct resource *r = find(RES_REFERENCE, object, NULL);
    if (r) {
        r->count += delta;
        if (r->count <= 0)
            r->kind = RES_KINDS;
    }
    vfy_unlock(irql);
    /* A dereference of a reference the verifier did not see made (the kernel's) is ignored. */
    if (!r && delta > 0)
        vfy_resource_add(RES_REFERENCE, object, NULL, NULL, site);
}

void vfy_timer_fired(const void *dpc)
{
    KIRQL irql = vfy_lock();
    for (unsigned i = 0; i < used; i++)
        if (resources[i].kind == RES_TIMER && resources[i].extra == dpc)
            resources[i].kind = RES_KINDS;
    vfy_unlock(irql);
}

static const struct {
    enum vfy_rule rule;
    const char *what;
} kinds[RES_KINDS] = {
    [RES_CALLBACK] = {RULE_UNLOAD_CALLBACK, "a notify routine or callback still registered"},
    [RES_TIMER] = {RULE_UNLOAD_TIMER, "a timer still set, with a DPC of the driver"},
    [RES_DPC] = {RULE_UNLOAD_TIMER, "a DPC still queued"},
    [RES_WORKITEM] = {RULE_UNLOAD_WORKITEM, "a work item still allocated"},
    [RES_WORKITEM_QUEUED] = {RULE_UNLOAD_WORKITEM, "a work item queued and not yet run"},
    [RES_THREAD] = {RULE_UNLOAD_THREAD, "a system thread of the driver still running"},
    [RES_DEVICE] = {RULE_UNLOAD_DEVICE, "a device object not deleted"},
    [RES_SYMLINK] = {RULE_UNLOAD_SYMLINK, "a symbolic link not deleted"},
    [RES_MDL] = {RULE_UNLOAD_MDL, "an MDL not freed"},
    [RES_REFERENCE] = {RULE_UNLOAD_REFERENCE, "an object reference not released"},
    [RES_HANDLE] = {RULE_UNLOAD_HANDLE, "a kernel handle not closed"},
};

static volatile LONG threads_running;

void vfy_thread_running(LONG delta)
{
    InterlockedAdd(&threads_running, delta);
}

/* After the report, what was left is undone, so that the driver goes away cleanly and the next
 * load starts clean (Windows would have stopped at a bug check). */
static void undo(const struct resource *r)
{
    switch (r->kind) {
    case RES_TIMER:
        vfy_real_KeCancelTimer((PKTIMER)r->key);
        break;
    case RES_DPC:
        vfy_dpc_dequeue((PRKDPC)r->key);
        break;
    case RES_WORKITEM:
        vfy_real_IoFreeWorkItem((PIO_WORKITEM)r->key);
        break;
    case RES_DEVICE:
        vfy_real_IoDeleteDevice((PDEVICE_OBJECT)r->key);
        break;
    case RES_SYMLINK:
        if (r->name_length < NAME_CHARS) {
            UNICODE_STRING name = {(USHORT)(r->name_length * sizeof(WCHAR)),
                                   (USHORT)(r->name_length * sizeof(WCHAR)), (PWCH)r->name};
            vfy_real_IoDeleteSymbolicLink(&name);
        }
        break;
    case RES_MDL:
        vfy_real_IoFreeMdl((PMDL)r->key);
        break;
    case RES_REFERENCE:
        for (LONG i = 0; i < r->count; i++)
            vfy_real_ObfDereferenceObject((PVOID)r->key);
        break;
    case RES_HANDLE:
        vfy_real_ZwClose((HANDLE)r->key);
        break;
    default:
        break;
    }
}

/* Threads still running get 5 s to end before the image goes (else they run unloaded code). */
static void wait_for_threads(void)
{
    LARGE_INTEGER interval;

    interval.QuadPart = -100000LL; /* 10 ms */
    for (int i = 0; i < 500 && threads_running > 0; i++)
        vfy_real_KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

void vfy_resources_check_unload(void)
{
    for (unsigned i = 0; i < used; i++) {
        struct resource r = resources[i];
        if (r.kind >= RES_KINDS)
            continue;
        resources[i].kind = RES_KINDS;
        if (r.kind == RES_SYMLINK) {
            char name[NAME_CHARS + 1];
            for (USHORT k = 0; k < r.name_length; k++)
                name[k] = (char)(r.name[k] > 0x20 && r.name[k] < 0x7F ? r.name[k] : L'?');
            name[r.name_length] = '\0';
            vfy_report(kinds[r.kind].rule, r.site,
                       "%s (%s) at unload (the site made it)", kinds[r.kind].what, name);
        } else {
            vfy_report(kinds[r.kind].rule, r.site, "%s at unload: %p (the site made it)",
                       kinds[r.kind].what, r.key);
        }
        undo(&r);
    }
    used = 0;
    wait_for_threads();
}

uint64_t vfy_now_100ns(void)
{
    LARGE_INTEGER frequency, now = KeQueryPerformanceCounter(&frequency);

    uint64_t c = (uint64_t)now.QuadPart, f = (uint64_t)frequency.QuadPart;

    /* In two parts: c * 10^7 alone overflows after two days at 10 MHz. minwdmctl reads the
     * pending list's times on this same clock (user/ctl_test.c). */
    return f ? c / f * 10000000u + c % f * 10000000u / f : 0;
}

/* Fault injection (minwdmctl fail-alloc, the kernel tests' MINWDM_FAIL_NTH...): the runtime's
 * countdown serves every pool routine of a verified driver too. */
int vfy_inject_failure(void)
{
    return pool_inject_failure();
}
