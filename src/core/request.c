#include "request.h"

#include <string.h>

void minwdm_identity_init(struct minwdm_identity *identity, uint16_t major, uint16_t minor,
                          uint16_t patch, const char *build_id)
{
    struct minwdm_version *v = &identity->version;
    size_t length = strlen(build_id);

    memset(identity, 0, sizeof(*identity));
    v->abi_version = MINWDM_ABI_VERSION;
    v->driver_major = major;
    v->driver_minor = minor;
    v->driver_patch = patch;
    if (length >= sizeof(v->build_id))
        length = sizeof(v->build_id) - 1;
    memcpy(v->build_id, build_id, length);
}

/* A length without a buffer only comes from a broken caller (Windows rejects it before us). */
static int buffers_valid(const struct minwdm_request *r)
{
    return (r->input_length == 0 || r->input) && (r->output_length == 0 || r->output);
}

static minwdm_status get_version(const struct minwdm_identity *identity,
                                 const struct minwdm_request *r, uint32_t *written)
{
    /* Input is reserved for future versions of the request; refuse it rather than ignore it. */
    if (r->input_length != 0)
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < sizeof(identity->version))
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    memcpy(r->output, &identity->version, sizeof(identity->version));
    *written = sizeof(identity->version);
    return MINWDM_STATUS_SUCCESS;
}

static minwdm_status echo(const struct minwdm_identity *identity, const struct minwdm_request *r,
                          uint32_t *written)
{
    (void)identity;
    if (r->input_length > MINWDM_ECHO_MAX)
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < r->input_length)
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    if (r->input_length && r->output != r->input)
        memmove(r->output, r->input, r->input_length);
    *written = r->input_length;
    return MINWDM_STATUS_SUCCESS;
}

typedef minwdm_status handler_fn(const struct minwdm_identity *identity,
                                 const struct minwdm_request *request, uint32_t *written);

static const struct {
    uint32_t code;
    handler_fn *handler;
} handlers[] = {
    {IOCTL_MINWDM_GET_VERSION, get_version},
    {IOCTL_MINWDM_ECHO, echo},
};

minwdm_status minwdm_handle_request(const struct minwdm_identity *identity,
                                    const struct minwdm_request *request, uint32_t *written)
{
    *written = 0;
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
        if (handlers[i].code != request->code)
            continue;
        if (!buffers_valid(request))
            return MINWDM_STATUS_INVALID_PARAMETER;
        return handlers[i].handler(identity, request, written);
    }
    return MINWDM_STATUS_INVALID_DEVICE_REQUEST;
}
