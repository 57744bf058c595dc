/* The device commands: version, echo, stats, selftest, fail-alloc, bench, and ioctl (a raw
 * request, its code by number or by any IOCTL_ name of the contract). Each request goes through
 * cli_send() and cli_report_request(). */
#include <minwdm/ioctl.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ctl_contract.h"
#include "ctl_error.h"
#include "minwdm_build.h"

#define STATUS_INVALID_DEVICE_REQUEST ((LONG)0xC0000010)

/* A request without input whose answer fills out exactly. */
static int query(const struct cli_options *o, DWORD code, void *out, DWORD size)
{
    struct cli_request r = {.code = code, .output = out, .output_length = size, .exact = TRUE};

    memset(out, 0, size);
    return cli_request(o, &r);
}

static void print_version(const struct cli_options *o, const struct minwdm_version *v)
{
    if (o->json) {
        printf("{\"minwdmctl\": {\"version\": \"%s\", \"abi\": %u, \"build\": ",
               MINWDM_VERSION_STRING, MINWDM_ABI_VERSION);
        cli_json_string(MINWDM_BUILD_ID);
        printf("}, \"driver\": {\"version\": \"%u.%u.%u\", \"abi\": %u, \"build\": ",
               v->driver_major, v->driver_minor, v->driver_patch, (unsigned)v->abi_version);
        cli_json_string(v->build_id);
        printf("}}\n");
    } else {
        printf("minwdmctl %s, ABI %u, build %s\n", MINWDM_VERSION_STRING, MINWDM_ABI_VERSION,
               MINWDM_BUILD_ID);
        printf("driver %u.%u.%u, ABI %u, build %s\n", v->driver_major, v->driver_minor,
               v->driver_patch, (unsigned)v->abi_version, v->build_id);
    }
}

int cli_version(const struct cli_options *o)
{
    struct minwdm_version v;
    int rc = query(o, IOCTL_MINWDM_GET_VERSION, &v, sizeof(v));

    if (rc != CTL_EXIT_OK)
        return rc;
    v.build_id[sizeof(v.build_id) - 1] = '\0';
    print_version(o, &v);
    if (v.abi_version != MINWDM_ABI_VERSION) {
        fprintf(stderr, "minwdmctl: the driver speaks ABI %u, this minwdmctl ABI %u: use the "
                        "minwdmctl built with the driver\n",
                (unsigned)v.abi_version, MINWDM_ABI_VERSION);
        return CTL_EXIT_DRIVER;
    }
    return CTL_EXIT_OK;
}

int cli_echo(const struct cli_options *o)
{
    static char reply[MINWDM_ECHO_MAX];
    const char *text = o->args[0];
    size_t length = strlen(text);

    if (length > MINWDM_ECHO_MAX) {
        fprintf(stderr, "minwdmctl: echo: %lu bytes is more than the driver's limit of %u\n",
                (unsigned long)length, MINWDM_ECHO_MAX);
        return CTL_EXIT_USAGE;
    }
    struct cli_request r = {.code = IOCTL_MINWDM_ECHO, .input = text,
                            .input_length = (DWORD)length, .output = reply,
                            .output_length = sizeof(reply)};
    int rc = cli_request(o, &r);
    if (rc != CTL_EXIT_OK)
        return rc;
    if (r.returned != length || memcmp(reply, text, length) != 0) {
        fprintf(stderr, "minwdmctl: echo: the driver answered %lu different bytes\n",
                (unsigned long)r.returned);
        return CTL_EXIT_DRIVER;
    }
    printf("%.*s\n", (int)r.returned, reply);
    return CTL_EXIT_OK;
}

static void print_stats_json(const struct minwdm_stats *s)
{
    printf("{\"pool\": \"%s\", \"zeroed_by\": \"%s\", \"outstanding_blocks\": %llu, "
           "\"outstanding_bytes\": %llu, "
           "\"peak_bytes\": %llu, \"allocations\": %llu, \"frees\": %llu, \"failures\": %llu, "
           "\"injected_failures\": %llu, \"pool_bytes\": %llu, \"events\": {",
           ctl_pool_name(s->pool), ctl_pool_zeroed_by(s->pool),
           (unsigned long long)s->outstanding_blocks,
           (unsigned long long)s->outstanding_bytes, (unsigned long long)s->peak_bytes,
           (unsigned long long)s->allocations, (unsigned long long)s->frees,
           (unsigned long long)s->failures, (unsigned long long)s->injected_failures,
           (unsigned long long)s->pool_bytes);
    for (uint32_t i = 0; i < MINWDM_EVENT_COUNT; i++)
        printf("%s\"%s\": %llu", i ? ", " : "", ctl_event_name(i),
               (unsigned long long)s->events[i]);
    printf("}, \"caches\": [");
    for (uint32_t i = 0; i < s->cache_count && i < MINWDM_STATS_MAX_CACHES; i++) {
        const struct minwdm_cache_stats *c = &s->caches[i];
        printf("%s{\"name\": ", i ? ", " : "");
        cli_json_string(c->name);
        printf(", \"tag\": \"%.4s\", \"object_size\": %u, \"outstanding\": %llu, "
               "\"allocations\": %llu, \"hits\": %llu, \"depth\": %u, \"max_depth\": %u, "
               "\"created\": %llu}",
               (const char *)&c->tag, c->object_size, (unsigned long long)c->outstanding,
               (unsigned long long)c->allocations, (unsigned long long)c->hits, c->depth,
               c->max_depth, (unsigned long long)c->created);
    }
    printf("]}\n");
}

