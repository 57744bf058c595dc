/* The portable request core: every rule of include/minwdm/ioctl.h, on the host, with sanitizers. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/bench.h"
#include "core/request.h"
#include "host_lock.h"
#include "mem_host.h"

#define PATTERN 0xA5
#define BUFFER_SIZE (MINWDM_ECHO_MAX + 64)

static struct minwdm_device device;
static struct mem_host host;
static struct mem_allocator memory;
static struct logger log;
static uint64_t log_storage[1024];
static char last_line[MINWDM_LOG_LINE_MAX + 1];

static void remember_line(uint32_t level, const char *line)
{
    (void)level;
    snprintf(last_line, sizeof(last_line), "%s", line);
}
static unsigned char in[BUFFER_SIZE], out[BUFFER_SIZE];

static minwdm_status request(uint32_t code, const void *input, uint32_t in_length, void *output,
                             uint32_t out_length, uint32_t *written)
{
    struct minwdm_request r = {code, input, in_length, output, out_length};

    memset(out, PATTERN, sizeof(out));
    *written = 0xDEADBEEF;
    return minwdm_handle_request(&device, &r, written);
}

static int untouched(size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (out[i] != PATTERN)
            return 0;
    return 1;
}

static uint64_t fake_ticks;

static uint64_t fake_clock(uint64_t *frequency)
{
    if (frequency)
        *frequency = 1000000;
    return fake_ticks += 5;
}

static void test_identity(void)
{
    char long_id[100];

    memset(long_id, 'x', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    minwdm_device_init(&device, 1, 2, 3, long_id);
    CHECK_EQ(device.version.build_id[MINWDM_BUILD_ID_SIZE - 1], '\0');
    CHECK_EQ(strlen(device.version.build_id), MINWDM_BUILD_ID_SIZE - 1);

    memset(&device, 0xFF, sizeof(device));
    minwdm_device_init(&device, 0, 1, 0, "abc clang");
    CHECK_EQ(device.version.abi_version, MINWDM_ABI_VERSION);
    CHECK(device.version.driver_major == 0 && device.version.driver_minor == 1 &&
          device.version.driver_patch == 0 && device.version.reserved == 0);
    CHECK_EQ(strcmp(device.version.build_id, "abc clang"), 0);
    for (size_t i = strlen("abc clang"); i < MINWDM_BUILD_ID_SIZE; i++)
        CHECK_EQ(device.version.build_id[i], 0);
    CHECK(device.memory == NULL && device.clock == NULL && device.bench == NULL);
    mem_host_init(&host, 0);
    mem_init(&memory, &host.platform);
    device.memory = &memory;
    device.pool = MINWDM_POOL_WITH_TAG_NX;
    device.clock = fake_clock;
    struct log_platform platform = {host_lock_ops, NULL, NULL, NULL, remember_line};
    log_init(&log, "minwdm", &platform, log_storage, sizeof(log_storage), 9);
    device.log = &log;
}

/* A build without the benchmark refuses the request as unknown. */
static void test_no_bench(void)
{
    struct minwdm_bench_request q = {MINWDM_BENCH_GENERAL, 64, 100, 0};
    uint32_t written;

    CHECK(request(IOCTL_MINWDM_BENCH, &q, sizeof(q), out, 24, &written) ==
          MINWDM_STATUS_INVALID_DEVICE_REQUEST);
    device.bench = minwdm_bench;
}

