/*
 * The device's request handling, in portable C: no DDK header, no allocation, no global state.
 * The driver's IRP glue, the host unit tests and fuzzers all call this same code.
 */
#ifndef MINWDM_CORE_REQUEST_H
#define MINWDM_CORE_REQUEST_H

#include <minwdm/ioctl.h>

#include "status.h"

/* What the device reports about itself; filled once at load. */
struct minwdm_identity {
    struct minwdm_version version;
};

/*
 * One METHOD_BUFFERED request. As in the kernel, input and output may be the same buffer: the
 * input is fully consumed before any output byte is written.
 */
struct minwdm_request {
    uint32_t code;
    const void *input;
    uint32_t input_length;
    void *output;
    uint32_t output_length;
};

void minwdm_identity_init(struct minwdm_identity *identity, uint16_t major, uint16_t minor,
                          uint16_t patch, const char *build_id);

/*
 * Validates and serves one request. *written receives the number of output bytes written: never
 * more than output_length, and 0 whenever the status is not a success.
 */
minwdm_status minwdm_handle_request(const struct minwdm_identity *identity,
                                    const struct minwdm_request *request, uint32_t *written);

#endif
