/*
 * The requests of the runtime's control device (include/minwdm/control.h), in portable C: no DDK
 * header, no global state. The kernel glue (control_device.c), the host unit tests and the
 * fuzzer call this same code.
 */
#ifndef MINWDM_RUNTIME_CONTROL_H
#define MINWDM_RUNTIME_CONTROL_H

#include <minwdm/control.h>
#include <minwdm/log.h>
#include <minwdm/mem.h>
#include <minwdm/request.h>

#include "test_runner.h"

/* What the control requests work with; filled once at load. */
struct runtime_control {
    struct mem_allocator *memory;
    struct logger *log;
    uint32_t pool; /* MINWDM_POOL_* */
    const struct test_runner *tests; /* a test build's kernel tests (NULL: none) */
};

/*
 * Validates and serves one control request. *written receives the output bytes written: never
 * more than output_length, 0 whenever the status is not a success.
 */
minwdm_status control_handle_request(const struct runtime_control *control,
                                     const struct minwdm_request *request, uint32_t *written);

/* 1 when the request changes the driver's state (its code then needs write access), 0 when it
 * only reads, -1 for a code the control device does not serve. */
int control_request_changes_state(uint32_t code);

/* The handlers, for a driver that serves the same requests under codes of its own (minwdm.sys,
 * ABI 3). Each validates its lengths; the buffers must be valid (minwdm_request_buffers_valid). */
minwdm_status control_get_stats(const struct runtime_control *control,
                                const struct minwdm_request *request, uint32_t abi_version,
                                uint32_t *written);
minwdm_status control_fail_alloc(const struct runtime_control *control,
                                 const struct minwdm_request *request);
minwdm_status control_read_log(const struct runtime_control *control,
                               const struct minwdm_request *request, uint32_t *written);
minwdm_status control_set_log_level(const struct runtime_control *control,
                                    const struct minwdm_request *request);

/* The unload report: what the allocator still holds and what it detected. */
void control_unload_report(const struct runtime_control *control, uint64_t leaked_blocks,
                           uint64_t leaked_bytes, struct minwdm_unload_report *report);

#endif
