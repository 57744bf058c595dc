/*
 * The contract of the minwdm runtime's control device: what every RUNTIME driver serves without
 * writing code for it (the log, the log level, the allocator's numbers, failure injection), and
 * what it leaves in its service key. Shared by the runtime, minwdmctl and any client; it compiles
 * on its own in kernel mode, in user mode and on any host C11 compiler.
 *
 * Each RUNTIME driver has one control device, named after its service:
 *   \Device\minwdm.<service>, opened from user mode as \\.\minwdm.<service>
 * open to SYSTEM and Administrators only. Its requests are METHOD_BUFFERED, like minwdm.sys's
 * (include/minwdm/ioctl.h says why). The driver's own devices and requests are its own: the
 * runtime passes every IRP that is not for the control device to the driver's dispatch routines.
 *
 * Stability rules: codes and struct layouts never change meaning; a new request takes a new
 * function number; any change a client can observe bumps MINWDM_CONTROL_ABI_VERSION.
 */
#ifndef MINWDM_CONTROL_H
#define MINWDM_CONTROL_H

#include <stdint.h>

/* 1: GET_INFO, GET_STATS, FAIL_ALLOC, READ_LOG, SET_LOG_LEVEL, LIST_TESTS, RUN_TEST; the unload
 * report; the pending list of verified builds (a value added later: old readers never see it). */
#define MINWDM_CONTROL_ABI_VERSION 1u

/* "minwdm." + the service name: \Device\minwdm.<service>, \DosDevices\minwdm.<service>. */
#define MINWDM_CONTROL_PREFIX "minwdm."
#define MINWDM_CONTROL_PREFIX_W L"minwdm."
/* The longest service name (UTF-16 units) of a RUNTIME driver: its control device's name,
 * "minwdm." and the whole service name, never cut (two services never share one), is one name
 * component of at most 255 characters, which Win32 opens (Wine refuses longer ones). A RUNTIME
 * driver under a longer service name fails to load with STATUS_NAME_TOO_LONG; minwdmctl refuses
 * such a name before installing anything. */
#define MINWDM_CONTROL_NAME_MAX 248u

/* The same layout as the SDK's CTL_CODE(), spelled out so that no Windows header is needed. */
#define MINWDM_METHOD_BUFFERED 0u
#define MINWDM_FILE_ANY_ACCESS 0u
#define MINWDM_FILE_READ_ACCESS 1u
#define MINWDM_FILE_WRITE_ACCESS 2u
#define MINWDM_CTL_CODE_OF(type, function, access)                                           \
    ((uint32_t)(((uint32_t)(type) << 16) | ((uint32_t)(access) << 14) |                      \
                ((uint32_t)(function) << 2) | MINWDM_METHOD_BUFFERED))
#define MINWDM_CTL_FUNCTION(code) (((uint32_t)(code) >> 2) & 0xFFFu)
#define MINWDM_CTL_DEVICE_TYPE(code) ((uint32_t)(code) >> 16)

/* From the vendor range (0x8000-0xFFFF), which Windows and Wine leave to drivers. */
#define MINWDM_CONTROL_DEVICE_TYPE 0x8156u
#define MINWDM_CONTROL_CODE(function, access) \
    MINWDM_CTL_CODE_OF(MINWDM_CONTROL_DEVICE_TYPE, function, access)

/*
 * IOCTL_MINWDM_CONTROL_GET_INFO: output is struct minwdm_control_info. Input must be empty;
 * output smaller than the struct: STATUS_BUFFER_TOO_SMALL.
 */
#define IOCTL_MINWDM_CONTROL_GET_INFO MINWDM_CONTROL_CODE(0x900, MINWDM_FILE_READ_ACCESS)

/* IOCTL_MINWDM_CONTROL_GET_STATS: output is struct minwdm_stats, as IOCTL_MINWDM_GET_STATS. */
#define IOCTL_MINWDM_CONTROL_GET_STATS MINWDM_CONTROL_CODE(0x901, MINWDM_FILE_READ_ACCESS)

/* IOCTL_MINWDM_CONTROL_FAIL_ALLOC: input is a uint32_t n, as IOCTL_MINWDM_FAIL_ALLOC. */
#define IOCTL_MINWDM_CONTROL_FAIL_ALLOC MINWDM_CONTROL_CODE(0x902, MINWDM_FILE_WRITE_ACCESS)

/* IOCTL_MINWDM_CONTROL_READ_LOG: input uint64_t after, output a struct minwdm_log_batch and
 * records, as IOCTL_MINWDM_READ_LOG. */
