/*
 * The running driver against hostile and unlucky callers, under Wine (prints TAP):
 *   hardening fuzz <seed> <requests>   random requests: codes inside and outside minwdm's
 *                                      range, lengths 0 to 64 KiB, random contents; then the
 *                                      driver still answers, its numbers add up, nothing leaked
 *   hardening handles <count>          many handles, closed in odd orders
 *   hardening stop-race <cycles>       requests on fresh handles while the driver stops and
 *                                      starts again
 *   hardening low-memory               every allocation of each request path failed in turn
 *                                      (a benchmark build of the driver)
 *   hardening concurrency <threads> <requests>
 *                                      timed benchmark requests from several threads at once
 *                                      (a benchmark build): does the driver host serve them at
 *                                      the same time?
 * Every request also checks that nothing came back past what the driver reported, and that
 * what did come back is the same when the same request is sent again.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "check.h"
#include "ctl_contract.h"
#include "ctl_device.h"
#include "ctl_service.h"

#define MAX_IO 65536u
#define STATUS_INSUFFICIENT_RESOURCES ((LONG)0xC000009A)

static uint64_t rng;

static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Mostly small lengths, some up to 64 KiB. */
static DWORD random_length(void)
{
    switch (next_random() % 4) {
    case 0:
        return 0;
    case 1:
        return next_random() % 64;
    case 2:
        return next_random() % 4096;
    default:
        return next_random() % (MAX_IO + 1);
    }
}

/*
 * A code: one of minwdm's (maybe with other access bits), another function or method of its
 * device type, or another vendor or the generic device type. Device types Wine serves itself
 * (disks, serial ports...) never reach a driver and are left out (PLATFORM.md).
 */
static DWORD random_code(void)
{
    static const DWORD ours[] = {
        IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO,     IOCTL_MINWDM_GET_STATS,
        IOCTL_MINWDM_SELFTEST,    IOCTL_MINWDM_FAIL_ALLOC, IOCTL_MINWDM_BENCH,
        IOCTL_MINWDM_READ_LOG,    IOCTL_MINWDM_SET_LOG_LEVEL};
    uint32_t r = next_random();

    switch (r % 4) {
    case 0:
    case 1:
        return ours[(r >> 2) % (sizeof(ours) / sizeof(ours[0]))];
    case 2:
        return MINWDM_CTL_CODE(next_random() & 0xFFFu, next_random() & 3u) | (next_random() & 3u);
    default:
        return ((r & 1 ? 0x22u : 0x8000u | (next_random() & 0x7FFFu)) << 16) |
               (next_random() & 0xFFFFu);
    }
}

static LONG send(HANDLE device, DWORD code, const BYTE *in, DWORD in_length, BYTE *out,
                 DWORD out_length, BYTE pattern, DWORD *returned)
{
    memset(out, pattern, MAX_IO);
    return ctl_device_request(device, code, in, in_length, out, out_length, returned);
}

static int stats(HANDLE device, struct minwdm_stats *s)
{
    return ctl_device_query(device, IOCTL_MINWDM_GET_STATS, s, sizeof(*s)) == 0;
}

static int no_detections(const struct minwdm_stats *s)
{
    for (unsigned e = 0; e < MINWDM_EVENT_COUNT; e++)
        if (s->events[e])
            return 0;
    return 1;
}

