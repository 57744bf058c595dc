/*
 * minwdm's device contract: the names, I/O control codes and request/response layouts shared by
 * the driver and every user-mode client. It compiles on its own in kernel mode (DDK headers), in
 * user mode (windows.h + winioctl.h) and on any host C11 compiler, so clients and tests need
 * nothing else.
 *
 * Stability rules: codes and struct layouts never change meaning; a new request takes a new
 * function number; any change a client can observe bumps MINWDM_ABI_VERSION.
 *
 * Every code uses METHOD_BUFFERED: the I/O manager copies the caller's buffers into one system
 * buffer before the driver runs and copies back only the `Information` bytes the driver reports.
 * The driver never touches user addresses, so a malicious or racing caller cannot fault it or
 * change data after validation, and no byte it did not write reaches user mode. Requests here are
 * small; the copy costs less than the probing and locking the other methods would need.
 */
#ifndef MINWDM_IOCTL_H
#define MINWDM_IOCTL_H

#include <stdint.h>

/* Version of this contract. 1: GET_VERSION and ECHO. 2: GET_STATS, SELFTEST, FAIL_ALLOC, BENCH.
 * 3: READ_LOG, SET_LOG_LEVEL, the LOG_RING and LOG_DBGPRINT benchmarks. */
#define MINWDM_ABI_VERSION 3u

/* Names. User mode opens MINWDM_DEVICE_PATH; the driver creates the other two. */
#define MINWDM_DEVICE_PATH "\\\\.\\minwdm"
#define MINWDM_DEVICE_PATH_W L"\\\\.\\minwdm"
#define MINWDM_NT_DEVICE_NAME L"\\Device\\minwdm"
#define MINWDM_DOS_DEVICE_NAME L"\\DosDevices\\minwdm"
#define MINWDM_SERVICE_NAME "minwdm"

/* When DriverEntry fails, the driver leaves its NTSTATUS in this REG_DWORD value of its service
 * key (HKLM\SYSTEM\CurrentControlSet\Services\<name>): the SCM reports only a Win32 translation. */
#define MINWDM_LOAD_STATUS_VALUE L"DriverEntryStatus"

/* When the driver unloads, or DriverEntry fails, it leaves its log in this REG_BINARY value of its
 * service key: what IOCTL_MINWDM_READ_LOG with after = 0 would have returned (a struct
 * minwdm_log_batch and its records), so the log outlives the driver. */
#define MINWDM_SAVED_LOG_VALUE L"LastLog"

/* Device type from the vendor range (0x8000-0xFFFF): Windows and Wine leave it to the driver. */
#define MINWDM_DEVICE_TYPE 0x8157u

/* Same layout as the SDK's CTL_CODE(), spelled out so that this header needs no Windows header. */
#define MINWDM_METHOD_BUFFERED 0u
#define MINWDM_FILE_ANY_ACCESS 0u
#define MINWDM_FILE_READ_ACCESS 1u
#define MINWDM_FILE_WRITE_ACCESS 2u
#define MINWDM_CTL_CODE(function, access)                                                    \
    ((uint32_t)((MINWDM_DEVICE_TYPE << 16) | ((uint32_t)(access) << 14) |                    \
                ((uint32_t)(function) << 2) | MINWDM_METHOD_BUFFERED))
#define MINWDM_CTL_FUNCTION(code) (((uint32_t)(code) >> 2) & 0xFFFu)
#define MINWDM_CTL_DEVICE_TYPE(code) ((uint32_t)(code) >> 16)

/*
 * IOCTL_MINWDM_GET_VERSION: output is struct minwdm_version.
 * Output smaller than the struct: STATUS_BUFFER_TOO_SMALL (Win32 error 122), nothing copied.
 * Input is reserved: any input byte fails with STATUS_INVALID_PARAMETER (Win32 error 87).
 */
#define IOCTL_MINWDM_GET_VERSION MINWDM_CTL_CODE(0x800, MINWDM_FILE_READ_ACCESS)

/*
 * IOCTL_MINWDM_ECHO: the output is the input, byte for byte.
 * Input longer than MINWDM_ECHO_MAX: STATUS_INVALID_PARAMETER (Win32 error 87).
 * Output smaller than the input: STATUS_BUFFER_TOO_SMALL (Win32 error 122), nothing copied.
 * Zero input bytes succeed with zero output bytes.
 */
#define IOCTL_MINWDM_ECHO MINWDM_CTL_CODE(0x801, MINWDM_FILE_READ_ACCESS)
#define MINWDM_ECHO_MAX 4096u

/*
 * IOCTL_MINWDM_GET_STATS: output is struct minwdm_stats, the driver allocator's counters.
 * Output smaller than the struct: STATUS_BUFFER_TOO_SMALL. Input must be empty.
 */
#define IOCTL_MINWDM_GET_STATS MINWDM_CTL_CODE(0x802, MINWDM_FILE_READ_ACCESS)

/*
 * IOCTL_MINWDM_SELFTEST: runs the allocator's self tests inside the driver, on an allocator of
 * their own over the pool the driver uses; output is struct minwdm_selftest_result. Input must
 * be empty. Needs a handle opened for writing.
 */
