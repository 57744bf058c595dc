/*
 * The names of the device contract, one copy each: every request code of include/minwdm/ioctl.h
 * and include/minwdm/control.h, the allocator's events, the benchmark paths and the pools. Each
 * name is bound to the contract's own value (the codes' names are their macros' names); the host
 * test host.ctl_args fails when a header defines an IOCTL_ this table lacks. Portable C: no
 * Windows header, nothing prints.
 */
#ifndef MINWDMCTL_CONTRACT_H
#define MINWDMCTL_CONTRACT_H

#include <minwdm/ioctl.h>
#include <stddef.h>
#include <stdint.h>

/* Which device serves a request. */
enum ctl_code_device {
    CTL_CODE_DRIVER,  /* minwdm.sys's own device, \\.\minwdm (ioctl.h) */
    CTL_CODE_CONTROL, /* the runtime's control device of any RUNTIME driver (control.h) */
};

struct ctl_code {
    const char *name; /* "IOCTL_MINWDM_ECHO" */
    uint32_t code;
    enum ctl_code_device device;
};

extern const struct ctl_code ctl_codes[];
extern const size_t ctl_code_count;

/* The code's name, or NULL for a code the contract does not define. */
const char *ctl_code_name(uint32_t code);

/* A code by its name, in any case: 1 and *code, or 0. */
int ctl_code_by_name(const char *name, uint32_t *code);

/* "double_frees" for MINWDM_EVENT_DOUBLE_FREE; NULL outside the enum. */
const char *ctl_event_name(uint32_t event);

/* "pool" for MINWDM_BENCH_POOL; NULL outside the enum. */
const char *ctl_bench_path_name(uint32_t path);

/* A benchmark path by its name: 1 and *path, or 0. */
int ctl_bench_path_by_name(const char *name, uint32_t *path);

/* "ExAllocatePool2" for MINWDM_POOL_EX_ALLOCATE_POOL2 (and _UNZEROED), "unknown" for a value it
 * does not know. */
const char *ctl_pool_name(uint32_t pool);

/* Who zeroes the driver's blocks: "the pool" (ExAllocatePool2 on Windows) or "minwdm". */
const char *ctl_pool_zeroed_by(uint32_t pool);

#endif