#define IOCTL_MINWDM_CONTROL_READ_LOG MINWDM_CONTROL_CODE(0x903, MINWDM_FILE_READ_ACCESS)

/* IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL: input uint32_t level, as IOCTL_MINWDM_SET_LOG_LEVEL. */
#define IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL MINWDM_CONTROL_CODE(0x904, MINWDM_FILE_WRITE_ACCESS)

/*
 * IOCTL_MINWDM_CONTROL_LIST_TESTS: input is a uint32_t index; output is struct
 * minwdm_test_entry: how many kernel tests the driver has and the name of test `index`. An index
 * at or past the count answers with the count and an empty name. A driver built without tests
 * (a release build): STATUS_INVALID_DEVICE_REQUEST. Input not 4 bytes: STATUS_INVALID_PARAMETER.
 */
#define IOCTL_MINWDM_CONTROL_LIST_TESTS MINWDM_CONTROL_CODE(0x905, MINWDM_FILE_READ_ACCESS)

/*
 * IOCTL_MINWDM_CONTROL_RUN_TEST: input is the test's name (1 to MINWDM_TEST_NAME_SIZE - 1 bytes,
 * no NUL needed); runs it at PASSIVE_LEVEL in the calling thread and answers with struct
 * minwdm_test_result. An unknown name: STATUS_OBJECT_NAME_NOT_FOUND. Output smaller than the
 * struct: STATUS_BUFFER_TOO_SMALL. Release builds: STATUS_INVALID_DEVICE_REQUEST. Needs write
 * access (a test changes the driver's state).
 */
#define IOCTL_MINWDM_CONTROL_RUN_TEST \
    MINWDM_CONTROL_CODE(0x906, MINWDM_FILE_READ_ACCESS | MINWDM_FILE_WRITE_ACCESS)

/* Any other code: STATUS_INVALID_DEVICE_REQUEST (Win32 error 1). */

/* The runtime's saved values (the three below) live in this subkey of the driver's service key
 * (HKLM\SYSTEM\CurrentControlSet\Services\<name>\MinwdmSaved), which the runtime creates readable
 * and writable by SYSTEM and Administrators only (a protected DACL: nothing inherited): the log
 * may tell what a driver saw, and the service key itself is readable by every user. */
#define MINWDM_SAVED_SUBKEY L"MinwdmSaved"
#define MINWDM_SAVED_SDDL L"D:P(A;;0xF003F;;;SY)(A;;0xF003F;;;BA)" /* KEY_ALL_ACCESS */

/* When DriverEntry fails, the driver leaves its NTSTATUS in this REG_DWORD value of its saved
 * key (MINWDM_SAVED_SUBKEY): the SCM reports only a Win32 translation. */
#define MINWDM_LOAD_STATUS_VALUE L"DriverEntryStatus"

/* When the driver unloads, or DriverEntry fails, it leaves its log in this REG_BINARY value of its
 * saved key: what IOCTL_MINWDM_READ_LOG with after = 0 would have returned (a struct
 * minwdm_log_batch and its records), so the log outlives the driver. */
#define MINWDM_SAVED_LOG_VALUE L"LastLog"

/* At unload the runtime leaves what it found in this REG_BINARY value of the saved key: a
 * struct minwdm_unload_report. minwdmctl and the test runner read it after a stop. */
#define MINWDM_UNLOAD_REPORT_VALUE L"LastUnload"
/* flags: written before the driver's DriverUnload runs, and cleared by the report written once it
 * returned: a report still carrying it means the unload never finished (its host crashed). */
#define MINWDM_UNLOAD_STARTED 1u

/* A verified build (docs/verifier.md) keeps the requests its dispatch routines hold pending in
 * this REG_BINARY value of the saved key: a struct minwdm_pending_irps, then `count` struct
 * minwdm_pending_irp. A thread of the verifier, started when a request first goes pending,
 * rewrites it within MINWDM_PENDING_IRPS_PERIOD_MS of a change. minwdmctl reads it when a kernel
 * test or a client does not finish. A value, not a control request: under Wine one thread
 * dispatches every request of the driver host, and a kernel test that never returns holds it. */
#define MINWDM_PENDING_IRPS_VALUE L"PendingIrps"
#define MINWDM_PENDING_IRPS_MAX 64u
#define MINWDM_PENDING_IRPS_PERIOD_MS 250u

