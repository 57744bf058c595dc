/*
 * minwdm's logger on the host: nanoseconds per record into the ring, the same code as in the
 * driver (format, lock, copy), with the benchmarks' typical record (three arguments, about 60
 * characters) and a monotonic clock for each record's time, as the driver has.
 *   bench_log <records>
 * Prints one number: ns per record. bench/run calls it several times and takes the median.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/log_bench.h"
#include "host_lock.h"

static uint64_t now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 10000000u + (uint64_t)t.tv_nsec / 100u;
}

int main(int argc, char **argv)
{
    static uint64_t ring[0x8000 / sizeof(uint64_t)]; /* 32 KiB, as the driver's */
    struct log_platform platform = {host_lock_ops, now, NULL, NULL, NULL};
    struct logger log;
    long records = argc == 2 ? strtol(argv[1], NULL, 10) : 0;

    if (records <= 0) {
        fprintf(stderr, "usage: bench_log <records>\n");
        return 2;
    }
    log_init(&log, "minwdm", &platform, ring, sizeof(ring), 1);
    for (uint32_t i = 0; i < 1000; i++) /* warm up */
        log_bench_record(&log, i);
    uint64_t start = now();
    for (long i = 0; i < records; i++)
        log_bench_record(&log, (uint32_t)i);
    printf("%.2f\n", (double)(now() - start) * 100.0 / (double)records);
    return 0;
}