static int fuzz(uint64_t seed, int requests)
{
    static BYTE in[MAX_IO], first[MAX_IO], second[MAX_IO];
    struct minwdm_stats before = {0}, after = {0};
    struct minwdm_version v;
    DWORD error, returned[2];
    int past_end = 0, differ = 0, reported_more = 0, served = 0;
    HANDLE device = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);

    rng = seed ? seed : 1;
    CHECK(device != INVALID_HANDLE_VALUE && stats(device, &before));
    for (int i = 0; i < requests; i++) {
        DWORD code = random_code(), in_length = random_length(), out_length = random_length();
        if (MINWDM_CTL_DEVICE_TYPE(code) == MINWDM_DEVICE_TYPE && next_random() % 2) {
            /* lengths a request of ours can take, so that validation lets more through */
            static const DWORD plausible[] = {0, 4, 8, 16};
            in_length = plausible[next_random() % 4];
            out_length = next_random() % 2 ? MAX_IO : next_random() % 2048;
        }
        for (DWORD k = 0; k < in_length; k++)
            in[k] = (BYTE)next_random();
        if (code == IOCTL_MINWDM_SELFTEST && (next_random() % 8))
            in_length = 1; /* the full self test is slow: run it now and then, refuse it else */
        LONG s1 = send(device, code, in, in_length, first, out_length, 0xA5, &returned[0]);
        LONG s2 = send(device, code, in, in_length, second, out_length, 0x5A, &returned[1]);
        served += s1 >= 0;
        reported_more += returned[0] > out_length || returned[1] > out_length;
        /* Requests that change state may answer differently the second time; the rest not. */
        if (code != IOCTL_MINWDM_FAIL_ALLOC && code != IOCTL_MINWDM_SET_LOG_LEVEL &&
            (s1 != s2 || returned[0] != returned[1] ||
             memcmp(first, second, returned[0] < out_length ? returned[0] : out_length) != 0))
            differ++;
        for (DWORD k = returned[0]; k < out_length; k++)
            past_end += first[k] != 0xA5 || second[k] != 0x5A;
    }
    /* Undo what the requests may have set: failure injection and the log level. */
    uint32_t off = 0, info = MINWDM_LOG_INFO;
    ctl_device_request(device, IOCTL_MINWDM_FAIL_ALLOC, &off, sizeof(off), NULL, 0, &returned[0]);
    ctl_device_request(device, IOCTL_MINWDM_SET_LOG_LEVEL, &info, sizeof(info), NULL, 0,
                       &returned[0]);
    printf("# %d requests (seed %llu), %d served\n", requests, (unsigned long long)seed, served);
    CHECK(reported_more == 0);
    CHECK(past_end == 0);
    CHECK(differ == 0);
    CHECK(served > 0 && served < requests);
    /* The driver still answers, and holds what it held before. */
    CHECK(ctl_device_version(device, &v) == 0 && v.abi_version == MINWDM_ABI_VERSION);
    CHECK(stats(device, &after));
    CHECK(after.outstanding_blocks == before.outstanding_blocks);
    CHECK(after.outstanding_bytes == before.outstanding_bytes);
    CHECK(no_detections(&after));
    CHECK(after.allocations - after.frees == before.allocations - before.frees);
    CloseHandle(device);
    return check_done("hardening fuzz");
}

/* The handle cache's count of contexts out: one per open handle. */
static uint64_t open_handles(HANDLE device)
{
    struct minwdm_stats s;

    if (!stats(device, &s))
        return UINT64_MAX;
    for (uint32_t i = 0; i < s.cache_count && i < MINWDM_STATS_MAX_CACHES; i++)
        if (strcmp(s.caches[i].name, "handles") == 0)
            return s.caches[i].outstanding;
    return UINT64_MAX;
}

static int handles(int count)
{
    HANDLE *h = calloc((size_t)count, sizeof(*h));
    struct minwdm_version v;
    DWORD error;
    int answered = 0;
    HANDLE watcher = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);

    CHECK(h && watcher != INVALID_HANDLE_VALUE);
    for (int i = 0; h && i < count; i++) {
        h[i] = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);
        answered += h[i] != INVALID_HANDLE_VALUE && ctl_device_version(h[i], &v) == 0;
    }
    CHECK(answered == count);
    CHECK(open_handles(watcher) == (uint64_t)count + 1);
    /* Odd orders: every third, then the rest from the end, each still answering until closed. */
    for (int pass = 0; h && pass < 2; pass++) {
        for (int i = pass ? count - 1 : 0; pass ? i >= 0 : i < count; i += pass ? -1 : 3) {
            if (h[i] == INVALID_HANDLE_VALUE)
                continue;
            CloseHandle(h[i]);
            h[i] = INVALID_HANDLE_VALUE;
        }
        int still = 0;
        for (int i = 0; i < count; i++)
            still += h[i] != INVALID_HANDLE_VALUE && ctl_device_version(h[i], &v) == 0;
        CHECK(open_handles(watcher) == (uint64_t)still + 1);
    }
    CHECK(open_handles(watcher) == 1);
    CloseHandle(watcher);
    free(h);
    return check_done("hardening handles");
}