static void print_caches(const struct minwdm_stats *s)
{
    printf("%-16s %-4s %6s %11s %11s %11s %11s %9s\n", "cache", "tag", "size", "outstanding",
           "allocations", "hits", "depth/max", "created");
    for (uint32_t i = 0; i < s->cache_count && i < MINWDM_STATS_MAX_CACHES; i++) {
        const struct minwdm_cache_stats *c = &s->caches[i];
        char depth[32];
        snprintf(depth, sizeof(depth), "%u/%u", c->depth, c->max_depth);
        printf("%-16.16s %-4.4s %6u %11llu %11llu %11llu %11s %9llu\n", c->name,
               (const char *)&c->tag, c->object_size, (unsigned long long)c->outstanding,
               (unsigned long long)c->allocations, (unsigned long long)c->hits, depth,
               (unsigned long long)c->created);
    }
}

static void print_stats_text(const struct minwdm_stats *s)
{
    printf("pool:          %s, zeroed by %s\n", ctl_pool_name(s->pool),
           ctl_pool_zeroed_by(s->pool));
    printf("outstanding:   %llu blocks, %llu bytes (peak %llu bytes)\n",
           (unsigned long long)s->outstanding_blocks, (unsigned long long)s->outstanding_bytes,
           (unsigned long long)s->peak_bytes);
    printf("held:          %llu bytes of pool\n", (unsigned long long)s->pool_bytes);
    printf("allocations:   %llu (frees %llu, failures %llu, injected %llu)\n",
           (unsigned long long)s->allocations, (unsigned long long)s->frees,
           (unsigned long long)s->failures, (unsigned long long)s->injected_failures);
    printf("detections:   ");
    for (uint32_t i = 0; i < MINWDM_EVENT_COUNT; i++)
        printf(" %s %llu%s", ctl_event_name(i), (unsigned long long)s->events[i],
               i + 1 < MINWDM_EVENT_COUNT ? "," : "\n");
    print_caches(s);
}

int cli_stats(const struct cli_options *o)
{
    static struct minwdm_stats s;
    int rc = query(o, IOCTL_MINWDM_CONTROL_GET_STATS, &s, sizeof(s));

    if (rc != CTL_EXIT_OK)
        return rc;
    if (o->json)
        print_stats_json(&s);
    else
        print_stats_text(&s);
    return CTL_EXIT_OK;
}

int cli_selftest(const struct cli_options *o)
{
    struct minwdm_selftest_result r;
    int rc = query(o, IOCTL_MINWDM_SELFTEST, &r, sizeof(r));

    if (rc != CTL_EXIT_OK)
        return rc;
    r.first_failure[sizeof(r.first_failure) - 1] = '\0';
    printf("%u passed, %u failed\n", r.passed, r.failed);
    if (r.failed) {
        printf("first failure: %s\n", r.first_failure);
        return CTL_EXIT_DRIVER;
    }
    return CTL_EXIT_OK;
}

int cli_fail_alloc(const struct cli_options *o)
{
    uint64_t number;

    if (cli_number_arg("fail-alloc wants a count (0 turns it off)", o->args[0], 0, UINT32_MAX,
                       CLI_DECIMAL, &number))
        return CTL_EXIT_USAGE;
    uint32_t nth = (uint32_t)number;
    struct cli_request r = {.code = IOCTL_MINWDM_CONTROL_FAIL_ALLOC, .input = &nth,
                            .input_length = sizeof(nth)};
    int rc = cli_request(o, &r);
    if (rc != CTL_EXIT_OK)
        return rc;
    if (nth)
        printf("allocation %lu from now on will fail\n", (unsigned long)nth);
    else
        printf("failure injection off\n");
    return CTL_EXIT_OK;
}

/* "pool|general|...|logdbgprint", from the contract's names. */
static void bench_paths(char *text, size_t size)
{
    size_t used = 0;

    text[0] = '\0';
    for (uint32_t i = 0; i < MINWDM_BENCH_PATH_COUNT && used < size; i++)
        used += (size_t)snprintf(text + used, size - used, "%s%s", i ? "|" : "",
                                 ctl_bench_path_name(i));
}

