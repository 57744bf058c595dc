/* IOCTL_MINWDM_BENCH: times alloc+free pairs of each allocation path, on an allocator of its own
 * so that the driver's statistics stay its own, and log records, on a logger of its own. Built
 * into benchmark builds only: set device->bench = minwdm_bench, and device->clock. */
#ifndef MINWDM_CORE_BENCH_H
#define MINWDM_CORE_BENCH_H

#include "request.h"

minwdm_status minwdm_bench(struct minwdm_device *device, const struct minwdm_request *request,
                           uint32_t *written);

#endif
