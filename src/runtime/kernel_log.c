#include "kernel_lock.h"
#include "registry.h"
#include "runtime_internal.h"

#define RING_BYTES 0x8000u /* 32 KiB: 315 lines of 80 characters */
#define SAVE_TAG MEM_TAG('M', 'w', 'L', 'g')

struct logger driver_log;

/* Static, so the log works before the allocator starts and after it has shut down. */
static uint64_t ring[RING_BYTES / sizeof(uint64_t)];
static LARGE_INTEGER load_ticks, frequency;

static uint64_t kernel_now(void)
{
    uint64_t ticks = (uint64_t)(KeQueryPerformanceCounter(NULL).QuadPart - load_ticks.QuadPart);
    uint64_t hz = (uint64_t)frequency.QuadPart;

    return ticks / hz * 10000000u + ticks % hz * 10000000u / hz;
}

static uint32_t kernel_cpu(void)
{
    return KeGetCurrentProcessorNumberEx(NULL);
}

static uint32_t kernel_irql(void)
{
    return runtime_irql();
}

/* Level n is bit n of the Debug Print Filter mask: errors (0) always show. */
static void kernel_sink(uint32_t level, const char *line)
{
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, level, "%s\n", line);
}

MINWDM_INIT_CODE void kernel_log_start(const char *name, PUNICODE_STRING registry_path)
{
    struct log_platform platform = {
        .now = kernel_now, .cpu = kernel_cpu, .irql = kernel_irql, .sink = kernel_sink};
    ULONG level = MINWDM_LOG_INFO, details = 0;

    platform.lock = kernel_lock_ops;
    load_ticks = KeQueryPerformanceCounter(&frequency);
    log_init(&driver_log, name, &platform, ring, sizeof(ring), (uint64_t)load_ticks.QuadPart);
    registry_read_dword(registry_path, L"LogLevel", &level);
    registry_read_dword(registry_path, L"LogDetails", &details);
    if (!log_set_level(&driver_log, level))
        LOG_WARN("LogLevel %lu does not exist: info it is", level);
    driver_log.details = details & (LOG_DETAIL_CPU | LOG_DETAIL_IRQL | LOG_DETAIL_TIME);
}

MINWDM_PAGED_CODE void kernel_log_save(PUNICODE_STRING service_key)
{
    ULONG size = (ULONG)sizeof(struct minwdm_log_batch) + RING_BYTES;
    void *buffer;

    if (!service_key->Length)
        return;
    /* Nonpaged: log_read fills it under the ring's spin lock. */
    buffer = ExAllocatePoolWithTag(NonPagedPoolNx, size, SAVE_TAG);
    if (!buffer)
        return;
    ULONG length = log_read(&driver_log, 0, buffer, size);
    registry_write(service_key, MINWDM_SAVED_LOG_VALUE, REG_BINARY, buffer, length);
    ExFreePoolWithTag(buffer, SAVE_TAG);
}

/* 0 in a test build: addresses shown as they are. */
static uint64_t address_key;

MINWDM_INIT_CODE void kernel_log_hide_addresses(void)
{
    LARGE_INTEGER frequency, now = KeQueryPerformanceCounter(&frequency);

    /* Unpredictable enough for a log: the time of the load, and where the stack is. */
    address_key = (uint64_t)now.QuadPart * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&now;
    address_key |= 1; /* never 0 */
}

const void *minwdm_log_address(const void *address)
{
    uint64_t x = (uint64_t)(uintptr_t)address;

    if (!address_key || !address)
        return address;
    x ^= address_key; /* splitmix64's finalizer: every bit of the address moves every bit */
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return (const void *)(uintptr_t)(x ^ (x >> 31));
}
