/*
 * A METHOD_BUFFERED request in portable form: what a driver's IRP glue hands to request-handling
 * code that has no DDK header, so that the host unit tests and fuzzers run the same code.
 */
#ifndef MINWDM_REQUEST_H
#define MINWDM_REQUEST_H

#include <stdint.h>

#include <minwdm/status.h>

/* As in the kernel, input and output may be the same buffer: a handler consumes its input
 * before it writes any output byte. */
struct minwdm_request {
    uint32_t code;
    const void *input;
    uint32_t input_length;
    void *output;
    uint32_t output_length;
};

/* A length without a buffer only comes from a broken caller (Windows rejects it before us). */
static inline int minwdm_request_buffers_valid(const struct minwdm_request *r)
{
    return (r->input_length == 0 || r->input) && (r->output_length == 0 || r->output);
}

/* The common shape of a query: no input (reserved for later versions), at least `size` bytes of
 * output. */
static inline minwdm_status minwdm_request_output_only(const struct minwdm_request *r,
                                                        uint32_t size)
{
    if (r->input_length != 0)
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < size)
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    return MINWDM_STATUS_SUCCESS;
}

#endif
