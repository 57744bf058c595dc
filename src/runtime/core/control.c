#include "control.h"

#include <stddef.h>
#include <string.h>

/* The allocator's numbers are laid out as the contract's, so they are copied whole. */
_Static_assert(sizeof(struct mem_cache_stats) == sizeof(struct minwdm_cache_stats) &&
                   offsetof(struct mem_cache_stats, created) ==
                       offsetof(struct minwdm_cache_stats, created),
               "cache numbers match the contract");
_Static_assert(sizeof(struct mem_stats) == offsetof(struct minwdm_stats, cache_count) -
                                               offsetof(struct minwdm_stats, outstanding_blocks) &&
                   offsetof(struct mem_stats, events) + offsetof(struct minwdm_stats, outstanding_blocks) ==
                       offsetof(struct minwdm_stats, events) &&
                   (int)MEM_EVENT_COUNT == (int)MINWDM_EVENT_COUNT,
               "allocator numbers match the contract");

/* Writes each cache's numbers straight into the caller's buffer (no large stack copy). */
static void put_cache(void *context, unsigned index, const struct mem_cache_stats *cache)
{
    struct minwdm_stats *out = context;

    if (index < MINWDM_STATS_MAX_CACHES)
        memcpy(&out->caches[index], cache, sizeof(*cache));
}

minwdm_status control_get_stats(const struct runtime_control *c, const struct minwdm_request *r,
                                uint32_t abi_version, uint32_t *written)
{
    struct minwdm_stats *out = r->output;
    minwdm_status status = minwdm_request_output_only(r, sizeof(*out));
    struct mem_stats s;

    if (!MINWDM_SUCCESS(status))
        return status;
    memset(out, 0, sizeof(*out));
    unsigned count = mem_stats(c->memory, &s, put_cache, out);
    out->abi_version = abi_version;
    out->pool = c->pool;
    memcpy(&out->outstanding_blocks, &s, sizeof(s));
    out->cache_count = count < MINWDM_STATS_MAX_CACHES ? count : MINWDM_STATS_MAX_CACHES;
    *written = sizeof(*out);
    return MINWDM_STATUS_SUCCESS;
}

minwdm_status control_fail_alloc(const struct runtime_control *c, const struct minwdm_request *r)
{
    uint32_t nth;

    if (r->input_length != sizeof(nth))
        return MINWDM_STATUS_INVALID_PARAMETER;
    memcpy(&nth, r->input, sizeof(nth));
    mem_fail_nth(c->memory, nth);
    log_at(c->log, MINWDM_LOG_WARN, "allocation %u from now on will fail (0: none)", nth);
    return MINWDM_STATUS_SUCCESS;
}

minwdm_status control_read_log(const struct runtime_control *c, const struct minwdm_request *r,
                               uint32_t *written)
{
    uint64_t after;

    if (r->input_length != sizeof(after))
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < MINWDM_LOG_READ_MIN)
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    memcpy(&after, r->input, sizeof(after)); /* before the output overwrites it */
    *written = log_read(c->log, after, r->output, r->output_length);
    return MINWDM_STATUS_SUCCESS;
}

minwdm_status control_set_log_level(const struct runtime_control *c,
                                    const struct minwdm_request *r)
{
    uint32_t level, old = __atomic_load_n(&c->log->level, __ATOMIC_RELAXED);

    if (r->input_length != sizeof(level))
        return MINWDM_STATUS_INVALID_PARAMETER;
    memcpy(&level, r->input, sizeof(level));
    if (!log_set_level(c->log, level))
        return MINWDM_STATUS_INVALID_PARAMETER;
    log_at(c->log, MINWDM_LOG_INFO, "%s (was %s)", log_level_names[level], log_level_names[old]);
    return MINWDM_STATUS_SUCCESS;
}

static minwdm_status get_info(const struct runtime_control *c, const struct minwdm_request *r,
                              uint32_t *written)
{
    struct minwdm_control_info *out = r->output;
    minwdm_status status = minwdm_request_output_only(r, sizeof(*out));

    if (!MINWDM_SUCCESS(status))
        return status;
    memset(out, 0, sizeof(*out));
    out->abi_version = MINWDM_CONTROL_ABI_VERSION;
    out->pool = c->pool;
    out->instance = c->log->instance;
    for (size_t i = 0; i < sizeof(out->name) - 1 && c->log->name[i]; i++)
        out->name[i] = c->log->name[i];
    *written = sizeof(*out);
    return MINWDM_STATUS_SUCCESS;
}

