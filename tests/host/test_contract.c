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
    const uint32_t codes[] = {IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO};

    CHECK(IOCTL_MINWDM_GET_VERSION == SDK_CTL_CODE(0x8157u, 0x800u, 0u, 1u));
    CHECK(IOCTL_MINWDM_ECHO == SDK_CTL_CODE(0x8157u, 0x801u, 0u, 1u));
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        CHECK((codes[i] & 3u) == MINWDM_METHOD_BUFFERED);
        CHECK(MINWDM_CTL_DEVICE_TYPE(codes[i]) == MINWDM_DEVICE_TYPE);
        CHECK(MINWDM_CTL_FUNCTION(codes[i]) >= 0x800u && MINWDM_CTL_FUNCTION(codes[i]) <= 0xFFFu);
        for (size_t j = 0; j < i; j++)
            CHECK(MINWDM_CTL_FUNCTION(codes[i]) != MINWDM_CTL_FUNCTION(codes[j]));
    }
    CHECK(MINWDM_DEVICE_TYPE >= 0x8000u && MINWDM_DEVICE_TYPE <= 0xFFFFu);
    CHECK(MINWDM_ABI_VERSION == 1u);
    CHECK(offsetof(struct minwdm_version, abi_version) == 0);
    CHECK(offsetof(struct minwdm_version, driver_major) == 4);
    CHECK(offsetof(struct minwdm_version, driver_minor) == 6);
    CHECK(offsetof(struct minwdm_version, driver_patch) == 8);
    CHECK(offsetof(struct minwdm_version, reserved) == 10);
    CHECK(offsetof(struct minwdm_version, build_id) == 12);
    CHECK(sizeof(struct minwdm_version) == 60);
    return check_done("test_contract");
}
