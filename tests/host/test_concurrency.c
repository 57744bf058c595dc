/*
 * The request core (src/minwdm/core) and the runtime's control core (src/runtime/core) served
 * from several threads at once, over one allocator and one log, as Windows may run a driver's
 * dispatch routines on several CPUs. Wine 8's driver host serves one request at a time
 * (wine.hardening measures it), so this is where the cores' locks meet each other: built with
 * ASan and UBSan (host.concurrency), and with TSan (host.concurrency_tsan).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "core/bench.h"
#include "core/control.h"
#include "core/request.h"
#include "host_lock.h"
#include "mem_host.h"

#ifndef ITERATIONS
#define ITERATIONS 2000 /* per thread */
#endif
#define THREADS 4
#define OUT_SIZE (sizeof(struct minwdm_stats) + 64)

static struct mem_host host;
static struct mem_allocator memory;
static struct logger log;
static uint64_t log_storage[512]; /* 4 KiB: the threads' records overwrite each other often */
static struct minwdm_device device;
static struct runtime_control control = {&memory, &log, MINWDM_POOL_WITH_TAG_NX, NULL};

struct worker {
    uint64_t rng;
    unsigned requests, errors;
    char first_error[160];
    unsigned char in[512], out[OUT_SIZE];
};

static uint64_t real_clock(uint64_t *frequency)
{
    struct timespec t;

    if (frequency)
        *frequency = 1000000000u;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t no_time(void)
{
    return 0;
}

static uint32_t next_random(struct worker *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return (uint32_t)(w->rng >> 16);
}

static void error(struct worker *w, const char *what, uint32_t code, minwdm_status status)
{
    if (!w->errors++)
        snprintf(w->first_error, sizeof(w->first_error), "%s: code 0x%08X, status 0x%08X", what,
                 (unsigned)code, (unsigned)status);
}

static minwdm_status send(struct worker *w, int to_control, uint32_t code, const void *input,
                          uint32_t in_length, uint32_t out_length, uint32_t *written)
{
    struct minwdm_request r = {code, input, in_length, w->out, out_length};

    w->requests++;
    memset(w->out, 0xA5, sizeof(w->out));
    return to_control ? control_handle_request(&control, &r, written)
                      : minwdm_handle_request(&device, &r, written);
}

/* A batch as READ_LOG returns it: whole records after `after`, in order. */
static int valid_batch(const unsigned char *out, uint32_t written, uint64_t after)
{
    struct minwdm_log_batch b;
    uint32_t offset = sizeof(b);
    uint64_t last = after;

    memcpy(&b, out, sizeof(b));
    if (written < sizeof(b) || b.bytes != written - sizeof(b) || b.level > MINWDM_LOG_TRACE)
        return 0;
    for (uint32_t i = 0; i < b.count; i++) {
        struct minwdm_log_record r;
        if (written - offset < sizeof(r))
            return 0;
        memcpy(&r, out + offset, sizeof(r));
        if (r.sequence <= last || r.length > MINWDM_LOG_LINE_MAX ||
            written - offset < MINWDM_LOG_RECORD_SIZE(r.length))
            return 0;
        last = r.sequence;
        offset += MINWDM_LOG_RECORD_SIZE(r.length);
    }
    return offset == written && (!b.count || last < b.next_sequence);
}

static void echo_request(struct worker *w)
{
    uint32_t length = next_random(w) % 257, room = length + next_random(w) % 16, written;

    for (uint32_t i = 0; i < length; i++)
        w->in[i] = (unsigned char)next_random(w);
    minwdm_status status = send(w, 0, IOCTL_MINWDM_ECHO, w->in, length, room, &written);
    if (status != MINWDM_STATUS_SUCCESS || written != length ||
        memcmp(w->out, w->in, length) != 0 || (room > length && w->out[length] != 0xA5))
        error(w, "echo", IOCTL_MINWDM_ECHO, status);
}

static void version_request(struct worker *w)
{
    uint32_t written;
    minwdm_status status = send(w, 0, IOCTL_MINWDM_GET_VERSION, NULL, 0,
                                sizeof(struct minwdm_version), &written);

    if (status != MINWDM_STATUS_SUCCESS ||
        memcmp(w->out, &device.version, sizeof(device.version)) != 0)
        error(w, "version", IOCTL_MINWDM_GET_VERSION, status);
}

static void stats_request(struct worker *w, int to_control)
{
    uint32_t code = to_control ? IOCTL_MINWDM_CONTROL_GET_STATS : IOCTL_MINWDM_GET_STATS, written;
    minwdm_status status = send(w, to_control, code, NULL, 0, sizeof(struct minwdm_stats),
                                &written);
    struct minwdm_stats s;

    memcpy(&s, w->out, sizeof(s));
    if (status != MINWDM_STATUS_SUCCESS || written != sizeof(s) ||
        s.cache_count > MINWDM_STATS_MAX_CACHES || s.pool != MINWDM_POOL_WITH_TAG_NX)
        error(w, "stats", code, status);
}

static void read_log_request(struct worker *w)
{
    uint64_t after = next_random(w) % 2 ? 0 : next_random(w) % 4096;
    uint32_t written;
    minwdm_status status = send(w, 1, IOCTL_MINWDM_CONTROL_READ_LOG, &after, sizeof(after),
                                OUT_SIZE, &written);

    if (status != MINWDM_STATUS_SUCCESS || !valid_batch(w->out, written, after))
        error(w, "read log", IOCTL_MINWDM_CONTROL_READ_LOG, status);
}

/* Levels and failure injection change what the other threads' requests do, not whether they
 * are served correctly. */
static void setting_request(struct worker *w)
{
    int level = (next_random(w) & 1) != 0;
    uint32_t value = level ? next_random(w) % MINWDM_LOG_LEVEL_COUNT : next_random(w) % 4;
    uint32_t code = level ? IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL : IOCTL_MINWDM_CONTROL_FAIL_ALLOC;
    uint32_t written;
    minwdm_status status = send(w, 1, code, &value, sizeof(value), 0, &written);

    if (status != MINWDM_STATUS_SUCCESS)
        error(w, "setting", code, status);
}

/* What allocates may meet an injected failure: it must fail cleanly. */
static void bench_request(struct worker *w)
{
    struct minwdm_bench_request q = {next_random(w) % MINWDM_BENCH_PATH_COUNT,
                                     1 + next_random(w) % 256, 20, 0};
    uint32_t written;
    minwdm_status status = send(w, 0, IOCTL_MINWDM_BENCH, &q, sizeof(q),
                                sizeof(struct minwdm_bench_result), &written);

    if (status != MINWDM_STATUS_INSUFFICIENT_RESOURCES &&
        (status != MINWDM_STATUS_SUCCESS || written != sizeof(struct minwdm_bench_result)))
        error(w, "bench", IOCTL_MINWDM_BENCH, status);
}

static void selftest_request(struct worker *w)
{
    struct minwdm_selftest_result r;
    uint32_t written;
    minwdm_status status = send(w, 0, IOCTL_MINWDM_SELFTEST, NULL, 0, sizeof(r), &written);

    memcpy(&r, w->out, sizeof(r));
    if (status != MINWDM_STATUS_INSUFFICIENT_RESOURCES &&
        (status != MINWDM_STATUS_SUCCESS || r.failed != 0))
        error(w, "selftest", IOCTL_MINWDM_SELFTEST, status);
}

/* The driver's own code allocates from the same allocator meanwhile. */
static void driver_allocation(struct worker *w)
{
    uint32_t size = 1 + next_random(w) % 3000;
    unsigned char *p = mem_alloc(&memory, size, MEM_TAG('C', 'o', 'n', 'c'), MEM_NONPAGED,
                                 MEM_SITE);

    w->requests++;
    if (p) {
        p[0] = p[size - 1] = 1;
        mem_free(&memory, p, MEM_TAG('C', 'o', 'n', 'c'));
    }
}

static pthread_barrier_t start_line;

static void *work(void *argument)
{
    struct worker *w = argument;

    pthread_barrier_wait(&start_line); /* all at once */
    for (int i = 0; i < ITERATIONS; i++) {
        uint32_t choice = next_random(w) % 64;
        if (choice < 16)
            echo_request(w);
        else if (choice < 22)
            version_request(w);
        else if (choice < 30)
            stats_request(w, (choice & 1) != 0);
        else if (choice < 42)
            read_log_request(w);
        else if (choice < 45)
            setting_request(w);
        else if (choice < 52)
            bench_request(w);
        else if (choice == 52 && i % 8 == 0)
            selftest_request(w);
        else
            driver_allocation(w);
    }
    return NULL;
}

/* The whole log, read as minwdmctl reads it: every batch valid, nothing lost but what the ring
 * says it dropped. */
static void check_log(void)
{
    static unsigned char out[OUT_SIZE];
    struct minwdm_log_batch b;
    uint64_t after = 0;
    uint32_t written;

    for (;;) {
        struct minwdm_request r = {IOCTL_MINWDM_CONTROL_READ_LOG, &after, sizeof(after), out,
                                   sizeof(out)};
        CHECK_EQ(control_handle_request(&control, &r, &written), MINWDM_STATUS_SUCCESS);
        CHECK(valid_batch(out, written, after));
        memcpy(&b, out, sizeof(b));
        if (after == 0)
            CHECK_EQ(b.dropped, b.first_sequence - 1);
        if (!b.count)
            break;
        struct minwdm_log_record last;
        uint32_t offset = sizeof(b), last_offset = offset;
        for (uint32_t i = 0; i < b.count; i++) {
            memcpy(&last, out + offset, sizeof(last));
            last_offset = offset;
            offset += MINWDM_LOG_RECORD_SIZE(last.length);
        }
        memcpy(&last, out + last_offset, sizeof(last));
        after = last.sequence;
    }
    CHECK_EQ(after, b.next_sequence - 1);
}

int main(void)
{
    static struct worker workers[THREADS];
    pthread_t ids[THREADS];
    struct mem_stats s;
    unsigned requests = 0;

    mem_host_init(&host, 0);
    host.quiet = 1;
    mem_init(&memory, &host.platform);
    struct log_platform platform = {host_lock_ops, no_time, NULL, NULL, NULL};
    log_init(&log, "concurrency", &platform, log_storage, sizeof(log_storage), 1);
    minwdm_device_init(&device, 0, 1, 0, "host");
    device.memory = &memory;
    device.log = &log;
    device.pool = MINWDM_POOL_WITH_TAG_NX;
    device.bench = minwdm_bench;
    device.clock = real_clock;

    pthread_barrier_init(&start_line, NULL, THREADS);
    for (int i = 0; i < THREADS; i++) {
        workers[i].rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
        CHECK(pthread_create(&ids[i], NULL, work, &workers[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(ids[i], NULL) == 0);
        CHECK_EQ(workers[i].errors, 0);
        if (workers[i].errors)
            fprintf(stderr, "thread %d: %u errors, the first: %s\n", i, workers[i].errors,
                    workers[i].first_error);
        requests += workers[i].requests;
    }
    pthread_barrier_destroy(&start_line);
    printf("%d threads, %u requests and allocations\n", THREADS, requests);

    mem_fail_nth(&memory, 0);
    mem_stats(&memory, &s, NULL, NULL);
    CHECK_EQ(s.outstanding_blocks, 0);
    for (int e = 0; e < MEM_EVENT_COUNT; e++)
        CHECK_EQ(s.events[e], 0);
    check_log();
    CHECK_EQ(mem_destroy(&memory), 0);
    CHECK_EQ(host.pool_allocs, host.pool_frees);
    return check_done("test_concurrency");
}