struct minwdm_pending_irps {
    uint32_t abi_version; /* MINWDM_CONTROL_ABI_VERSION */
    uint32_t count;       /* entries that follow, at most MINWDM_PENDING_IRPS_MAX */
    uint32_t total;       /* requests pending: more than count when the list is cut */
    uint32_t reserved;    /* zero */
    uint64_t instance;    /* the load it describes: minwdm_control_info.instance */
};

struct minwdm_pending_irp {
    uint64_t since;          /* when its dispatch routine got it: QueryPerformanceCounter's clock
                              * (KeQueryPerformanceCounter's), in 100 ns units */
    uint32_t dispatch;       /* the dispatch routine's offset in the driver's image */
    uint32_t code;           /* the IOCTL code of a (internal) device control request, else 0 */
    uint8_t major;           /* IRP_MJ_* */
    uint8_t cancel_routine;  /* 1: it has a cancel routine */
    uint8_t reserved[6];     /* zero */
};

/* Which pool the driver's allocator takes memory from. */
#define MINWDM_POOL_EX_ALLOCATE_POOL2 1u   /* Windows 10 2004 and later: zeroed by the pool */
#define MINWDM_POOL_WITH_TAG_NX 2u         /* older kernels and Wine 8: zeroed by minwdm */
#define MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED 3u /* ExAllocatePool2 that may not zero (Wine 9.1
                                                   * and later): zeroed by minwdm */

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

#define MINWDM_DRIVER_NAME_SIZE 32u

struct minwdm_control_info {
    uint32_t abi_version;                  /* MINWDM_CONTROL_ABI_VERSION of the runtime */
    uint32_t pool;                         /* MINWDM_POOL_* */
    uint64_t instance;                     /* this load: the log's instance */
    char name[MINWDM_DRIVER_NAME_SIZE];    /* the driver's name in its log lines, NUL-terminated */
};

#define MINWDM_TEST_NAME_SIZE 64u
#define MINWDM_TEST_TEXT_SIZE 3968u

struct minwdm_test_entry {
    uint32_t count;                   /* kernel tests in the driver */
    uint32_t index;                   /* the one named here */
    char name[MINWDM_TEST_NAME_SIZE]; /* NUL-terminated; empty past the last test */
};

enum minwdm_test_outcome { MINWDM_TEST_PASSED, MINWDM_TEST_FAILED, MINWDM_TEST_SKIPPED };

struct minwdm_test_result {
    uint32_t outcome;        /* enum minwdm_test_outcome */
    uint32_t checks;         /* EXPECT_ and ASSERT_ evaluated */
    uint32_t failures;       /* of them, failed (a leak or a wrong IRQL counts as one too) */
    uint32_t text_length;    /* bytes of text, without its NUL */
    uint64_t leaked_blocks;  /* blocks the test allocated and left behind (freed after it) */
    uint64_t time;           /* 100 ns units the test took */
    /* Lines "file:line: what happened", each ending with '\n', NUL-terminated; cut with
     * " [cut]\n" when full. */
    char text[MINWDM_TEST_TEXT_SIZE];
};

/* What the runtime found when the driver unloaded (after the driver's own unload ran). */
struct minwdm_unload_report {
    uint32_t abi_version;             /* MINWDM_CONTROL_ABI_VERSION */
    uint32_t flags;                   /* MINWDM_UNLOAD_* */
    uint64_t instance;                /* the load it reports on */
    uint64_t leaked_blocks;           /* blocks still out, reported and freed by the runtime */
    uint64_t leaked_bytes;
    uint64_t events[MINWDM_EVENT_COUNT]; /* detections over the whole load */
};

/*
 * Log levels. Level n is sent to DbgPrintEx(DPFLTR_IHVDRIVER_ID, n, ...), so it shows in DebugView
 * when bit n of the IHVDRIVER filter mask is set: errors always, the rest with "Enable Verbose
 * Kernel Output" or the Debug Print Filter registry key (docs/log.md).
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
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_cache_stats) == 64, "struct minwdm_cache_stats is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_stats) == 72 + 8 * MINWDM_EVENT_COUNT + 8 +
                                                         64 * MINWDM_STATS_MAX_CACHES,
                     "struct minwdm_stats is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_control_info) == 48, "control info is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_unload_report) == 32 + 8 * MINWDM_EVENT_COUNT,
                     "unload report is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_test_entry) == 72, "test entry is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_pending_irps) == 24, "pending list header is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_pending_irp) == 24, "pending list entry is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_test_result) == 4000, "test result is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_log_batch) == 48, "log batch is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_log_record) == 24, "log record is ABI");

#endif /* MINWDM_CONTROL_H */
