/*
 * minwdm.sys's kernel tests (add_wdm_test minwdm.kernel): the runtime's allocator checks itself
 * over the real pool, and the request core answers through the driver's own structures.
 * `minwdmctl test minwdm.sys` runs them in the driver; the release image has none of this.
 */
#include <minwdm/test.h>

#include "core/mem_selftest.h"
#include "driver.h"
#include "minwdm_build.h"

MINWDM_TEST(allocator_selftest_over_the_real_pool)
{
    struct mem_selftest_result result;

    ASSERT_TRUE(mem_selftest(&driver_memory.platform, &result));
    EXPECT_TRUE(result.passed > 100);
    EXPECT_EQ(result.failed, 0);
    if (result.failed)
        LOG_ERROR("first failed check: %s", result.first_failure);
}

static struct minwdm_device device; /* static: it embeds 60 bytes and more, kernel stacks are small */

static NTSTATUS send(uint32_t code, const void *in, uint32_t in_length, void *out,
                     uint32_t out_length, uint32_t *written)
{
    struct minwdm_request request = {code, in, in_length, out, out_length};

    return minwdm_handle_request(&device, &request, written);
}

MINWDM_TEST(version_and_echo_through_the_request_core)
{
    struct minwdm_version version = {0};
    char echo[8] = {0};
    uint32_t written;

    minwdm_device_init(&device, MINWDM_VERSION_MAJOR, MINWDM_VERSION_MINOR, MINWDM_VERSION_PATCH,
                       MINWDM_BUILD_ID);
    device.memory = &driver_memory;
    device.log = &driver_log;
    EXPECT_STATUS(send(IOCTL_MINWDM_GET_VERSION, NULL, 0, &version, sizeof(version), &written),
                  STATUS_SUCCESS);
    EXPECT_EQ(written, sizeof(version));
    EXPECT_EQ(version.abi_version, MINWDM_ABI_VERSION);
    EXPECT_STATUS(send(IOCTL_MINWDM_GET_VERSION, NULL, 0, &version, sizeof(version) - 1, &written),
                  STATUS_BUFFER_TOO_SMALL);
    EXPECT_STATUS(send(IOCTL_MINWDM_ECHO, "kernel", 6, echo, sizeof(echo), &written),
                  STATUS_SUCCESS);
    EXPECT_EQ(written, 6);
    EXPECT_EQ(RtlCompareMemory(echo, "kernel", 6), 6);
    EXPECT_STATUS(send(IOCTL_MINWDM_ECHO, "kernel", 6, echo, 5, &written),
                  STATUS_BUFFER_TOO_SMALL);
}

MINWDM_TEST(handle_contexts_come_from_their_cache)
{
    struct mem_cache *cache = mem_cache_create(&driver_memory, "test", sizeof(uint64_t),
                                               MEM_TAG('M', 'w', 'T', 's'), 4);
    void *object;

    ASSERT_TRUE(cache != NULL);
    object = mem_cache_alloc(cache, MEM_SITE);
    EXPECT_TRUE(object != NULL);
    EXPECT_TRUE(mem_cache_owns(cache, object));
    mem_cache_free(cache, object);
    EXPECT_EQ(mem_cache_destroy(cache), 0);
}
