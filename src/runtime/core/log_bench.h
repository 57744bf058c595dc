/* The record the log benchmarks time, in the driver and on the host: three arguments, and about
 * 60 characters with the line's prefix ("minwdm: info: bench: handle 42 read 4096 bytes: ..."). */
#ifndef MINWDM_CORE_LOG_BENCH_H
#define MINWDM_CORE_LOG_BENCH_H

#include <minwdm/log.h>

static inline void log_bench_record(struct logger *logger, uint32_t i)
{
    log_message(logger, MINWDM_LOG_INFO, "bench", "handle %u read %u bytes: %s", i % 100, 4096u,
                "STATUS_SUCCESS");
}

#endif
