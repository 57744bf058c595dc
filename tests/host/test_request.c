/* The portable request core: every rule of include/minwdm/ioctl.h, on the host, with sanitizers. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/request.h"

#define PATTERN 0xA5
#define BUFFER_SIZE (MINWDM_ECHO_MAX + 64)

static struct minwdm_identity identity;
static unsigned char in[BUFFER_SIZE], out[BUFFER_SIZE];

static minwdm_status request(uint32_t code, const void *input, uint32_t in_length, void *output,
                             uint32_t out_length, uint32_t *written)
{
    struct minwdm_request r = {code, input, in_length, output, out_length};

    memset(out, PATTERN, sizeof(out));
    *written = 0xDEADBEEF;
    return minwdm_handle_request(&identity, &r, written);
}

static int untouched(size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (out[i] != PATTERN)
            return 0;
    return 1;
}

static void test_identity(void)
{
    char long_id[100];

    memset(long_id, 'x', sizeof(long_id) - 1);
    long_id[sizeof(long_id) - 1] = '\0';
    minwdm_identity_init(&identity, 1, 2, 3, long_id);
    CHECK(identity.version.build_id[MINWDM_BUILD_ID_SIZE - 1] == '\0');
    CHECK(strlen(identity.version.build_id) == MINWDM_BUILD_ID_SIZE - 1);

    memset(&identity, 0xFF, sizeof(identity));
    minwdm_identity_init(&identity, 0, 1, 0, "abc clang");
    CHECK(identity.version.abi_version == MINWDM_ABI_VERSION);
    CHECK(identity.version.driver_major == 0 && identity.version.driver_minor == 1 &&
          identity.version.driver_patch == 0 && identity.version.reserved == 0);
    CHECK(strcmp(identity.version.build_id, "abc clang") == 0);
    for (size_t i = strlen("abc clang"); i < MINWDM_BUILD_ID_SIZE; i++)
        CHECK(identity.version.build_id[i] == 0);
}

static void test_get_version(void)
{
    struct minwdm_version v;
    uint32_t written;
    const uint32_t size = sizeof(struct minwdm_version);

    CHECK(request(IOCTL_MINWDM_GET_VERSION, NULL, 0, out, size, &written) ==
          MINWDM_STATUS_SUCCESS);
    CHECK(written == size);
    memcpy(&v, out, sizeof(v));
    CHECK(memcmp(&v, &identity.version, sizeof(v)) == 0);

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
    CHECK(request(IOCTL_MINWDM_ECHO, in, 5, out, 5, &written) == MINWDM_STATUS_SUCCESS);
    CHECK(written == 5 && memcmp(out, in, 5) == 0);
    CHECK(request(IOCTL_MINWDM_ECHO, in, 5, out, 50, &written) == MINWDM_STATUS_SUCCESS);
    CHECK(written == 5 && memcmp(out, in, 5) == 0 && untouched(5, 50));
    CHECK(request(IOCTL_MINWDM_ECHO, NULL, 0, NULL, 0, &written) == MINWDM_STATUS_SUCCESS);
    CHECK(written == 0);
    CHECK(request(IOCTL_MINWDM_ECHO, NULL, 0, out, 8, &written) == MINWDM_STATUS_SUCCESS);
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
}

/* METHOD_BUFFERED hands the driver one buffer for both directions. */
static void test_echo_in_place(void)
{
    unsigned char buffer[64];
    struct minwdm_request r = {IOCTL_MINWDM_ECHO, buffer, 10, buffer, sizeof(buffer)};
    uint32_t written;

    for (size_t i = 0; i < sizeof(buffer); i++)
        buffer[i] = (unsigned char)i;
    CHECK(minwdm_handle_request(&identity, &r, &written) == MINWDM_STATUS_SUCCESS);
    CHECK(written == 10);
    for (size_t i = 0; i < sizeof(buffer); i++)
        CHECK(buffer[i] == (unsigned char)i);

    /* Overlapping but distinct buffers are copied as memmove would. */
    struct minwdm_request shifted = {IOCTL_MINWDM_ECHO, buffer, 10, buffer + 3, 20};
    CHECK(minwdm_handle_request(&identity, &shifted, &written) == MINWDM_STATUS_SUCCESS);
    for (size_t i = 0; i < 10; i++)
        CHECK(buffer[3 + i] == (unsigned char)i);
}

static void test_bad_buffers_and_codes(void)
{
    uint32_t written;

    CHECK(request(IOCTL_MINWDM_ECHO, NULL, 4, out, 4, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(written == 0);
    CHECK(request(IOCTL_MINWDM_ECHO, in, 4, NULL, 4, &written) == MINWDM_STATUS_INVALID_PARAMETER);
    CHECK(request(IOCTL_MINWDM_GET_VERSION, NULL, 0, NULL, 60, &written) ==
          MINWDM_STATUS_INVALID_PARAMETER);

    const uint32_t codes[] = {
        0,
        0xFFFFFFFFu,
        MINWDM_CTL_CODE(0x802, MINWDM_FILE_READ_ACCESS),
        MINWDM_CTL_CODE(0x800, MINWDM_FILE_ANY_ACCESS),
        IOCTL_MINWDM_ECHO | 3u,
        IOCTL_MINWDM_GET_VERSION ^ 0x00010000u,
    };
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        CHECK(request(codes[i], in, 4, out, 4, &written) == MINWDM_STATUS_INVALID_DEVICE_REQUEST);
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
    const uint32_t codes[] = {IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO, 0x12345678u};
    uint32_t written;

    for (size_t c = 0; c < 3; c++)
        for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++)
            for (size_t o = 0; o < sizeof(lengths) / sizeof(lengths[0]); o++) {
                minwdm_status s = request(codes[c], lengths[i] ? in : NULL, lengths[i],
                                          lengths[o] ? out : NULL, lengths[o], &written);
                CHECK(written <= lengths[o]);
                CHECK(MINWDM_SUCCESS(s) || written == 0);
                CHECK(untouched(written, BUFFER_SIZE) || !MINWDM_SUCCESS(s));
            }
}

int main(void)
{
    test_identity();
    test_get_version();
    test_echo();
    test_echo_in_place();
    test_bad_buffers_and_codes();
    test_written_never_exceeds_output();
    return check_done("test_request");
}
