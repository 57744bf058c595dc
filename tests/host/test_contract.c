/* include/minwdm/ioctl.h on the host: the codes follow the SDK's CTL_CODE layout, are distinct,
 * buffered, in the vendor ranges; the structs have the layout the ABI promises. */
#include <minwdm/ioctl.h>
#include <stddef.h>

#include "check.h"

/* CTL_CODE as winioctl.h defines it. */
#define SDK_CTL_CODE(type, function, method, access) \
    (((type) << 16) | ((access) << 14) | ((function) << 2) | (method))

int main(void)
{
    const uint32_t codes[] = {IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO,
                              IOCTL_MINWDM_GET_STATS,   IOCTL_MINWDM_SELFTEST,
                              IOCTL_MINWDM_FAIL_ALLOC,  IOCTL_MINWDM_BENCH,
                              IOCTL_MINWDM_READ_LOG,    IOCTL_MINWDM_SET_LOG_LEVEL};

    /* The numbering never changes; access: 1 read, 2 write, 3 both. */
    CHECK_EQ(IOCTL_MINWDM_GET_VERSION, SDK_CTL_CODE(0x8157u, 0x800u, 0u, 1u));
    CHECK_EQ(IOCTL_MINWDM_ECHO, SDK_CTL_CODE(0x8157u, 0x801u, 0u, 1u));
    CHECK_EQ(IOCTL_MINWDM_GET_STATS, SDK_CTL_CODE(0x8157u, 0x802u, 0u, 1u));
    CHECK_EQ(IOCTL_MINWDM_SELFTEST, SDK_CTL_CODE(0x8157u, 0x803u, 0u, 3u));
    CHECK_EQ(IOCTL_MINWDM_FAIL_ALLOC, SDK_CTL_CODE(0x8157u, 0x804u, 0u, 2u));
    CHECK_EQ(IOCTL_MINWDM_BENCH, SDK_CTL_CODE(0x8157u, 0x805u, 0u, 3u));
    CHECK_EQ(IOCTL_MINWDM_READ_LOG, SDK_CTL_CODE(0x8157u, 0x806u, 0u, 1u));
    CHECK_EQ(IOCTL_MINWDM_SET_LOG_LEVEL, SDK_CTL_CODE(0x8157u, 0x807u, 0u, 2u));
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        CHECK_EQ((codes[i] & 3u), MINWDM_METHOD_BUFFERED);
        CHECK_EQ(MINWDM_CTL_DEVICE_TYPE(codes[i]), MINWDM_DEVICE_TYPE);
        CHECK(MINWDM_CTL_FUNCTION(codes[i]) >= 0x800u && MINWDM_CTL_FUNCTION(codes[i]) <= 0xFFFu);
        for (size_t j = 0; j < i; j++)
            CHECK(MINWDM_CTL_FUNCTION(codes[i]) != MINWDM_CTL_FUNCTION(codes[j]));
    }
    CHECK(MINWDM_DEVICE_TYPE >= 0x8000u && MINWDM_DEVICE_TYPE <= 0xFFFFu);
    CHECK_EQ(MINWDM_ABI_VERSION, 4u);
    CHECK(sizeof(struct minwdm_log_batch) == 48 && offsetof(struct minwdm_log_batch, count) == 32);
    CHECK_EQ(offsetof(struct minwdm_log_batch, floor), 44);
    CHECK(sizeof(struct minwdm_log_record) == 24 && offsetof(struct minwdm_log_record, length) == 20);
    CHECK(MINWDM_LOG_RECORD_SIZE(0) == 24 && MINWDM_LOG_RECORD_SIZE(1) == 32 &&
          MINWDM_LOG_RECORD_SIZE(8) == 32 && MINWDM_LOG_READ_MIN == 48 + 24 + 512);
    CHECK(MINWDM_LOG_ERROR == 0 && MINWDM_LOG_TRACE == 4 && MINWDM_LOG_LINE_MAX + 2 == 512);
    CHECK(sizeof(struct minwdm_stats) == 1176 && offsetof(struct minwdm_stats, caches) == 152);
    CHECK(offsetof(struct minwdm_stats, events) == 72 && MINWDM_EVENT_COUNT == 9);
    CHECK(sizeof(struct minwdm_cache_stats) == 64 && offsetof(struct minwdm_cache_stats, outstanding) == 32);
    CHECK_EQ(sizeof(struct minwdm_selftest_result), 136);
    CHECK(sizeof(struct minwdm_bench_request) == 16 && sizeof(struct minwdm_bench_result) == 24);
    CHECK_EQ(offsetof(struct minwdm_version, abi_version), 0);
    CHECK_EQ(offsetof(struct minwdm_version, driver_major), 4);
    CHECK_EQ(offsetof(struct minwdm_version, driver_minor), 6);
    CHECK_EQ(offsetof(struct minwdm_version, driver_patch), 8);
    CHECK_EQ(offsetof(struct minwdm_version, reserved), 10);
    CHECK_EQ(offsetof(struct minwdm_version, build_id), 12);
    CHECK_EQ(sizeof(struct minwdm_version), 60);
    return check_done("test_contract");
}