static void test_get_version(void)
{
    struct minwdm_version v;
    uint32_t written;
    const uint32_t size = sizeof(struct minwdm_version);

    CHECK(request(IOCTL_MINWDM_GET_VERSION, NULL, 0, out, size, &written) ==
          MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, size);
    memcpy(&v, out, sizeof(v));
    CHECK_EQ(memcmp(&v, &device.version, sizeof(v)), 0);

    CHECK(request(IOCTL_MINWDM_GET_VERSION, NULL, 0, out, size + 10, &written) ==
          MINWDM_STATUS_SUCCESS);
    CHECK(written == size && untouched(size, size + 10));

    for (uint32_t n = 0; n < size; n++) {
        CHECK(request(IOCTL_MINWDM_GET_VERSION, NULL, 0, n ? out : NULL, n, &written) ==
              MINWDM_STATUS_BUFFER_TOO_SMALL);
        CHECK(written == 0 && untouched(0, size));
    }
    CHECK(request(IOCTL_MINWDM_GET_VERSION, in, 1, out, size, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(written == 0 && untouched(0, size));
}

static void test_echo(void)
{
    uint32_t written;

    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 31 + 7);
    CHECK_EQ(request(IOCTL_MINWDM_ECHO, in, 5, out, 5, &written), MINWDM_STATUS_SUCCESS);
    CHECK(written == 5 && memcmp(out, in, 5) == 0);
    CHECK_EQ(request(IOCTL_MINWDM_ECHO, in, 5, out, 50, &written), MINWDM_STATUS_SUCCESS);
    CHECK(written == 5 && memcmp(out, in, 5) == 0 && untouched(5, 50));
    CHECK_EQ(request(IOCTL_MINWDM_ECHO, NULL, 0, NULL, 0, &written), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, 0);
    CHECK_EQ(request(IOCTL_MINWDM_ECHO, NULL, 0, out, 8, &written), MINWDM_STATUS_SUCCESS);
    CHECK(written == 0 && untouched(0, 8));
    CHECK(request(IOCTL_MINWDM_ECHO, in, MINWDM_ECHO_MAX, out, MINWDM_ECHO_MAX, &written) ==
          MINWDM_STATUS_SUCCESS);
    CHECK(written == MINWDM_ECHO_MAX && memcmp(out, in, MINWDM_ECHO_MAX) == 0);
    CHECK(request(IOCTL_MINWDM_ECHO, in, MINWDM_ECHO_MAX + 1, out, BUFFER_SIZE, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(written == 0 && untouched(0, BUFFER_SIZE));
    CHECK(request(IOCTL_MINWDM_ECHO, in, 100, out, 99, &written) ==
          MINWDM_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == 0 && untouched(0, 99));

    /* The caller's bytes are logged as text, never read as a format, and not past their end. */
    CHECK_EQ(request(IOCTL_MINWDM_ECHO, "%s%n%x", 6, out, 6, &written), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(strcmp(last_line, "minwdm: info: echo: 6 bytes: \"%s%n%x\""), 0);
}

/* METHOD_BUFFERED hands the driver one buffer for both directions. */
static void test_echo_in_place(void)
{
    unsigned char buffer[64];
    struct minwdm_request r = {IOCTL_MINWDM_ECHO, buffer, 10, buffer, sizeof(buffer)};
    uint32_t written;

    for (size_t i = 0; i < sizeof(buffer); i++)
        buffer[i] = (unsigned char)i;
    CHECK_EQ(minwdm_handle_request(&device, &r, &written), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, 10);
    for (size_t i = 0; i < sizeof(buffer); i++)
        CHECK_EQ(buffer[i], (unsigned char)i);

    /* Overlapping but distinct buffers are copied as memmove would. */
    struct minwdm_request shifted = {IOCTL_MINWDM_ECHO, buffer, 10, buffer + 3, 20};
    CHECK_EQ(minwdm_handle_request(&device, &shifted, &written), MINWDM_STATUS_SUCCESS);
    for (size_t i = 0; i < 10; i++)
        CHECK_EQ(buffer[3 + i], (unsigned char)i);
}

static void test_bad_buffers_and_codes(void)
{
    uint32_t written;

    CHECK(request(IOCTL_MINWDM_ECHO, NULL, 4, out, 4, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(written, 0);
    CHECK_EQ(request(IOCTL_MINWDM_ECHO, in, 4, NULL, 4, &written), MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(request(IOCTL_MINWDM_GET_VERSION, NULL, 0, NULL, 60, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);

    const uint32_t codes[] = {
        0,
        0xFFFFFFFFu,
        MINWDM_CTL_CODE(0x808, MINWDM_FILE_READ_ACCESS),
        MINWDM_CTL_CODE(0x806, MINWDM_FILE_WRITE_ACCESS), /* READ_LOG with the wrong access */
        MINWDM_CTL_CODE(0x802, MINWDM_FILE_WRITE_ACCESS), /* GET_STATS with the wrong access */
        MINWDM_CTL_CODE(0x800, MINWDM_FILE_ANY_ACCESS),
        IOCTL_MINWDM_ECHO | 3u,
        IOCTL_MINWDM_GET_VERSION ^ 0x00010000u,
    };
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        CHECK_EQ(request(codes[i], in, 4, out, 4, &written), MINWDM_STATUS_INVALID_DEVICE_REQUEST);
        CHECK(written == 0 && untouched(0, 4));
        /* An unknown code is refused as such even with nonsense buffers. */
        CHECK(request(codes[i], NULL, 4, NULL, 4, &written) ==
              MINWDM_STATUS_INVALID_DEVICE_REQUEST);
    }
}

/* Whatever the lengths, nothing is reported beyond the output buffer and failures write 0. */
static void test_written_never_exceeds_output(void)
{
    const uint32_t lengths[] = {0, 1, 59, 60, 61, 4095, 4096, 4097, BUFFER_SIZE};
    const uint32_t codes[] = {IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO, 0x12345678u,
                              IOCTL_MINWDM_GET_STATS,   IOCTL_MINWDM_FAIL_ALLOC,
                              IOCTL_MINWDM_READ_LOG,    IOCTL_MINWDM_SET_LOG_LEVEL};
    uint32_t written;

    for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++)
        for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
            for (size_t o = 0; o < sizeof(lengths) / sizeof(lengths[0]); o++) {
                minwdm_status s = request(codes[c], lengths[i] ? in : NULL, lengths[i],
                                          lengths[o] ? out : NULL, lengths[o], &written);
                CHECK(written <= lengths[o]);
                CHECK(MINWDM_SUCCESS(s) || written == 0);
                CHECK(untouched(written, BUFFER_SIZE) || !MINWDM_SUCCESS(s));
            }
}

static void test_stats(void)
{
    struct minwdm_stats s;
    uint32_t written;
    const uint32_t size = sizeof(s);

    void *p = mem_alloc(&memory, 100, MEM_TAG('T', 'e', 's', 't'), MEM_NONPAGED, MEM_SITE);
    CHECK_EQ(request(IOCTL_MINWDM_GET_STATS, NULL, 0, out, size, &written), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, size);
    memcpy(&s, out, sizeof(s));
    CHECK(s.abi_version == MINWDM_ABI_VERSION && s.pool == MINWDM_POOL_WITH_TAG_NX);
    CHECK(s.outstanding_blocks == 1 && s.outstanding_bytes == 100 && s.allocations == 1);
    CHECK(s.cache_count == MEM_CLASS_COUNT && s.reserved == 0);
    CHECK(strcmp(s.caches[0].name, "size16") == 0 && s.caches[3].outstanding == 1);
    CHECK(s.caches[3].object_size == 128 && s.caches[MEM_CLASS_COUNT].name[0] == 0);
    mem_free(&memory, p, MEM_TAG('T', 'e', 's', 't'));
    mem_free(&memory, p, MEM_TAG('T', 'e', 's', 't'));
    CHECK_EQ(request(IOCTL_MINWDM_GET_STATS, NULL, 0, out, size, &written), MINWDM_STATUS_SUCCESS);
    memcpy(&s, out, sizeof(s));
    CHECK(s.outstanding_blocks == 0 && s.frees == 1 && s.events[MINWDM_EVENT_DOUBLE_FREE] == 1);
    CHECK(request(IOCTL_MINWDM_GET_STATS, NULL, 0, out, size - 1, &written) ==
          MINWDM_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == 0 && untouched(0, size));
    CHECK(request(IOCTL_MINWDM_GET_STATS, in, 4, out, size, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
}

static void test_fail_alloc(void)
{
    uint32_t nth = 2, written;
    struct minwdm_stats s;

    CHECK_EQ(request(IOCTL_MINWDM_FAIL_ALLOC, &nth, 4, NULL, 0, &written), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, 0);
    void *a = mem_alloc(&memory, 10, MEM_TAG('T', 'e', 's', 't'), MEM_NONPAGED, MEM_SITE);
    void *b = mem_alloc(&memory, 10, MEM_TAG('T', 'e', 's', 't'), MEM_NONPAGED, MEM_SITE);
    CHECK(a != NULL && b == NULL);
    mem_free(&memory, a, MEM_TAG('T', 'e', 's', 't'));
    CHECK(request(IOCTL_MINWDM_GET_STATS, NULL, 0, out, sizeof(s), &written) ==
          MINWDM_STATUS_SUCCESS);
    memcpy(&s, out, sizeof(s));
    CHECK(s.injected_failures == 1 && s.failures == 1);
    CHECK(request(IOCTL_MINWDM_FAIL_ALLOC, &nth, 3, NULL, 0, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(request(IOCTL_MINWDM_FAIL_ALLOC, &nth, 8, NULL, 0, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
}

static void test_selftest(void)
{
    struct minwdm_selftest_result r;
    uint32_t written;

    CHECK(request(IOCTL_MINWDM_SELFTEST, NULL, 0, out, sizeof(r), &written) ==
          MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, sizeof(r));
    memcpy(&r, out, sizeof(r));
    CHECK(r.passed > 80 && r.failed == 0 && r.first_failure[0] == 0);
    CHECK(request(IOCTL_MINWDM_SELFTEST, NULL, 0, out, sizeof(r) - 1, &written) ==
          MINWDM_STATUS_BUFFER_TOO_SMALL);
}

static void test_bench(void)
{
    struct minwdm_bench_request q = {MINWDM_BENCH_GENERAL, 64, 100, 0};
    struct minwdm_bench_result r;
    uint32_t written;
    struct minwdm_stats before, after;

    request(IOCTL_MINWDM_GET_STATS, NULL, 0, out, sizeof(before), &written);
    memcpy(&before, out, sizeof(before));
    for (uint32_t path = 0; path < MINWDM_BENCH_PATH_COUNT; path++) {
        q.path = path;
        CHECK(request(IOCTL_MINWDM_BENCH, &q, sizeof(q), out, sizeof(r), &written) ==
              MINWDM_STATUS_SUCCESS);
        memcpy(&r, out, sizeof(r));
        CHECK(written == sizeof(r) && r.iterations == 100 && r.frequency == 1000000);
        CHECK(r.ticks == 5 && r.reserved == 0);
    }
    request(IOCTL_MINWDM_GET_STATS, NULL, 0, out, sizeof(after), &written);
    memcpy(&after, out, sizeof(after));
    /* The bench's own allocator was a block of the driver's, now gone. */
    CHECK_EQ(after.outstanding_blocks, before.outstanding_blocks);
    CHECK_EQ(after.allocations, before.allocations + MINWDM_BENCH_PATH_COUNT);

    const struct minwdm_bench_request bad[] = {
        {MINWDM_BENCH_PATH_COUNT, 64, 100, 0}, {MINWDM_BENCH_GENERAL, 0, 100, 0},
        {MINWDM_BENCH_GENERAL, MINWDM_BENCH_MAX_SIZE + 1, 100, 0},
        {MINWDM_BENCH_GENERAL, 64, 0, 0},
        {MINWDM_BENCH_GENERAL, 64, MINWDM_BENCH_MAX_ITERATIONS + 1, 0},
        {MINWDM_BENCH_GENERAL, 64, 100, 1},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(request(IOCTL_MINWDM_BENCH, &bad[i], sizeof(bad[i]), out, sizeof(r), &written) ==
              MINWDM_STATUS_INVALID_PARAMETER);
        CHECK_EQ(written, 0);
    }
    CHECK(request(IOCTL_MINWDM_BENCH, &q, sizeof(q) - 1, out, sizeof(r), &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    q.path = MINWDM_BENCH_CACHE;
    CHECK(request(IOCTL_MINWDM_BENCH, &q, sizeof(q), out, sizeof(r) - 1, &written) ==
          MINWDM_STATUS_BUFFER_TOO_SMALL);
    uint32_t nth = 1; /* the bench's own state cannot be had */
    request(IOCTL_MINWDM_FAIL_ALLOC, &nth, 4, NULL, 0, &written);
    CHECK(request(IOCTL_MINWDM_BENCH, &q, sizeof(q), out, sizeof(r), &written) ==
          MINWDM_STATUS_INSUFFICIENT_RESOURCES);
}

static void test_log(void)
{
    struct minwdm_log_batch b;
    uint64_t after = 0;
    uint32_t written, level = MINWDM_LOG_DEBUG;

    CHECK(request(IOCTL_MINWDM_READ_LOG, &after, sizeof(after), out, BUFFER_SIZE, &written) ==
          MINWDM_STATUS_SUCCESS);
    memcpy(&b, out, sizeof(b));
    CHECK(written == sizeof(b) + b.bytes && b.count >= 1 && b.instance == 9);
    CHECK(b.level == MINWDM_LOG_INFO && b.floor == MINWDM_LOG_TRACE && untouched(written, BUFFER_SIZE));

    /* In place, as METHOD_BUFFERED does: the input is read before the output overwrites it. */
    uint8_t buffer[MINWDM_LOG_READ_MIN];
    after = b.next_sequence - 1;
    memcpy(buffer, &after, sizeof(after));
    struct minwdm_request r = {IOCTL_MINWDM_READ_LOG, buffer, sizeof(after), buffer, sizeof(buffer)};
    CHECK_EQ(minwdm_handle_request(&device, &r, &written), MINWDM_STATUS_SUCCESS);
    memcpy(&b, buffer, sizeof(b));
    CHECK(written == sizeof(b) && b.count == 0);

    CHECK(request(IOCTL_MINWDM_READ_LOG, &after, sizeof(after), out, MINWDM_LOG_READ_MIN - 1,
                  &written) == MINWDM_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == 0 && untouched(0, MINWDM_LOG_READ_MIN));
    CHECK(request(IOCTL_MINWDM_READ_LOG, &after, 4, out, BUFFER_SIZE, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(request(IOCTL_MINWDM_READ_LOG, NULL, 0, out, BUFFER_SIZE, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);

    CHECK(request(IOCTL_MINWDM_SET_LOG_LEVEL, &level, sizeof(level), NULL, 0, &written) ==
          MINWDM_STATUS_SUCCESS);
    CHECK(written == 0 && log.level == MINWDM_LOG_DEBUG);
    CHECK_EQ(strcmp(last_line, "minwdm: info: control_set_log_level: debug (was info)"), 0);
    level = MINWDM_LOG_LEVEL_COUNT;
    CHECK(request(IOCTL_MINWDM_SET_LOG_LEVEL, &level, sizeof(level), NULL, 0, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(request(IOCTL_MINWDM_SET_LOG_LEVEL, &level, 2, NULL, 0, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(log.level, MINWDM_LOG_DEBUG);
    log_set_level(&log, MINWDM_LOG_INFO);
}

/* Every request with valid input, each of its allocations made to fail in turn: a clean
 * STATUS_INSUFFICIENT_RESOURCES, nothing written, nothing leaked, and the next try works. */
static void test_low_memory(void)
{
    static const struct {
        uint32_t code;
        uint8_t input[16];
        uint32_t in_length, out_length;
    } requests[] = {
        {IOCTL_MINWDM_GET_VERSION, {0}, 0, 60},
        {IOCTL_MINWDM_ECHO, {'h', 'i'}, 2, 2},
        {IOCTL_MINWDM_GET_STATS, {0}, 0, sizeof(struct minwdm_stats)},
        {IOCTL_MINWDM_SELFTEST, {0}, 0, sizeof(struct minwdm_selftest_result)},
        {IOCTL_MINWDM_BENCH, {MINWDM_BENCH_CACHE, 0, 0, 0, 64, 0, 0, 0, 10, 0, 0, 0}, 16, 24},
        {IOCTL_MINWDM_BENCH, {MINWDM_BENCH_LOG_RING, 0, 0, 0, 64, 0, 0, 0, 10, 0, 0, 0}, 16, 24},
        {IOCTL_MINWDM_READ_LOG, {0}, 8, BUFFER_SIZE},
        {IOCTL_MINWDM_SET_LOG_LEVEL, {MINWDM_LOG_INFO}, 4, 0},
    };
    uint32_t written;

    for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
        int failures = 0, done = 0;
        for (uint32_t nth = 1; nth <= 16 && !done; nth++) {
            struct mem_stats before, after;
            mem_fail_nth(&memory, nth);
            mem_stats(&memory, &before, NULL, NULL);
            minwdm_status status = request(requests[i].code, requests[i].input,
                                           requests[i].in_length, out, requests[i].out_length,
                                           &written);
            mem_stats(&memory, &after, NULL, NULL);
            if (status == MINWDM_STATUS_INSUFFICIENT_RESOURCES) {
                failures++;
                CHECK_EQ(after.injected_failures, before.injected_failures + 1);
                CHECK(written == 0 && untouched(0, BUFFER_SIZE));
            } else {
                CHECK(MINWDM_SUCCESS(status));
                done = after.injected_failures == before.injected_failures;
            }
            CHECK_EQ(after.outstanding_blocks, before.outstanding_blocks);
            CHECK(after.events[MEM_EVENT_LEAK] == 0 && mem_check_all(&memory) == 0);
        }
        mem_fail_nth(&memory, 0);
        CHECK(done);
        /* The allocating requests did meet a failure; the others never allocate. */
        CHECK(requests[i].code == IOCTL_MINWDM_BENCH ? failures > 0 : failures == 0);
    }
}

static void test_without_memory(void)
{
    struct mem_allocator *saved = device.memory;
    uint32_t written;

    device.memory = NULL;
    CHECK(request(IOCTL_MINWDM_GET_STATS, NULL, 0, out, sizeof(struct minwdm_stats), &written) ==
          MINWDM_STATUS_INVALID_DEVICE_STATE);
    device.memory = saved;
    device.log = NULL;
    uint64_t after = 0;
    CHECK(request(IOCTL_MINWDM_READ_LOG, &after, sizeof(after), out, BUFFER_SIZE, &written) ==
          MINWDM_STATUS_INVALID_DEVICE_STATE);
    device.log = &log;
}

int main(void)
{
    test_identity();
    test_get_version();
    test_echo();
    test_echo_in_place();
    test_bad_buffers_and_codes();
    test_written_never_exceeds_output();
    test_stats();
    test_no_bench();
    test_fail_alloc();
    test_selftest();
    test_bench();
    test_log();
    test_low_memory();
    test_without_memory();
    CHECK_EQ(mem_destroy(&memory), 0);
    CHECK_EQ(host.pool_allocs, host.pool_frees);
    return check_done("test_request");
}
