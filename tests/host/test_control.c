/* The runtime's control requests (include/minwdm/control.h), on the host, with sanitizers: every
 * length rule, what each request returns, and that nothing is written past what it reports. */
#include <string.h>

#include "check.h"
#include "core/control.h"
#include "host_lock.h"
#include "mem_host.h"

#define PATTERN 0xA5

static struct mem_host host;
static struct mem_allocator memory;
static struct logger log;
static uint64_t log_storage[1024];
static struct runtime_control control = {&memory, &log, MINWDM_POOL_WITH_TAG_NX, NULL};
static unsigned char out[sizeof(struct minwdm_stats) + 64];

static uint64_t no_time(void)
{
    return 0;
}

static minwdm_status request(uint32_t code, const void *input, uint32_t in_length,
                             uint32_t out_length, uint32_t *written)
{
    struct minwdm_request r = {code, input, in_length, out, out_length};

    memset(out, PATTERN, sizeof(out));
    *written = 0xDEADBEEF;
    return control_handle_request(&control, &r, written);
}

static int untouched_from(size_t from)
{
    for (size_t i = from; i < sizeof(out); i++)
        if (out[i] != PATTERN)
            return 0;
    return 1;
}

static void test_info(void)
{
    const struct minwdm_control_info *info = (const void *)out;
    uint32_t written;

    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_GET_INFO, NULL, 0, sizeof(*info), &written),
             MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, sizeof(*info));
    CHECK_EQ(info->abi_version, MINWDM_CONTROL_ABI_VERSION);
    CHECK_EQ(info->pool, MINWDM_POOL_WITH_TAG_NX);
    CHECK_EQ(info->instance, 77);
    CHECK_EQ(strcmp(info->name, "testdrv"), 0);
    CHECK(untouched_from(sizeof(*info)));
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_GET_INFO, NULL, 0, sizeof(*info) - 1, &written),
             MINWDM_STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(written, 0);
    CHECK(untouched_from(0));
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_GET_INFO, "x", 1, sizeof(*info), &written),
             MINWDM_STATUS_INVALID_PARAMETER);
}

static void test_stats(void)
{
    const struct minwdm_stats *s = (const void *)out;
    uint32_t written;
    void *block = mem_alloc(&memory, 100, MEM_TAG('T', 'e', 's', 't'), MEM_NONPAGED, MEM_SITE);

    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_GET_STATS, NULL, 0, sizeof(*s), &written),
             MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, sizeof(*s));
    CHECK_EQ(s->abi_version, MINWDM_CONTROL_ABI_VERSION);
    CHECK_EQ(s->outstanding_blocks, 1);
    CHECK_EQ(s->outstanding_bytes, 100);
    CHECK(untouched_from(sizeof(*s)));
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_GET_STATS, NULL, 0, sizeof(*s) - 1, &written),
             MINWDM_STATUS_BUFFER_TOO_SMALL);
    mem_free(&memory, block, MEM_TAG('T', 'e', 's', 't'));
}

static void test_fail_alloc(void)
{
    uint32_t nth = 2, written;

    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_FAIL_ALLOC, &nth, 3, 0, &written),
             MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_FAIL_ALLOC, &nth, sizeof(nth), 0, &written),
             MINWDM_STATUS_SUCCESS);
    CHECK_EQ(written, 0);
    void *first = mem_alloc(&memory, 8, MEM_TAG('T', 'e', 's', 't'), MEM_NONPAGED, MEM_SITE);
    void *second = mem_alloc(&memory, 8, MEM_TAG('T', 'e', 's', 't'), MEM_NONPAGED, MEM_SITE);
    CHECK(first != NULL);
    CHECK_EQ(second, NULL);
    mem_free(&memory, first, MEM_TAG('T', 'e', 's', 't'));
}

static void test_log(void)
{
    const struct minwdm_log_batch *b = (const void *)out;
    uint64_t after = 0;
    uint32_t level = MINWDM_LOG_TRACE + 1, written;

    log_at(&log, MINWDM_LOG_INFO, "hello %d", 42);
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_READ_LOG, &after, sizeof(after), MINWDM_LOG_READ_MIN,
                     &written), MINWDM_STATUS_SUCCESS);
    CHECK(written > sizeof(*b));
    CHECK(b->count >= 1);
    CHECK(untouched_from(written));
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_READ_LOG, &after, sizeof(after), MINWDM_LOG_READ_MIN - 1,
                     &written), MINWDM_STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_READ_LOG, &after, 4, MINWDM_LOG_READ_MIN, &written),
             MINWDM_STATUS_INVALID_PARAMETER);
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL, &level, sizeof(level), 0, &written),
             MINWDM_STATUS_INVALID_PARAMETER);
    level = MINWDM_LOG_ERROR;
    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL, &level, sizeof(level), 0, &written),
             MINWDM_STATUS_SUCCESS);
    CHECK_EQ(log.level, MINWDM_LOG_ERROR);
}

static void test_codes(void)
{
    uint32_t written;

    CHECK_EQ(request(IOCTL_MINWDM_CONTROL_GET_INFO + 0x100, NULL, 0, 64, &written),
             MINWDM_STATUS_INVALID_DEVICE_REQUEST);
    CHECK_EQ(control_request_changes_state(IOCTL_MINWDM_CONTROL_FAIL_ALLOC), 1);
    CHECK_EQ(control_request_changes_state(IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL), 1);
    CHECK_EQ(control_request_changes_state(IOCTL_MINWDM_CONTROL_READ_LOG), 0);
    CHECK_EQ(control_request_changes_state(0), -1);
    /* What changes state asks for write access; what reads asks for read access only. */
    CHECK_EQ((IOCTL_MINWDM_CONTROL_FAIL_ALLOC >> 14) & 3, MINWDM_FILE_WRITE_ACCESS);
    CHECK_EQ((IOCTL_MINWDM_CONTROL_GET_STATS >> 14) & 3, MINWDM_FILE_READ_ACCESS);
}

static void test_unload_report(void)
{
    struct minwdm_unload_report report;
    void *p = mem_alloc(&memory, 32, MEM_TAG('T', 'e', 's', 't'), MEM_NONPAGED, MEM_SITE);

    host.quiet = 1;
    mem_free(&memory, p, MEM_TAG('T', 'e', 's', 't'));
    mem_free(&memory, p, MEM_TAG('T', 'e', 's', 't')); /* a double free, counted */
    control_unload_report(&control, 3, 300, &report);
    CHECK_EQ(report.abi_version, MINWDM_CONTROL_ABI_VERSION);
    CHECK_EQ(report.instance, 77);
    CHECK_EQ(report.leaked_blocks, 3);
    CHECK_EQ(report.leaked_bytes, 300);
    CHECK_EQ(report.events[MINWDM_EVENT_DOUBLE_FREE], 1);
}

int main(void)
{
    struct log_platform platform = {.now = no_time};

    mem_host_init(&host, 0);
    mem_init(&memory, &host.platform);
    platform.lock = host_lock_ops;
    log_init(&log, "testdrv", &platform, log_storage, sizeof(log_storage), 77);
    test_info();
    test_stats();
    test_fail_alloc();
    test_log();
    test_codes();
    test_unload_report();
    mem_destroy(&memory);
    return check_done("test_control");
}
