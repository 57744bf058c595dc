#include "image.h"
#include "kernel_lock.h"
#include "runtime_internal.h"
#include "special_pool.h"

struct mem_allocator driver_memory;

typedef PVOID(NTAPI *allocate_pool2_fn)(POOL_FLAGS flags, SIZE_T size, ULONG tag);

static allocate_pool2_fn allocate_pool2;
static BOOLEAN pool_zeroes;
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

/* The linker's: the image's first byte. */

unsigned long long runtime_image_offset(const void *address)
{
    return (unsigned long long)((uintptr_t)address - (uintptr_t)minwdm_image_base);
}

static void kernel_report(void *context, const struct mem_event *e)
{
    char freed[80] = "";

    (void)context;
    /* Where a block written after free or freed twice was freed: the site of POOL_FREE, or the
     * free call's place in the image (llvm-symbolizer --relative-address names its line). */
    if (e->free_site)
        format_string(freed, sizeof(freed), ", byte %zu, freed at %s:%u", e->offset,
                   e->free_site->function, e->free_site->line);
    else if (e->free_caller)
        format_string(freed, sizeof(freed), ", byte %zu, freed from image+0x%llx", e->offset,
                      runtime_image_offset(e->free_caller));
    log_message(&driver_log, MINWDM_LOG_ERROR, "memory",
                "%s: %p tag '%.4s'%s%.4s %zu bytes from %s:%u%s", event_text[e->kind],
                minwdm_log_address(e->pointer),
                (const char *)&e->tag, e->expected_tag ? ", given " : "",
                (const char *)&e->expected_tag, e->size, e->site ? e->site->function : "?",
                e->site ? e->site->line : 0u, freed);
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

/* Whether ExAllocatePool2 certainly zeroes: Windows promises it, Wine does not keep the promise
 * (Wine 9.1 added ExAllocatePool2; Wine 10's is a HeapAlloc without HEAP_ZERO_MEMORY). Wine is
 * recognised by an export only its ntoskrnl.exe has; anywhere zeroing is not certain, the
 * allocator zeroes. A probe of one fresh block would prove nothing: fresh memory is often zero. */
MINWDM_INIT_CODE static BOOLEAN allocate_pool2_zeroes(void)
{
    UNICODE_STRING wine_only = RTL_CONSTANT_STRING(L"wine_ntoskrnl_main_loop");

    return allocate_pool2 != NULL && MmGetSystemRoutineAddress(&wine_only) == NULL;
}

MINWDM_INIT_CODE void pool_init(const struct pool_settings *settings)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"ExAllocatePool2");
    struct mem_platform platform = kernel_platform;

    /* Windows 10 2004 and later export ExAllocatePool2; importing it would keep the driver off
     * older kernels and Wine 8, so it is looked up. */
    allocate_pool2 = runtime_verifier ? runtime_verifier->pool_alloc2
                                      : (allocate_pool2_fn)MmGetSystemRoutineAddress(&name);
    strict_irql = settings->strict_irql != 0;
    pool_zeroes = allocate_pool2_zeroes();
    platform.pool_zeroes = pool_zeroes;
    platform.lock = kernel_lock_ops;
    platform.secret = __rdtsc() ^ ((uint64_t)(uintptr_t)&driver_memory << 17);
    if (special_pool_start(settings->special_pool))
        special_pool_hooks(&platform);
    mem_init(&driver_memory, &platform);
    mem_fail_nth(&driver_memory, settings->fail_at);
}

ULONG pool_kind(void)
{
    if (!allocate_pool2)
        return MINWDM_POOL_WITH_TAG_NX;
    return pool_zeroes ? MINWDM_POOL_EX_ALLOCATE_POOL2 : MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED;
}

ULONG64 pool_shutdown(void)
{
    ULONG64 leaks = mem_destroy(&driver_memory);

    special_pool_stop();
    return leaks;
}