static volatile LONG racing = 1;
static volatile LONG answered_during, refused_during, other_during;

/* Fresh handle, one request, close: as fast as possible while the main thread stops and starts
 * the driver. Each attempt must be served or cleanly refused. */
static DWORD WINAPI requester(void *unused)
{
    (void)unused;
    while (racing) {
        DWORD error;
        struct minwdm_version v;
        HANDLE device = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);
        if (device == INVALID_HANDLE_VALUE) {
            int gone = error == ERROR_FILE_NOT_FOUND; /* the device is not there right now */
            InterlockedIncrement(gone ? &refused_during : &other_during);
            continue;
        }
        LONG status = ctl_device_version(device, &v);
        InterlockedIncrement(status == 0 && v.abi_version == MINWDM_ABI_VERSION
                                 ? &answered_during
                                 : &refused_during);
        CloseHandle(device);
    }
    return 0;
}

static int stop_race(int cycles)
{
    struct ctl_result r;
    struct minwdm_version v;
    DWORD error;
    int worked = 0;
    HANDLE thread = CreateThread(NULL, 0, requester, NULL, 0, NULL);

    CHECK(thread != NULL);
    for (int i = 0; i < cycles; i++) {
        Sleep(20);
        int ok = ctl_service_stop(L"minwdm", 15000, &r) && r.outcome == CTL_STOPPED;
        Sleep(20);
        ok = ctl_service_start(L"minwdm", 15000, &r) && r.outcome == CTL_STARTED && ok;
        worked += ok;
    }
    InterlockedExchange(&racing, 0);
    WaitForSingleObject(thread, 30000);
    CloseHandle(thread);
    printf("# %ld requests answered, %ld refused cleanly, %ld other outcomes\n",
           (long)answered_during, (long)refused_during, (long)other_during);
    CHECK(worked == cycles);
    CHECK(answered_during > 0);
    CHECK(other_during == 0);
    HANDLE device = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);
    CHECK(device != INVALID_HANDLE_VALUE && ctl_device_version(device, &v) == 0);
    CHECK(open_handles(device) == 1);
    if (device != INVALID_HANDLE_VALUE)
        CloseHandle(device);
    return check_done("hardening stop-race");
}

static LONG fail_nth(HANDLE device, uint32_t nth)
{
    DWORD returned;

    return ctl_device_request(device, IOCTL_MINWDM_FAIL_ALLOC, &nth, sizeof(nth), NULL, 0,
                              &returned);
}

/* Every allocation of every benchmark path, then of an open, made to fail in turn (the driver
 * must be a benchmark build): each failure is a clean STATUS_INSUFFICIENT_RESOURCES, nothing
 * leaks, and the driver keeps working. */
