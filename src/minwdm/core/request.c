#include "request.h"

#include <stddef.h>
#include <string.h>

#include "core/control.h"
#include "core/mem_selftest.h"
#include "core/placement.h"


void minwdm_device_init(struct minwdm_device *device, uint16_t major, uint16_t minor,
                        uint16_t patch, const char *build_id)
{
    struct minwdm_version *v = &device->version;
    size_t length = strlen(build_id);

    memset(device, 0, sizeof(*device));
    v->abi_version = MINWDM_ABI_VERSION;
    v->driver_major = major;
    v->driver_minor = minor;
    v->driver_patch = patch;
    if (length >= sizeof(v->build_id))
        length = sizeof(v->build_id) - 1;
    memcpy(v->build_id, build_id, length);
}

static minwdm_status get_version(struct minwdm_device *d, const struct minwdm_request *r,
                                 uint32_t *written)
{
    minwdm_status status = minwdm_request_output_only(r, sizeof(d->version));

    if (!MINWDM_SUCCESS(status))
        return status;
    memcpy(r->output, &d->version, sizeof(d->version));
    *written = sizeof(d->version);
    return MINWDM_STATUS_SUCCESS;
}

static minwdm_status echo(struct minwdm_device *d, const struct minwdm_request *r,
                          uint32_t *written)
{
    if (r->input_length > MINWDM_ECHO_MAX)
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < r->input_length)
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    /* The caller's bytes are an argument, never the format; %.*s stops at their end. */
    log_at(d->log, MINWDM_LOG_INFO, "%u bytes: \"%.*s\"", (unsigned)r->input_length,
           (int)r->input_length, (const char *)r->input);
    if (r->input_length && r->output != r->input)
        memmove(r->output, r->input, r->input_length);
    *written = r->input_length;
    return MINWDM_STATUS_SUCCESS;
}

/* The runtime's requests, served on minwdm's own device too (ABI 3 codes). */
static struct runtime_control control_of(const struct minwdm_device *d)
{
    struct runtime_control c = {d->memory, d->log, d->pool, NULL};

    return c;
}

static minwdm_status get_stats(struct minwdm_device *d, const struct minwdm_request *r,
                               uint32_t *written)
{
    struct runtime_control c = control_of(d);

    return control_get_stats(&c, r, MINWDM_ABI_VERSION, written);
}

CORE_PAGED_CODE static minwdm_status selftest(struct minwdm_device *d,
                                              const struct minwdm_request *r, uint32_t *written)
{
    struct minwdm_selftest_result out;
    struct mem_selftest_result result;
    minwdm_status status = minwdm_request_output_only(r, sizeof(out));

    if (!MINWDM_SUCCESS(status))
        return status;
    if (!mem_selftest(&d->memory->platform, &result))
        return MINWDM_STATUS_INSUFFICIENT_RESOURCES;
    memset(&out, 0, sizeof(out));
    out.passed = result.passed;
    out.failed = result.failed;
    memcpy(out.first_failure, result.first_failure, sizeof(out.first_failure));
    out.first_failure[sizeof(out.first_failure) - 1] = '\0';
    memcpy(r->output, &out, sizeof(out));
    *written = sizeof(out);
    return MINWDM_STATUS_SUCCESS;
}

static minwdm_status fail_alloc(struct minwdm_device *d, const struct minwdm_request *r,
                                uint32_t *written)
{
    struct runtime_control c = control_of(d);

    (void)written;
    return control_fail_alloc(&c, r);
}

static minwdm_status read_log(struct minwdm_device *d, const struct minwdm_request *r,
                              uint32_t *written)
{
    struct runtime_control c = control_of(d);

    return control_read_log(&c, r, written);
}

static minwdm_status set_log_level(struct minwdm_device *d, const struct minwdm_request *r,
                                   uint32_t *written)
{
    struct runtime_control c = control_of(d);

    (void)written;
    return control_set_log_level(&c, r);
}

/* Only builds made for benchmarking carry the benchmark (bench/run builds one). */
static minwdm_status bench(struct minwdm_device *d, const struct minwdm_request *r,
                           uint32_t *written)
{
    if (!d->bench)
        return MINWDM_STATUS_INVALID_DEVICE_REQUEST;
    return d->bench(d, r, written);
}

typedef minwdm_status handler_fn(struct minwdm_device *device, const struct minwdm_request *request,
                                 uint32_t *written);

enum { NEEDS_MEMORY = 1, NEEDS_LOG = 2 };

/* changes_state: what the request does lasts beyond it (or costs the system much): its code asks
 * for write access, so a handle opened for reading only cannot send it. */
static const struct {
    handler_fn *handler;
    uint32_t code;
    uint8_t needs;
    uint8_t changes_state;
} handlers[] = {
    {get_version, IOCTL_MINWDM_GET_VERSION, 0, 0},
    {echo, IOCTL_MINWDM_ECHO, 0, 0},
    {get_stats, IOCTL_MINWDM_GET_STATS, NEEDS_MEMORY, 0},
    {selftest, IOCTL_MINWDM_SELFTEST, NEEDS_MEMORY, 1},
    {fail_alloc, IOCTL_MINWDM_FAIL_ALLOC, NEEDS_MEMORY, 1},
    {bench, IOCTL_MINWDM_BENCH, NEEDS_MEMORY | NEEDS_LOG, 1},
    {read_log, IOCTL_MINWDM_READ_LOG, NEEDS_LOG, 0},
    {set_log_level, IOCTL_MINWDM_SET_LOG_LEVEL, NEEDS_LOG, 1},
};

int minwdm_request_changes_state(uint32_t code)
{
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (handlers[i].code == code)
            return handlers[i].changes_state;
    return -1;
}

minwdm_status minwdm_handle_request(struct minwdm_device *device,
                                    const struct minwdm_request *request, uint32_t *written)
{
    *written = 0;
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
        if (handlers[i].code != request->code)
            continue;
        if (!minwdm_request_buffers_valid(request))
            return MINWDM_STATUS_INVALID_PARAMETER;
        if ((handlers[i].needs & NEEDS_MEMORY && !device->memory) ||
            (handlers[i].needs & NEEDS_LOG && !device->log))
            return MINWDM_STATUS_INVALID_DEVICE_STATE;
        return handlers[i].handler(device, request, written);
    }
    return MINWDM_STATUS_INVALID_DEVICE_REQUEST;
}
