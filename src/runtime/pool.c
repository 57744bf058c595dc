#include "kernel_lock.h"
#include "runtime_internal.h"

struct mem_allocator driver_memory;

typedef PVOID(NTAPI *allocate_pool2_fn)(POOL_FLAGS flags, SIZE_T size, ULONG tag);

static allocate_pool2_fn allocate_pool2;
static BOOLEAN strict_irql;


const struct runtime_verifier *runtime_verifier;

KIRQL runtime_irql(void)
{
    return runtime_verifier ? runtime_verifier->irql() : KeGetCurrentIrql();
}

int pool_inject_failure(void)
{
    return mem_inject_failure(&driver_memory);
}

static void *kernel_pool_alloc(void *context, size_t size, uint32_t tag, enum mem_pool pool)
{
    (void)context;
    if (runtime_verifier) /* a verified build: the verifier checks the pool routines, not these */
        return allocate_pool2 ? allocate_pool2(pool == MEM_PAGED ? POOL_FLAG_PAGED
                                                                 : POOL_FLAG_NON_PAGED,
                                               size, tag)
                              : runtime_verifier->pool_alloc(pool == MEM_PAGED ? PagedPool
                                                                               : NonPagedPoolNx,
                                                             size, tag);
    if (allocate_pool2)
        return allocate_pool2(pool == MEM_PAGED ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED, size,
                              tag);
    return ExAllocatePoolWithTag(pool == MEM_PAGED ? PagedPool : NonPagedPoolNx, size, tag);
}

static void kernel_pool_free(void *context, void *block, uint32_t tag)
{
    (void)context;
    if (runtime_verifier) {
        runtime_verifier->pool_free(block, tag);
        return;
    }
    ExFreePoolWithTag(block, tag);
}

/* Paged pool is checked always. Nonpaged only on request: reading the IRQL is one instruction on
 * Windows but an emulated privileged one (about 2 us) under Wine, and the pool itself stops a
 * caller above DISPATCH_LEVEL. */
static int kernel_irql_allows(void *context, enum mem_pool pool)
{
    (void)context;
    if (pool == MEM_PAGED)
        return runtime_irql() <= APC_LEVEL;
    return !strict_irql || runtime_irql() <= DISPATCH_LEVEL;
}

static const char *const event_text[MEM_EVENT_COUNT] = {
    [MEM_EVENT_DOUBLE_FREE] = "double free",
    [MEM_EVENT_OVERRUN] = "overrun",
    [MEM_EVENT_UNDERRUN] = "underrun (block kept)",
    [MEM_EVENT_FOREIGN_FREE] = "foreign pointer freed",
    [MEM_EVENT_TAG_MISMATCH] = "wrong tag",
    [MEM_EVENT_WRITE_AFTER_FREE] = "written after free",
    [MEM_EVENT_LEAK] = "leak (freed at unload)",
    [MEM_EVENT_IRQL] = "IRQL too high",
    [MEM_EVENT_BAD_REQUEST] = "bad request",
};

static void kernel_report(void *context, const struct mem_event *e)
{
    (void)context;
    log_message(&driver_log, MINWDM_LOG_ERROR, "memory",
                "%s: %p tag '%.4s'%s%.4s %zu bytes from %s:%u", event_text[e->kind], e->pointer,
                (const char *)&e->tag, e->expected_tag ? ", given " : "",
                (const char *)&e->expected_tag, e->size, e->site ? e->site->function : "?",
                e->site ? e->site->line : 0u);
}

uint64_t pool_clock(uint64_t *frequency)
{
    LARGE_INTEGER f, now = KeQueryPerformanceCounter(&f);

    if (frequency)
        *frequency = (uint64_t)f.QuadPart;
    return (uint64_t)now.QuadPart;
}

static const struct mem_platform kernel_platform = {
    .pool_alloc = kernel_pool_alloc,
    .pool_free = kernel_pool_free,
    .irql_allows = kernel_irql_allows,
    .report = kernel_report,
};

MINWDM_INIT_CODE void pool_init(const struct pool_settings *settings)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"ExAllocatePool2");
    struct mem_platform platform = kernel_platform;

    /* Windows 10 2004 and later export ExAllocatePool2; importing it would keep the driver off
     * older kernels and Wine 8, so it is looked up. */
    allocate_pool2 = runtime_verifier ? runtime_verifier->pool_alloc2
                                      : (allocate_pool2_fn)MmGetSystemRoutineAddress(&name);
    strict_irql = settings->strict_irql != 0;
    platform.pool_zeroes = allocate_pool2 != NULL;
    platform.lock = kernel_lock_ops;
    platform.secret = __rdtsc() ^ ((uint64_t)(uintptr_t)&driver_memory << 17);
    mem_init(&driver_memory, &platform);
    mem_fail_nth(&driver_memory, settings->fail_at);
}

ULONG pool_kind(void)
{
    return allocate_pool2 ? MINWDM_POOL_EX_ALLOCATE_POOL2 : MINWDM_POOL_WITH_TAG_NX;
}

ULONG64 pool_shutdown(void)
{
    return mem_destroy(&driver_memory);
}