static int low_memory(void)
{
    struct minwdm_stats base = {0}, before = {0}, after = {0};
    struct minwdm_bench_result result;
    struct minwdm_selftest_result selftest;
    struct minwdm_version v;
    DWORD error, returned;
    HANDLE device = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);

    CHECK(device != INVALID_HANDLE_VALUE && stats(device, &base));
    for (uint32_t path = 0; path < MINWDM_BENCH_PATH_COUNT; path++) {
        struct minwdm_bench_request q = {path, 64, 100, 0};
        int failures = 0, other = 0, leaked = 0, done = 0;
        for (uint32_t nth = 1; nth <= 64 && !done; nth++) {
            fail_nth(device, nth);
            stats(device, &before);
            LONG status = ctl_device_request(device, IOCTL_MINWDM_BENCH, &q, sizeof(q), &result,
                                             sizeof(result), &returned);
            stats(device, &after);
            if (status == STATUS_INSUFFICIENT_RESOURCES)
                failures += after.injected_failures == before.injected_failures + 1;
            else if (status == 0)
                done = after.injected_failures == before.injected_failures; /* past the last */
            else
                other++;
            leaked += after.outstanding_blocks != base.outstanding_blocks || !no_detections(&after);
        }
        fail_nth(device, 0);
        printf("# bench %s: %d allocations failed in turn\n", ctl_bench_path_name(path), failures);
        CHECK(failures > 0 && done && other == 0 && leaked == 0);
    }
    /* An open whose handle context cannot be allocated: Windows fails it (1450); Wine 8 opens
     * the handle anyway, and the driver serves it without a context. */
    fail_nth(device, 1);
    stats(device, &before);
    HANDLE second = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);
    stats(device, &after);
    CHECK(after.injected_failures == before.injected_failures + 1);
    int refused_as_windows_does = second == INVALID_HANDLE_VALUE &&
                                  error == ERROR_NO_SYSTEM_RESOURCES;
    CHECK(refused_as_windows_does || ctl_device_version(second, &v) == 0);
    if (second != INVALID_HANDLE_VALUE)
        CloseHandle(second);
    fail_nth(device, 0);
    /* Still working, holding what it held. */
    CHECK(ctl_device_version(device, &v) == 0);
    CHECK(ctl_device_query(device, IOCTL_MINWDM_SELFTEST, &selftest, sizeof(selftest)) == 0 &&
          selftest.failed == 0);
    CHECK(stats(device, &after) && after.outstanding_blocks == base.outstanding_blocks &&
          no_detections(&after));
    CloseHandle(device);
    return check_done("hardening low-memory");
}

enum { MAX_TIMED = 256, BENCH_PAIRS = 300000 }; /* about 20 ms in the driver under Wine */

struct timed_request {
    LONG status;
    double sent, answered; /* seconds, QueryPerformanceCounter */
    double inside;         /* seconds in the driver, by its KeQueryPerformanceCounter */
};

static struct timed_request timed[MAX_TIMED];
static volatile LONG timed_next, senders_ready;
static LONG senders, per_sender;

static double now(void)
{
    LARGE_INTEGER t, f;

    QueryPerformanceCounter(&t);
    QueryPerformanceFrequency(&f);
    return (double)t.QuadPart / (double)f.QuadPart;
}

static void timed_send(HANDLE device, struct timed_request *t)
{
    struct minwdm_bench_request q = {MINWDM_BENCH_GENERAL, 64, BENCH_PAIRS, 0};
    struct minwdm_bench_result r = {0};
    DWORD returned;

    t->sent = now();
    t->status = ctl_device_request(device, IOCTL_MINWDM_BENCH, &q, sizeof(q), &r, sizeof(r),
                                   &returned);
    t->answered = now();
    t->inside = t->status == 0 && r.frequency ? (double)r.ticks / (double)r.frequency : 0;
}

/* A handle of its own (Windows serializes the synchronous requests of one handle); all senders
 * start together. */
static DWORD WINAPI timed_sender(void *unused)
{
    DWORD error;
    HANDLE device = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);

    (void)unused;
    InterlockedIncrement(&senders_ready);
    while (senders_ready < senders)
        Sleep(0);
    for (LONG i = 0; i < per_sender; i++) {
        struct timed_request *t = &timed[InterlockedIncrement(&timed_next) - 1];
        if (device == INVALID_HANDLE_VALUE)
            t->status = -1;
        else
            timed_send(device, t);
    }
    if (device != INVALID_HANDLE_VALUE)
        CloseHandle(device);
    return 0;
}

