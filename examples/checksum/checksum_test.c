/* checksum's kernel tests, written before the code they test (README.md, step 2). */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#include "checksum.h"
#include "checksum_request.h"

MINWDM_TEST(crc32_of_the_check_string)
{
    EXPECT_EQ(checksum_crc32("123456789", 9), 0xCBF43926u); /* the CRC-32 check value */
    EXPECT_EQ(checksum_crc32("", 0), 0);
}

MINWDM_TEST(request_answers_in_place)
{
    char buffer[16] = "123456789";
    uint32_t crc;
    ULONG written;

    ASSERT_STATUS(checksum_request(IOCTL_CHECKSUM_CRC32, buffer, 9, sizeof(buffer), &written),
                  STATUS_SUCCESS);
    EXPECT_EQ(written, sizeof(crc));
    RtlCopyMemory(&crc, buffer, sizeof(crc));
    EXPECT_EQ(crc, 0xCBF43926u);
}

MINWDM_TEST(request_refuses_what_it_cannot_answer)
{
    char *big = POOL_ALLOC(CHECKSUM_MAX_INPUT + 1, MEM_TAG('C', 'k', 'T', 's'));
    ULONG written = 1;

    ASSERT_TRUE(big != NULL);
    EXPECT_STATUS(checksum_request(IOCTL_CHECKSUM_CRC32, big, CHECKSUM_MAX_INPUT + 1, 4, &written),
                  STATUS_INVALID_PARAMETER);
    EXPECT_EQ(written, 0);
    EXPECT_STATUS(checksum_request(IOCTL_CHECKSUM_CRC32, big, 10, 3, &written),
                  STATUS_BUFFER_TOO_SMALL);
    EXPECT_STATUS(checksum_request(IOCTL_CHECKSUM_CRC32 + 4, big, 10, 4, &written),
                  STATUS_INVALID_DEVICE_REQUEST);
    POOL_FREE(big, MEM_TAG('C', 'k', 'T', 's'));
}
