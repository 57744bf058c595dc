#include "special_pool.h"

#include "core/special_arena.h"
#include "kernel_lock.h"
#include "runtime_internal.h"

typedef NTSTATUS(NTAPI *allocate_virtual_fn)(HANDLE process, PVOID *base, ULONG_PTR zero_bits,
                                             PSIZE_T size, ULONG type, ULONG protect);
typedef NTSTATUS(NTAPI *free_virtual_fn)(HANDLE process, PVOID *base, PSIZE_T size, ULONG type);

static allocate_virtual_fn allocate_virtual;
static free_virtual_fn free_virtual;
static struct special_arena arena;
static struct core_lock arena_lock;
static void *records;
static SIZE_T records_bytes;


#define SPECIAL_LOG(level, ...)                                                   \
    do {                                                                          \
        if (log_enabled(&driver_log, level))                                      \
            log_message(&driver_log, level, "verifier", __VA_ARGS__);             \
    } while (0)

static int commit(void *context, void *address, size_t size)
{
    PVOID base = address;
    SIZE_T length = size;

    (void)context;
    return NT_SUCCESS(allocate_virtual(NtCurrentProcess(), &base, 0, &length, MEM_COMMIT,
                                       PAGE_READWRITE));
}

static void decommit(void *context, void *address, size_t size)
{
    PVOID base = address;
    SIZE_T length = size;

    (void)context;
    free_virtual(NtCurrentProcess(), &base, &length, MEM_DECOMMIT);
}

static const struct special_pages kernel_pages = {NULL, commit, decommit};

static PVOID routine(PCWSTR name)
{
    UNICODE_STRING text;

    RtlInitUnicodeString(&text, name);
    return MmGetSystemRoutineAddress(&text);
}

static void release(PVOID *base)
{
    SIZE_T size = 0;

    if (*base)
        free_virtual(NtCurrentProcess(), base, &size, MEM_RELEASE);
    *base = NULL;
}

MINWDM_INIT_CODE int special_pool_start(ULONG setting)
{
    SIZE_T reserve = SPECIAL_CLASSES * (SIZE_T)SPECIAL_CLASS_BYTES;
    PVOID base = NULL;

    if (setting == SPECIAL_POOL_OFF)
        return 0;
    /* Only Wine's ntoskrnl exports this; on Windows, NtCurrentProcess() is whichever process
     * the thread is in, not the kernel's address space: no special pool there. */
    if (!routine(L"wine_ntoskrnl_main_loop")) {
        SPECIAL_LOG(MINWDM_LOG_INFO, "special pool: off (Windows: use Driver Verifier's)");
        return 0;
    }
    allocate_virtual = (allocate_virtual_fn)routine(L"ZwAllocateVirtualMemory");
    free_virtual = (free_virtual_fn)routine(L"ZwFreeVirtualMemory");
    records_bytes = special_arena_record_count(SPECIAL_CLASS_BYTES) * sizeof(struct special_record);
    records = NULL;
    if (!allocate_virtual || !free_virtual ||
        !NT_SUCCESS(allocate_virtual(NtCurrentProcess(), &base, 0, &reserve, MEM_RESERVE,
                                     PAGE_NOACCESS)) ||
        !NT_SUCCESS(allocate_virtual(NtCurrentProcess(), &records, 0, &records_bytes,
                                     MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))) {
        if (free_virtual)
            release(&base);
        SPECIAL_LOG(MINWDM_LOG_WARN, "special pool: off (no address space for it)");
        return 0;
    }
    kernel_lock_ops.init(&arena_lock);
    special_arena_init(&arena, base, SPECIAL_CLASS_BYTES,
                       setting == SPECIAL_POOL_UNDERRUNS ? SPECIAL_UNDERRUNS : SPECIAL_OVERRUNS,
                       &kernel_pages, records);
    /* The crash report reads this line to tell a guard page from a freed block's page. */
    SPECIAL_LOG(MINWDM_LOG_INFO, SPECIAL_ARENA_LINE, (unsigned long long)(uintptr_t)base,
                (unsigned long long)SPECIAL_CLASS_BYTES, SPECIAL_CLASSES,
                setting == SPECIAL_POOL_UNDERRUNS ? "underruns" : "overruns");
    return 1;
}

