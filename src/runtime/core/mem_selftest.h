/* The allocator's own tests, in portable C: the host unit tests run them under sanitizers and the
 * driver runs them in the kernel (IOCTL_MINWDM_SELFTEST), against the pool it really uses. */
#ifndef MINWDM_CORE_MEM_SELFTEST_H
#define MINWDM_CORE_MEM_SELFTEST_H

#include <minwdm/mem.h>

#define MEM_SELFTEST_TEXT_SIZE 128u

struct mem_selftest_result {
    uint32_t passed;
    uint32_t failed;
    char first_failure[MEM_SELFTEST_TEXT_SIZE]; /* "mem_selftest.c:<line>", or empty */
};

/*
 * Runs every check on an allocator of its own over platform's pool and locks (the events it
 * provokes on purpose are counted, not reported to platform->report). PASSIVE_LEVEL (it uses
 * paged pool). Returns 0 when it could not even start (no memory for its state).
 */
int mem_selftest(const struct mem_platform *platform, struct mem_selftest_result *result);

#endif
