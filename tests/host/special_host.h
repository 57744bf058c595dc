/* The special pool on Linux, for the host tests and benchmarks: the portable arena
 * (src/runtime/core/special_arena.c) over mmap and mprotect, and the allocator's hooks over it. */
#ifndef MINWDM_TEST_SPECIAL_HOST_H
#define MINWDM_TEST_SPECIAL_HOST_H

#include <minwdm/mem.h>

#include "core/special_arena.h"

struct special_host {
    struct special_arena arena;
    void *base;
    size_t class_bytes;
    struct special_record *records;
};

/* Reserves SPECIAL_CLASSES * class_bytes of address space; 0 on failure. */
int special_host_start(struct special_host *host, size_t class_bytes, enum special_mode mode);
void special_host_stop(struct special_host *host);
/* Points platform's special_* hooks at host (their context; the rest of platform is kept). */
void special_host_hooks(struct special_host *host, struct mem_platform *platform);

#endif
