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

#include "control.h" /* the runtime's contract: log, statistics, levels, saved values */

/* Version of this contract. 1: GET_VERSION and ECHO. 2: GET_STATS, SELFTEST, FAIL_ALLOC, BENCH.
 * 3: READ_LOG, SET_LOG_LEVEL, the LOG_RING and LOG_DBGPRINT benchmarks. 4: the runtime's control
 * device (control.h) serves the log, the level, the statistics and failure injection of every
 * minwdm driver; 0x802, 0x804, 0x806 and 0x807 stay here for older clients. */
#define MINWDM_ABI_VERSION 4u

/* Names. User mode opens MINWDM_DEVICE_PATH; the driver creates the other two. */
#define MINWDM_DEVICE_PATH "\\\\.\\minwdm"
#define MINWDM_DEVICE_PATH_W L"\\\\.\\minwdm"
#define MINWDM_NT_DEVICE_NAME L"\\Device\\minwdm"
#define MINWDM_DOS_DEVICE_NAME L"\\DosDevices\\minwdm"
#define MINWDM_SERVICE_NAME "minwdm"



/* Device type from the vendor range (0x8000-0xFFFF): Windows and Wine leave it to the driver. */
#define MINWDM_DEVICE_TYPE 0x8157u

/* minwdm.sys's codes: CTL_CODE(MINWDM_DEVICE_TYPE, function, access, METHOD_BUFFERED). */
#define MINWDM_CTL_CODE(function, access) MINWDM_CTL_CODE_OF(MINWDM_DEVICE_TYPE, function, access)

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


MINWDM_STATIC_ASSERT(sizeof(struct minwdm_version) == 60, "struct minwdm_version is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_selftest_result) == 136, "selftest result is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_bench_request) == 16, "bench request is ABI");
MINWDM_STATIC_ASSERT(sizeof(struct minwdm_bench_result) == 24, "bench result is ABI");

#endif /* MINWDM_IOCTL_H */