static int parse_bench(const struct cli_options *o, struct minwdm_bench_request *q)
{
    char paths[128], wants[192];
    uint64_t size, iterations;

    bench_paths(paths, sizeof(paths));
    if (!ctl_bench_path_by_name(o->args[0], &q->path))
        return cli_usage_error("bench wants a path, %s: '%s' is not one", paths, o->args[0]);
    snprintf(wants, sizeof(wants), "bench %s wants a size in bytes", o->args[0]);
    if (cli_number_arg(wants, o->args[1], 1, MINWDM_BENCH_MAX_SIZE, CLI_DECIMAL, &size))
        return CTL_EXIT_USAGE;
    snprintf(wants, sizeof(wants), "bench %s wants iterations", o->args[0]);
    if (cli_number_arg(wants, o->args[2], 1, MINWDM_BENCH_MAX_ITERATIONS, CLI_DECIMAL,
                       &iterations))
        return CTL_EXIT_USAGE;
    q->size = (uint32_t)size;
    q->iterations = (uint32_t)iterations;
    return CTL_EXIT_OK;
}

static void print_bench(const struct cli_options *o, const struct minwdm_bench_request *q,
                        const struct minwdm_bench_result *r)
{
    double ns = (double)r->ticks * 1e9 / (double)r->frequency / (double)r->iterations;

    if (q->path >= MINWDM_BENCH_LOG_RING)
        printf("%s: %lu records in %llu ticks at %llu Hz: %.1f ns per record\n", o->args[0],
               (unsigned long)r->iterations, (unsigned long long)r->ticks,
               (unsigned long long)r->frequency, ns);
    else
        printf("%s %lu bytes: %lu pairs in %llu ticks at %llu Hz: %.1f ns per pair\n",
               o->args[0], (unsigned long)q->size, (unsigned long)r->iterations,
               (unsigned long long)r->ticks, (unsigned long long)r->frequency, ns);
}

int cli_bench(const struct cli_options *o)
{
    struct minwdm_bench_request q = {0};
    struct minwdm_bench_result result;

    if (parse_bench(o, &q))
        return CTL_EXIT_USAGE;
    struct cli_request r = {.code = IOCTL_MINWDM_BENCH, .input = &q, .input_length = sizeof(q),
                            .output = &result, .output_length = sizeof(result)};
    if (!cli_send(o, &r)) {
        if (r.open_error == ERROR_SUCCESS && r.status == STATUS_INVALID_DEVICE_REQUEST) {
            fprintf(stderr, "minwdmctl: this driver has no benchmark: release builds leave it "
                            "out; load bench/minwdm_bench.sys of the build tree (bench/run "
                            "does)\n");
            return CTL_EXIT_DRIVER;
        }
        return cli_report_request(o, &r);
    }
    if (r.returned != sizeof(result) || !result.frequency || !result.iterations) {
        fprintf(stderr, "minwdmctl: bench: the driver answered %lu bytes\n",
                (unsigned long)r.returned);
        return CTL_EXIT_DRIVER;
    }
    print_bench(o, &q, &result);
    return CTL_EXIT_OK;
}

/* ioctl --json: one object, the code by number and name, the status, the bytes in hex. */
static void print_ioctl_json(uint32_t code, const struct cli_request *r)
{
    const char *name = ctl_code_name(code);
    char status[96];
    const BYTE *out = r->output;

    ctl_ntstatus_text(r->status, status, sizeof(status));
    printf("{\"code\": \"0x%08lX\", \"name\": ", (unsigned long)code);
    if (name)
        cli_json_string(name);
    else
        printf("null");
    printf(", \"status\": ");
    cli_json_string(status);
    printf(", \"returned\": %lu, \"output\": \"", (unsigned long)r->returned);
    for (DWORD i = 0; i < r->returned; i++)
        printf("%02x", out[i]);
    printf("\"}\n");
}

int cli_ioctl(const struct cli_options *o)
{
    static BYTE input[CLI_MAX_IO_SIZE], output[CLI_MAX_IO_SIZE];
    char text[96];
    uint32_t code;
    long in_length = 0;

    if (cli_parse_code(o->args[0], &code))
        return CTL_EXIT_USAGE;
    if (o->in_hex && (in_length = cli_parse_hex(o->in_hex, input, sizeof(input))) < 0) {
        fprintf(stderr, "minwdmctl: ioctl: --in wants hex bytes (e.g. \"68 69\"), at most 1 MiB\n");
        return CTL_EXIT_USAGE;
    }
    struct cli_request r = {.code = code, .input = in_length ? input : NULL,
                            .input_length = (DWORD)in_length,
                            .output = o->out_size ? output : NULL,
                            .output_length = o->out_size};
    BOOL ok = cli_send(o, &r);
    if (o->json && r.open_error == ERROR_SUCCESS)
        print_ioctl_json(code, &r);
    if (!ok)
        return cli_report_request(o, &r);
    if (!o->json) {
        ctl_ntstatus_text(r.status, text, sizeof(text));
        printf("status %s, %lu bytes returned\n", text, (unsigned long)r.returned);
        cli_hex_dump(output, r.returned);
    }
    return CTL_EXIT_OK;
}