#define IOCTL_MINWDM_SELFTEST \
    MINWDM_CTL_CODE(0x803, MINWDM_FILE_READ_ACCESS | MINWDM_FILE_WRITE_ACCESS)

/*
 * IOCTL_MINWDM_FAIL_ALLOC: input is a uint32_t n; the nth allocation of the driver from now on
 * fails (1 = the next one), as Driver Verifier's low-resources simulation would; 0 turns it
 * off. No output. Any other input length: STATUS_INVALID_PARAMETER. Needs write access.
 */
#define IOCTL_MINWDM_FAIL_ALLOC MINWDM_CTL_CODE(0x804, MINWDM_FILE_WRITE_ACCESS)

/*
 * IOCTL_MINWDM_BENCH: times alloc+free pairs in the driver. Input struct minwdm_bench_request,
 * output struct minwdm_bench_result. Unknown path, iterations of 0 or above
 * MINWDM_BENCH_MAX_ITERATIONS, or a size above MINWDM_BENCH_MAX_SIZE: STATUS_INVALID_PARAMETER.
 * Needs read and write access.
 */
#define IOCTL_MINWDM_BENCH \
    MINWDM_CTL_CODE(0x805, MINWDM_FILE_READ_ACCESS | MINWDM_FILE_WRITE_ACCESS)

/*
 * IOCTL_MINWDM_READ_LOG: input is a uint64_t: the sequence number of the last record the caller
 * has (0: none); output is a struct minwdm_log_batch followed by the records after it, oldest
 * first, as many whole ones as fit (read again after the last one for more). Output smaller than
 * MINWDM_LOG_READ_MIN: STATUS_BUFFER_TOO_SMALL. Any other input length: STATUS_INVALID_PARAMETER.
 */
#define IOCTL_MINWDM_READ_LOG MINWDM_CTL_CODE(0x806, MINWDM_FILE_READ_ACCESS)

/*
 * IOCTL_MINWDM_SET_LOG_LEVEL: input is a uint32_t enum minwdm_log_level: records above it are no
 * longer made. No output. A level above MINWDM_LOG_TRACE, or any other input length:
 * STATUS_INVALID_PARAMETER. Needs write access.
 */
#define IOCTL_MINWDM_SET_LOG_LEVEL MINWDM_CTL_CODE(0x807, MINWDM_FILE_WRITE_ACCESS)

/* Any other code: STATUS_INVALID_DEVICE_REQUEST (Win32 error 1). */

#define MINWDM_BUILD_ID_SIZE 48u

struct minwdm_version {
    uint32_t abi_version;  /* MINWDM_ABI_VERSION the driver was built with */
    uint16_t driver_major; /* the driver's release version */
    uint16_t driver_minor;
    uint16_t driver_patch;
    uint16_t reserved;                   /* zero */
    char build_id[MINWDM_BUILD_ID_SIZE]; /* NUL-terminated: source revision and compiler */
};

/* Which pool the driver's allocator takes memory from. */
#define MINWDM_POOL_EX_ALLOCATE_POOL2 1u   /* Windows 10 2004 and later: zeroed by the pool */
#define MINWDM_POOL_WITH_TAG_NX 2u         /* older kernels and Wine: zeroed by minwdm */

/* Indexes of minwdm_stats.events. */
enum minwdm_memory_event {
    MINWDM_EVENT_DOUBLE_FREE,
    MINWDM_EVENT_OVERRUN,
    MINWDM_EVENT_UNDERRUN,
    MINWDM_EVENT_FOREIGN_FREE,
    MINWDM_EVENT_TAG_MISMATCH,
    MINWDM_EVENT_WRITE_AFTER_FREE,
    MINWDM_EVENT_LEAK,
    MINWDM_EVENT_IRQL,
    MINWDM_EVENT_BAD_REQUEST,
    MINWDM_EVENT_COUNT
};

#define MINWDM_STATS_MAX_CACHES 16u
#define MINWDM_CACHE_NAME_SIZE 16u

struct minwdm_cache_stats {
    char name[MINWDM_CACHE_NAME_SIZE]; /* NUL-terminated */
    uint32_t tag;                      /* pool tag: four characters, first in the low byte */
    uint32_t object_size;
    uint32_t depth;                    /* free objects held */
    uint32_t max_depth;
    uint64_t outstanding;              /* objects handed out and not freed */
    uint64_t allocations;
    uint64_t hits;                     /* allocations served from the free objects */
    uint64_t created;                  /* objects taken from the pool and still held */
};

struct minwdm_stats {
    uint32_t abi_version;
    uint32_t pool;                /* MINWDM_POOL_* */
    uint64_t outstanding_blocks;
    uint64_t outstanding_bytes;   /* requested bytes of live blocks */
    uint64_t peak_bytes;          /* the most bytes held from the pool at once */
    uint64_t allocations;
    uint64_t frees;
    uint64_t failures;            /* allocations that returned nothing, injected ones included */
    uint64_t injected_failures;
    uint64_t pool_bytes;          /* bytes held from the pool, free cached objects included */
    uint64_t events[MINWDM_EVENT_COUNT]; /* detections, by enum minwdm_memory_event */
    uint32_t cache_count;         /* entries used in caches[] */
    uint32_t reserved;            /* zero */
    struct minwdm_cache_stats caches[MINWDM_STATS_MAX_CACHES];
};

