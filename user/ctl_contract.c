#include "ctl_contract.h"

#include <string.h>

/* The name is the macro's own: a misspelt entry does not compile. */
#define CODE(name, device) {#name, name, device}

const struct ctl_code ctl_codes[] = {
    CODE(IOCTL_MINWDM_GET_VERSION, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_ECHO, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_GET_STATS, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_SELFTEST, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_FAIL_ALLOC, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_BENCH, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_READ_LOG, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_SET_LOG_LEVEL, CTL_CODE_DRIVER),
    CODE(IOCTL_MINWDM_CONTROL_GET_INFO, CTL_CODE_CONTROL),
    CODE(IOCTL_MINWDM_CONTROL_GET_STATS, CTL_CODE_CONTROL),
    CODE(IOCTL_MINWDM_CONTROL_FAIL_ALLOC, CTL_CODE_CONTROL),
    CODE(IOCTL_MINWDM_CONTROL_READ_LOG, CTL_CODE_CONTROL),
    CODE(IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL, CTL_CODE_CONTROL),
    CODE(IOCTL_MINWDM_CONTROL_LIST_TESTS, CTL_CODE_CONTROL),
    CODE(IOCTL_MINWDM_CONTROL_RUN_TEST, CTL_CODE_CONTROL),
};

const size_t ctl_code_count = sizeof(ctl_codes) / sizeof(ctl_codes[0]);

static const char *const event_names[MINWDM_EVENT_COUNT] = {
    [MINWDM_EVENT_DOUBLE_FREE] = "double_frees",
    [MINWDM_EVENT_OVERRUN] = "overruns",
    [MINWDM_EVENT_UNDERRUN] = "underruns",
    [MINWDM_EVENT_FOREIGN_FREE] = "foreign_frees",
    [MINWDM_EVENT_TAG_MISMATCH] = "tag_mismatches",
    [MINWDM_EVENT_WRITE_AFTER_FREE] = "writes_after_free",
    [MINWDM_EVENT_LEAK] = "leaks",
    [MINWDM_EVENT_IRQL] = "irql_violations",
    [MINWDM_EVENT_BAD_REQUEST] = "bad_requests",
};

static const char *const bench_path_names[MINWDM_BENCH_PATH_COUNT] = {
    [MINWDM_BENCH_POOL] = "pool",
    [MINWDM_BENCH_GENERAL] = "general",
    [MINWDM_BENCH_CACHE] = "cache",
    [MINWDM_BENCH_ALIGNED] = "aligned",
    [MINWDM_BENCH_LOCKED_LIST] = "lockedlist",
    [MINWDM_BENCH_LOG_RING] = "logring",
    [MINWDM_BENCH_LOG_DBGPRINT] = "logdbgprint",
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int same_name(const char *a, const char *b)
{
    for (; lower((unsigned char)*a) == lower((unsigned char)*b); a++, b++)
        if (!*a)
            return 1;
    return 0;
}

const char *ctl_code_name(uint32_t code)
{
    for (size_t i = 0; i < ctl_code_count; i++)
        if (ctl_codes[i].code == code)
            return ctl_codes[i].name;
    return NULL;
}

int ctl_code_by_name(const char *name, uint32_t *code)
{
    for (size_t i = 0; i < ctl_code_count; i++) {
        if (same_name(name, ctl_codes[i].name)) {
            *code = ctl_codes[i].code;
            return 1;
        }
    }
    return 0;
}

const char *ctl_event_name(uint32_t event)
{
    return event < MINWDM_EVENT_COUNT ? event_names[event] : NULL;
}

const char *ctl_bench_path_name(uint32_t path)
{
    return path < MINWDM_BENCH_PATH_COUNT ? bench_path_names[path] : NULL;
}

int ctl_bench_path_by_name(const char *name, uint32_t *path)
{
    for (uint32_t i = 0; i < MINWDM_BENCH_PATH_COUNT; i++) {
        if (strcmp(name, bench_path_names[i]) == 0) {
            *path = i;
            return 1;
        }
    }
    return 0;
}

const char *ctl_pool_name(uint32_t pool)
{
    switch (pool) {
    case MINWDM_POOL_EX_ALLOCATE_POOL2:
    case MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED:
        return "ExAllocatePool2";
    case MINWDM_POOL_WITH_TAG_NX:
        return "ExAllocatePoolWithTag(NonPagedPoolNx)";
    default:
        return "unknown";
    }
}

const char *ctl_pool_zeroed_by(uint32_t pool)
{
    switch (pool) {
    case MINWDM_POOL_EX_ALLOCATE_POOL2:
        return "the pool";
    case MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED:
    case MINWDM_POOL_WITH_TAG_NX:
        return "minwdm";
    default:
        return "unknown";
    }
}
