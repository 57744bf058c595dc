/*
 * Who may open the device, on the host (Wine runs everything as an administrator): the security
 * descriptor the driver applies, byte for byte, evaluated by Windows' DACL rules for SYSTEM, an
 * elevated administrator, the same administrator unelevated (UAC's filtered token), a standard
 * user and an anonymous caller; and every request that changes the driver's state needs a
 * handle opened for writing.
 */
#include <string.h>

#include "check.h"
#include "core/device_security.h"
#include "core/request.h"

static const uint8_t local_system[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
static const uint8_t administrators[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};
static const uint8_t users[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x21, 2, 0, 0};
static const uint8_t everyone[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
static const uint8_t authenticated[] = {1, 1, 0, 0, 0, 0, 0, 5, 11, 0, 0, 0};
static const uint8_t anonymous[] = {1, 1, 0, 0, 0, 0, 0, 5, 7, 0, 0, 0};
static const uint8_t a_user[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 2, 3, 4,
                                 5, 6, 7, 8, 9, 10, 11, 12, 0xE9, 3, 0, 0}; /* ...-1001 */

#define ENABLED DEVICE_GROUP_ENABLED
#define DENY_ONLY DEVICE_GROUP_USE_FOR_DENY_ONLY
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The descriptor Windows' SDDL "D:P(A;;FA;;;SY)(A;;FA;;;BA)" stands for, written out by hand. */
static void exact_bytes(const uint8_t *sd, size_t size)
{
    static const uint8_t want[] = {
        1, 0, 0x04, 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, /* header */
        2, 0, 52, 0, 2, 0, 0, 0,                                             /* ACL */
        0, 0, 20, 0, 0xFF, 0x01, 0x1F, 0x00, 1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0,
        0, 0, 24, 0, 0xFF, 0x01, 0x1F, 0x00, 1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};
    CHECK(size == sizeof(want) && memcmp(sd, want, sizeof(want)) == 0);
}

static void who_may_open(const uint8_t *sd, size_t size)
{
    const uint32_t read_write = DEVICE_FILE_GENERIC_READ | DEVICE_FILE_GENERIC_WRITE;
    const struct device_group system[] = {{local_system, ENABLED}, {administrators, ENABLED},
                                          {everyone, ENABLED}, {authenticated, ENABLED}};
    const struct device_group elevated[] = {{a_user, ENABLED}, {administrators, ENABLED},
                                            {users, ENABLED}, {everyone, ENABLED},
                                            {authenticated, ENABLED}};
    const struct device_group unelevated[] = {{a_user, ENABLED}, {administrators, DENY_ONLY},
                                              {users, ENABLED}, {everyone, ENABLED},
                                              {authenticated, ENABLED}};
    const struct device_group standard[] = {{a_user, ENABLED}, {users, ENABLED},
                                            {everyone, ENABLED}, {authenticated, ENABLED}};
    const struct device_group nobody[] = {{anonymous, ENABLED}, {everyone, ENABLED}};
    const struct device_group disabled_admin[] = {{a_user, ENABLED}, {administrators, 0}};

    CHECK(device_security_allows(sd, size, system, COUNT(system), read_write));
    CHECK(device_security_allows(sd, size, elevated, COUNT(elevated), read_write));
    CHECK(device_security_allows(sd, size, elevated, COUNT(elevated), DEVICE_FILE_ALL_ACCESS));
    CHECK(!device_security_allows(sd, size, unelevated, COUNT(unelevated),
                                  DEVICE_FILE_GENERIC_READ));
    CHECK(!device_security_allows(sd, size, standard, COUNT(standard), DEVICE_FILE_GENERIC_READ));
    CHECK(!device_security_allows(sd, size, standard, COUNT(standard), DEVICE_FILE_READ_DATA));
    CHECK(!device_security_allows(sd, size, standard, COUNT(standard), 0x80)); /* attributes */
    CHECK(!device_security_allows(sd, size, nobody, COUNT(nobody), DEVICE_FILE_READ_DATA));
    CHECK(!device_security_allows(sd, size, disabled_admin, COUNT(disabled_admin),
                                  DEVICE_FILE_READ_DATA));
}

/* The evaluator itself, on descriptors made to show each rule. */
static void evaluator(const uint8_t *sd, size_t size)
{
    const struct device_group standard[] = {{a_user, ENABLED}, {everyone, ENABLED}};
    uint8_t copy[DEVICE_SECURITY_DESCRIPTOR_MAX];

    memcpy(copy, sd, size);
    copy[2] &= (uint8_t)~0x04; /* no DACL at all: everyone may */
    CHECK(device_security_allows(copy, size, standard, COUNT(standard), DEVICE_FILE_READ_DATA));
    memcpy(copy, sd, size);
    memset(copy + 16, 0, 4); /* a NULL DACL: everyone may; the reason never to pass one */
    CHECK(device_security_allows(copy, size, standard, COUNT(standard), DEVICE_FILE_READ_DATA));
    memcpy(copy, sd, size);
    copy[20 + 4] = 0; /* an empty DACL: nobody may */
    const struct device_group admin[] = {{administrators, ENABLED}};
    CHECK(!device_security_allows(copy, size, admin, COUNT(admin), DEVICE_FILE_READ_DATA));
    memcpy(copy, sd, size);
    copy[20 + 8 + 20] = 1; /* the Administrators ACE made a deny ACE */
    CHECK(!device_security_allows(copy, size, admin, COUNT(admin), DEVICE_FILE_READ_DATA));
    const struct device_group system[] = {{local_system, ENABLED}};
    CHECK(device_security_allows(copy, size, system, COUNT(system), DEVICE_FILE_READ_DATA));
    CHECK(!device_security_allows(sd, size - 1, admin, COUNT(admin), DEVICE_FILE_READ_DATA));
}

static void request_access(void)
{
    static const uint32_t codes[] = {
        IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO,     IOCTL_MINWDM_GET_STATS,
        IOCTL_MINWDM_SELFTEST,    IOCTL_MINWDM_FAIL_ALLOC, IOCTL_MINWDM_BENCH,
        IOCTL_MINWDM_READ_LOG,    IOCTL_MINWDM_SET_LOG_LEVEL};
    unsigned served = 0;

    for (size_t i = 0; i < COUNT(codes); i++) {
        int changes = minwdm_request_changes_state(codes[i]);
        uint32_t access = (codes[i] >> 14) & 3u;
        CHECK(changes >= 0);
        /* The tightest access: state changes need write access, reads need read access only. */
        CHECK(changes ? (access & MINWDM_FILE_WRITE_ACCESS) != 0
                      : access == MINWDM_FILE_READ_ACCESS);
        served += changes >= 0;
    }
    CHECK_EQ(served, COUNT(codes));
    CHECK(minwdm_request_changes_state(0x12345678u) < 0);
    CHECK(minwdm_request_changes_state(IOCTL_MINWDM_ECHO ^ 0xC000u) < 0); /* other access bits */
}

int main(void)
{
    uint8_t sd[DEVICE_SECURITY_DESCRIPTOR_MAX];
    size_t size = device_security_descriptor(sd, sizeof(sd));

    CHECK(size > 0 && size <= sizeof(sd));
    CHECK_EQ(device_security_descriptor(sd, size - 1), 0);
    size = device_security_descriptor(sd, sizeof(sd));
    exact_bytes(sd, size);
    who_may_open(sd, size);
    evaluator(sd, size);
    request_access();
    return check_done("test_device_security");
}