void control_unload_report(const struct runtime_control *c, uint64_t leaked_blocks,
                           uint64_t leaked_bytes, struct minwdm_unload_report *report)
{
    struct mem_stats s;

    memset(report, 0, sizeof(*report));
    mem_stats(c->memory, &s, NULL, NULL);
    report->abi_version = MINWDM_CONTROL_ABI_VERSION;
    report->instance = c->log->instance;
    report->leaked_blocks = leaked_blocks;
    report->leaked_bytes = leaked_bytes;
    memcpy(report->events, s.events, sizeof(report->events));
}

static minwdm_status list_tests(const struct runtime_control *c, const struct minwdm_request *r,
                                uint32_t *written)
{
    uint32_t index;

    if (r->input_length != sizeof(index))
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < sizeof(struct minwdm_test_entry))
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    memcpy(&index, r->input, sizeof(index)); /* before the output overwrites it */
    c->tests->ops->list(c->tests, index, r->output);
    *written = sizeof(struct minwdm_test_entry);
    return MINWDM_STATUS_SUCCESS;
}

static minwdm_status run_test(const struct runtime_control *c, const struct minwdm_request *r,
                              uint32_t *written)
{
    char name[MINWDM_TEST_NAME_SIZE];

    if (r->input_length == 0 || r->input_length >= sizeof(name))
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (r->output_length < sizeof(struct minwdm_test_result))
        return MINWDM_STATUS_BUFFER_TOO_SMALL;
    memcpy(name, r->input, r->input_length); /* before the output overwrites it */
    minwdm_status status = c->tests->ops->run(c->tests, name, r->input_length, r->output);
    if (MINWDM_SUCCESS(status))
        *written = sizeof(struct minwdm_test_result);
    return status;
}

enum { READS, CHANGES_STATE };

static const struct {
    uint32_t code;
    uint8_t changes_state; /* its code asks for write access: a read-only handle cannot send it */
} control_codes[] = {
    {IOCTL_MINWDM_CONTROL_GET_INFO, READS},
    {IOCTL_MINWDM_CONTROL_GET_STATS, READS},
    {IOCTL_MINWDM_CONTROL_FAIL_ALLOC, CHANGES_STATE},
    {IOCTL_MINWDM_CONTROL_READ_LOG, READS},
    {IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL, CHANGES_STATE},
    {IOCTL_MINWDM_CONTROL_LIST_TESTS, READS},
    {IOCTL_MINWDM_CONTROL_RUN_TEST, CHANGES_STATE},
};

int control_request_changes_state(uint32_t code)
{
    for (size_t i = 0; i < sizeof(control_codes) / sizeof(control_codes[0]); i++)
        if (control_codes[i].code == code)
            return control_codes[i].changes_state;
    return -1;
}

minwdm_status control_handle_request(const struct runtime_control *c,
                                     const struct minwdm_request *r, uint32_t *written)
{
    *written = 0;
    if (control_request_changes_state(r->code) < 0)
        return MINWDM_STATUS_INVALID_DEVICE_REQUEST;
    if (!minwdm_request_buffers_valid(r))
        return MINWDM_STATUS_INVALID_PARAMETER;
    if (!c->memory || !c->log)
        return MINWDM_STATUS_INVALID_DEVICE_STATE;
    switch (r->code) {
    case IOCTL_MINWDM_CONTROL_GET_INFO:
        return get_info(c, r, written);
    case IOCTL_MINWDM_CONTROL_GET_STATS:
        return control_get_stats(c, r, MINWDM_CONTROL_ABI_VERSION, written);
    case IOCTL_MINWDM_CONTROL_FAIL_ALLOC:
        return control_fail_alloc(c, r);
    case IOCTL_MINWDM_CONTROL_READ_LOG:
        return control_read_log(c, r, written);
    case IOCTL_MINWDM_CONTROL_LIST_TESTS:
    case IOCTL_MINWDM_CONTROL_RUN_TEST:
        if (!c->tests) /* a release build: no tests in it */
            return MINWDM_STATUS_INVALID_DEVICE_REQUEST;
        return r->code == IOCTL_MINWDM_CONTROL_LIST_TESTS ? list_tests(c, r, written)
                                                          : run_test(c, r, written);
    case IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL:
        return control_set_log_level(c, r);
    default:
        return MINWDM_STATUS_INVALID_DEVICE_REQUEST;
    }
}