static double duration(const struct timed_request *t, BOOL in_driver)
{
    return in_driver ? t->inside : t->answered - t->sent;
}

/* Two requests ran in the driver at the same time, provably, when their times inside it add up
 * to more than the span from the first one's sending to the last one's answer: served one at a
 * time, no pair can. (!in_driver: the same count over the callers' waits, which do overlap.) */
static int overlapping_pairs(LONG count, BOOL in_driver)
{
    int pairs = 0;

    for (LONG i = 0; i < count; i++)
        for (LONG j = i + 1; j < count; j++) {
            double from = timed[i].sent < timed[j].sent ? timed[i].sent : timed[j].sent;
            double to = timed[i].answered > timed[j].answered ? timed[i].answered
                                                               : timed[j].answered;
            pairs += duration(&timed[i], in_driver) + duration(&timed[j], in_driver) > to - from;
        }
    return pairs;
}

static int concurrency(int threads, int requests)
{
    HANDLE ids[16];
    double inside = 0, first = 1e300, last = 0;
    int failed = 0;

    CHECK(threads > 1 && threads <= 16 && threads * requests <= MAX_TIMED);
    if (threads < 2 || threads > 16 || threads * requests > MAX_TIMED)
        return check_done("hardening concurrency");
    senders = threads;
    per_sender = requests;
    for (int i = 0; i < threads; i++)
        ids[i] = CreateThread(NULL, 0, timed_sender, NULL, 0, NULL);
    WaitForMultipleObjects((DWORD)threads, ids, TRUE, 120000);
    for (int i = 0; i < threads; i++)
        CloseHandle(ids[i]);
    for (LONG i = 0; i < timed_next; i++) {
        failed += timed[i].status != 0;
        inside += timed[i].inside;
        first = timed[i].sent < first ? timed[i].sent : first;
        last = timed[i].answered > last ? timed[i].answered : last;
    }
    int overlaps = overlapping_pairs(timed_next, TRUE), waits = overlapping_pairs(timed_next, FALSE);
    printf("# %d threads x %d requests: %.0f ms in the driver in all, %.0f ms from the first "
           "sent to the last answered; %d of %ld pairs provably in the driver at once (and %d "
           "waiting at once)\n",
           threads, requests, inside * 1000, (last - first) * 1000, overlaps,
           (long)timed_next * (timed_next - 1) / 2, waits);
    CHECK_EQ(failed, 0);
    CHECK_EQ(timed_next, threads * requests);
    CHECK(waits > 0); /* the threads did send at once: the count can see an overlap */
    /* Wine 8's winedevice.exe serves one request at a time. Should this fail, Wine serves them
     * concurrently now: docs/hardening.md says otherwise. */
    CHECK_EQ(overlaps, 0);
    return check_done("hardening concurrency");
}

int wmain(int argc, WCHAR **argv)
{
    int count = argc >= 3 ? _wtoi(argv[argc - 1]) : 0;

    if (argc == 4 && wcscmp(argv[1], L"fuzz") == 0 && count > 0)
        return fuzz(wcstoull(argv[2], NULL, 10), count);
    if (argc == 3 && wcscmp(argv[1], L"handles") == 0 && count > 0)
        return handles(count);
    if (argc == 3 && wcscmp(argv[1], L"stop-race") == 0 && count > 0)
        return stop_race(count);
    if (argc == 2 && wcscmp(argv[1], L"low-memory") == 0)
        return low_memory();
    if (argc == 4 && wcscmp(argv[1], L"concurrency") == 0 && count > 0)
        return concurrency(_wtoi(argv[2]), count);
    fprintf(stderr, "usage: hardening fuzz <seed> <requests> | handles <count> | "
                    "stop-race <cycles> | low-memory | concurrency <threads> <requests>\n");
    return 2;
}