MINWDM_PAGED_CODE void special_pool_stop(void)
{
    PVOID base = arena.base;

    if (!base)
        return;
    if (arena.live)
        SPECIAL_LOG(MINWDM_LOG_WARN, "special pool: %llu blocks still out at unload",
                    (unsigned long long)arena.live);
    arena.base = NULL;
    release(&base);
    release(&records);
}

static void *arena_alloc(size_t before, size_t size, size_t alignment, ULONG tag)
{
    void *p;

    if (!arena.base)
        return NULL;
    uintptr_t t = kernel_lock_ops.acquire(&arena_lock);
    p = special_arena_alloc(&arena, before, size, alignment, tag);
    kernel_lock_ops.release(&arena_lock, t);
    return p;
}

void *special_pool_alloc(size_t size, ULONG tag, int executable_requested)
{
    if (executable_requested)
        return NULL; /* its pages are never executable */
    return arena_alloc(0, size, 16, tag);
}

/* Frees p; reports what was wrong. 1: handled (p was in the special pool). */
static int arena_free(void *p, const void *caller)
{
    struct special_record r;
    long written;

    if (!p || !special_arena_contains(&arena, p))
        return 0;
    uintptr_t t = kernel_lock_ops.acquire(&arena_lock);
    enum special_free_result result = special_arena_free(&arena, p, &r, &written);
    kernel_lock_ops.release(&arena_lock, t);
    switch (result) {
    case SPECIAL_FREE_DOUBLE:
        SPECIAL_LOG(MINWDM_LOG_ERROR,
                    "pool-double-free: a special-pool block of %u bytes tag '%.4s' freed again "
                    "from image+0x%llx",
                    r.size, (const char *)&r.tag, runtime_image_offset(caller));
        break;
    case SPECIAL_FREE_MISALIGNED:
        SPECIAL_LOG(MINWDM_LOG_ERROR,
                    "pool-double-free: a pointer inside a special-pool block, not its start, "
                    "freed from image+0x%llx (nothing freed)",
                    runtime_image_offset(caller));
        break;
    case SPECIAL_FREE_SLACK_WRITTEN:
        SPECIAL_LOG(MINWDM_LOG_ERROR,
                    "pool-overrun: byte %ld from the start of a block of %u bytes tag '%.4s' "
                    "(in its own page) was written; seen when it was freed from image+0x%llx",
                    written, r.size, (const char *)&r.tag, runtime_image_offset(caller));
        break;
    default:
        break;
    }
    return 1;
}

int special_pool_free(void *p)
{
    return arena_free(p, __builtin_return_address(0));
}

int special_pool_owns(const void *p)
{
    return arena.base && special_arena_contains(&arena, p);
}

/* --- the allocator's hooks --- */

static void *hook_alloc(void *context, size_t before, size_t size, size_t alignment,
                        uint32_t tag, enum mem_pool pool)
{
    (void)context;
    (void)pool; /* special-pool pages are never paged out: paged blocks keep their rules */
    return arena_alloc(before, size, alignment, tag);
}

static void hook_free(void *context, void *block)
{
    (void)context;
    arena_free(block, __builtin_return_address(0));
}

static enum mem_special_state hook_state(void *context, const void *pointer)
{
    enum special_lookup found;

    (void)context;
    if (!special_pool_owns(pointer))
        return MEM_SPECIAL_NONE;
    uintptr_t t = kernel_lock_ops.acquire(&arena_lock);
    found = special_arena_lookup(&arena, pointer);
    kernel_lock_ops.release(&arena_lock, t);
    return found == SPECIAL_LIVE ? MEM_SPECIAL_LIVE
         : found == SPECIAL_FREED ? MEM_SPECIAL_FREED
                                  : MEM_SPECIAL_INSIDE;
}

void special_pool_hooks(struct mem_platform *platform)
{
    if (!arena.base)
        return;
    platform->special_context = NULL;
    platform->special_alloc = hook_alloc;
    platform->special_free = hook_free;
    platform->special_state = hook_state;
}
