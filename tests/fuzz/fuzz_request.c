/*
 * libFuzzer over the driver's request core (validation and dispatch), with the allocator and the
 * log the driver has, on the host:
 *   input: <selector> <code: 4 bytes> <output length: 2 bytes> <in place: 1 byte> <input...>
 * A selector below 224 picks one of minwdm's codes (its access bits flipped when the code bytes
 * say so); otherwise the code bytes are the code. Every request runs twice, its output buffer
 * filled first with one pattern, then with another: what comes back must be the same both times
 * (every byte returned was written by the driver for the request), nothing past what the driver
 * reports may change, a failure reports nothing, and the allocator ends with no block out and
 * nothing detected.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <minwdm/log.h>
#include "core/request.h"
#include "host_lock.h"
#include "mem_host.h"

#define MAX_IO 65536u

static const uint32_t codes[] = {
    IOCTL_MINWDM_GET_VERSION, IOCTL_MINWDM_ECHO,     IOCTL_MINWDM_GET_STATS,
    IOCTL_MINWDM_SELFTEST,    IOCTL_MINWDM_FAIL_ALLOC, IOCTL_MINWDM_BENCH,
    IOCTL_MINWDM_READ_LOG,    IOCTL_MINWDM_SET_LOG_LEVEL};

static struct mem_host host;
static struct mem_allocator memory;
static struct logger log;
static uint64_t ring[4096];
static struct minwdm_device device;

static void start(void)
{
    static const struct log_platform platform = {{0}, NULL, NULL, NULL, NULL};
    struct log_platform p = platform;

    mem_host_init(&host, 0);
    mem_init(&memory, &host.platform);
    p.lock = host_lock_ops;
    log_init(&log, "minwdm", &p, ring, sizeof(ring), 1);
    minwdm_device_init(&device, 0, 1, 0, "fuzz");
    device.memory = &memory;
    device.log = &log;
}

/* One run: returns the status; out holds what the driver was given, prefilled with pattern. */
static minwdm_status run(uint32_t code, const uint8_t *input, uint32_t in_length,
                         uint32_t out_length, int in_place, uint8_t pattern, uint8_t *out,
                         uint32_t *written)
{
    struct minwdm_request r = {code, NULL, in_length, NULL, out_length};
    uint8_t *own_input = NULL;

    memset(out, pattern, MAX_IO);
    if (in_place) { /* METHOD_BUFFERED: one buffer, the input at its start */
        memcpy(out, input, in_length);
        r.input = in_length ? out : NULL;
    } else if (in_length) {
        own_input = malloc(in_length); /* exactly sized: AddressSanitizer sees any over-read */
        memcpy(own_input, input, in_length);
        r.input = own_input;
    }
    r.output = out_length ? out : NULL;
    minwdm_status status = minwdm_handle_request(&device, &r, written);
    free(own_input);
    return status;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t first[MAX_IO], second[MAX_IO];
    uint32_t code, out_length, in_length, written[2];

    if (!device.memory)
        start();
    if (size < 8)
        return 0;
    memcpy(&code, data + 1, 4);
    if (data[0] < 224)
        code = codes[data[0] % (sizeof(codes) / sizeof(codes[0]))] ^ (code & 0xC000u);
    out_length = (uint32_t)data[5] | (uint32_t)data[6] << 8;
    int in_place = data[7] & 1;
    in_length = (uint32_t)(size - 8 > MAX_IO ? MAX_IO : size - 8);
    if (in_place && out_length < in_length)
        out_length = in_length; /* the I/O manager's buffer holds both */

    mem_fail_nth(&memory, 0); /* each input starts from the same state */
    log_set_level(&log, MINWDM_LOG_INFO);
    minwdm_status s1 = run(code, data + 8, in_length, out_length, in_place, 0xA5, first,
                           &written[0]);
    mem_fail_nth(&memory, 0);
    log_set_level(&log, MINWDM_LOG_INFO);
    minwdm_status s2 = run(code, data + 8, in_length, out_length, in_place, 0x5A, second,
                           &written[1]);

    if (s1 != s2 || written[0] != written[1] || written[0] > out_length)
        abort();
    if (!MINWDM_SUCCESS(s1) && written[0] != 0)
        abort();
    /* Every byte returned was written for this request: the same whatever was there before. */
    if (memcmp(first, second, written[0]) != 0)
        abort();
    /* Nothing past what the driver reports changed, unless it is the request's own input. */
    uint32_t untouched_from = in_place && in_length > written[0] ? in_length : written[0];
    for (uint32_t i = untouched_from; i < out_length; i++)
        if (first[i] != 0xA5 || second[i] != 0x5A)
            abort();
    struct mem_stats stats;
    mem_stats(&memory, &stats, NULL, NULL);
    if (stats.outstanding_blocks != 0 || mem_check_all(&memory) != 0)
        abort();
    for (int e = 0; e < MEM_EVENT_COUNT; e++)
        if (stats.events[e])
            abort();
    return 0;
}
