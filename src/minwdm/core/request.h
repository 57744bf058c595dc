/*
 * The device's request handling, in portable C: no DDK header and no global state. The driver's
 * IRP glue, the host unit tests and fuzzers all call this same code.
 */
#ifndef MINWDM_CORE_REQUEST_H
#define MINWDM_CORE_REQUEST_H

#include <minwdm/ioctl.h>

#include <minwdm/log.h>
#include <minwdm/mem.h>
#include <minwdm/request.h>
#include <minwdm/status.h>

/* What the request handlers work with; filled once at load. */
struct minwdm_device {
    struct minwdm_version version;
    struct mem_allocator *memory; /* the driver's allocator */
    struct logger *log;           /* the driver's log */
    uint32_t pool;                /* MINWDM_POOL_*: which pool it draws from */
    /* IOCTL_MINWDM_BENCH, in benchmark builds only (NULL: the request is refused). */
    minwdm_status (*bench)(struct minwdm_device *device, const struct minwdm_request *request,
                           uint32_t *written);
    /* A monotonic clock for the benchmark: ticks, their frequency in *frequency when not NULL. */
    uint64_t (*clock)(uint64_t *frequency);
};

void minwdm_device_init(struct minwdm_device *device, uint16_t major, uint16_t minor,
                        uint16_t patch, const char *build_id);

/*
 * Validates and serves one request. *written receives the number of output bytes written: never
 * more than output_length, and 0 whenever the status is not a success. GET_STATS, SELFTEST,
 * FAIL_ALLOC and BENCH need device->memory, READ_LOG and SET_LOG_LEVEL device->log; SELFTEST runs
 * at PASSIVE_LEVEL only (it uses paged pool).
 */
minwdm_status minwdm_handle_request(struct minwdm_device *device,
                                    const struct minwdm_request *request, uint32_t *written);

/* 1 when the request changes the driver's state (its code then needs write access), 0 when it
 * only reads, -1 for a code the driver does not serve. */
int minwdm_request_changes_state(uint32_t code);

#endif