#define MINWDM_SELFTEST_TEXT_SIZE 128u

struct minwdm_selftest_result {
    uint32_t passed;
    uint32_t failed;
    char first_failure[MINWDM_SELFTEST_TEXT_SIZE]; /* "file:line" of the first failed check */
};

enum minwdm_bench_path {
    MINWDM_BENCH_POOL,    /* the pool call the allocator replaces, zeroing included */
    MINWDM_BENCH_GENERAL, /* minwdm's general allocator */
    MINWDM_BENCH_CACHE,   /* a fixed-size object cache */
    MINWDM_BENCH_ALIGNED, /* 64-byte aligned blocks */
    MINWDM_BENCH_LOCKED_LIST, /* the floor of any locked cache: a bare free list under a spin
                                 lock, with zeroing, and no checks or counting */
    MINWDM_BENCH_LOG_RING,     /* a typical log record into the ring (size: ignored) */
    MINWDM_BENCH_LOG_DBGPRINT, /* the same record to DbgPrintEx alone */
    MINWDM_BENCH_PATH_COUNT
};

#define MINWDM_BENCH_MAX_ITERATIONS 10000000u
#define MINWDM_BENCH_MAX_SIZE 2048u

struct minwdm_bench_request {
    uint32_t path;       /* enum minwdm_bench_path */
    uint32_t size;       /* bytes per block, 1 to MINWDM_BENCH_MAX_SIZE */
    uint32_t iterations; /* alloc+free pairs */
    uint32_t reserved;   /* zero */
};

struct minwdm_bench_result {
    uint64_t ticks;     /* elapsed, in units of 1/frequency seconds */
    uint64_t frequency; /* ticks per second */
    uint32_t iterations;
    uint32_t reserved;
};

/*
 * Log levels. Level n is sent to DbgPrintEx(DPFLTR_IHVDRIVER_ID, n, ...), so it shows in DebugView
 * when bit n of the IHVDRIVER filter mask is set: errors always, the rest with "Enable Verbose
 * Kernel Output" or the Debug Print Filter registry key (README).
 */
enum minwdm_log_level {
    MINWDM_LOG_ERROR,
    MINWDM_LOG_WARN,
    MINWDM_LOG_INFO,
    MINWDM_LOG_DEBUG,
    MINWDM_LOG_TRACE,
    MINWDM_LOG_LEVEL_COUNT
};

/* The longest line, in bytes: with its newline and NUL it fits DbgPrint's 512-byte limit. Longer
 * lines are cut and end with MINWDM_LOG_CUT_MARKER. */
#define MINWDM_LOG_LINE_MAX 510u
#define MINWDM_LOG_CUT_MARKER " [cut]"

struct minwdm_log_batch {
    uint64_t first_sequence; /* the oldest record the driver still holds */
    uint64_t next_sequence;  /* the number the next record will get (sequences start at 1) */
    uint64_t dropped;        /* records overwritten by newer ones since the driver loaded */
    uint64_t instance;       /* this load of the driver: sequences start again with each */
    uint32_t count;          /* records that follow */
    uint32_t bytes;          /* their bytes */
    uint32_t level;          /* the run-time level now */
    uint32_t floor;          /* the most verbose level the driver was compiled with */
};

/* Each record: this header, then `length` bytes of text (no NUL), then zeros up to a multiple of
 * 8 bytes; the next record follows. */
struct minwdm_log_record {
    uint64_t sequence;
    uint64_t time;   /* 100 ns units since the driver loaded */
    uint32_t level;  /* enum minwdm_log_level */
    uint32_t length; /* text bytes, at most MINWDM_LOG_LINE_MAX */
};

#define MINWDM_LOG_RECORD_SIZE(length) \
    ((uint32_t)sizeof(struct minwdm_log_record) + (((uint32_t)(length) + 7u) & ~7u))
/* Room for the batch header and the longest record: a READ_LOG output at least this large always
 * makes progress. */
#define MINWDM_LOG_READ_MIN \
    ((uint32_t)sizeof(struct minwdm_log_batch) + MINWDM_LOG_RECORD_SIZE(MINWDM_LOG_LINE_MAX))

#ifdef __cplusplus
#define MINWDM_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define MINWDM_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_version) == 60, "struct minwdm_version is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_cache_stats) == 64, "struct minwdm_cache_stats is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_stats) == 72 + 8 * MINWDM_EVENT_COUNT + 8 +
                                                         64 * MINWDM_STATS_MAX_CACHES,
                     "struct minwdm_stats is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_selftest_result) == 136, "selftest result is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_bench_request) == 16, "bench request is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_bench_result) == 24, "bench result is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_log_batch) == 48, "log batch is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_log_record) == 24, "log record is ABI");

#endif /* MINWDM_IOCTL_H */
