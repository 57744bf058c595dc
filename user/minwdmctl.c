/* minwdmctl: install, start, stop and remove a kernel driver, and talk to minwdm's device. */
#include <minwdm/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <winternl.h>

#include <minwdm/log.h>
#include "cmd_test.h"
#include "ctl_device.h"
#include "ctl_error.h"
#include "ctl_image.h"
#include "ctl_log.h"
#include "ctl_service.h"
#include "minwdm_build.h"

enum {
    MAX_ARGS = 4, /* bench takes three */
    TEXT_SIZE = MINWDM_ECHO_MAX * 4 + 1,
    DEFAULT_TIMEOUT_S = 30,
    DEFAULT_OUT_SIZE = 4096,
    MAX_IO_SIZE = 1 << 20,
};

/* Options a command accepts besides the global ones. */
enum {
    OPT_START = 1,
    OPT_FORCE = 2,
    OPT_IN = 4,
    OPT_OUT_SIZE = 8,
    OPT_JSON = 16,
    OPT_FOLLOW = 32,
    OPT_SINCE = 64,
    OPT_NUMBERED = 128
};

struct options {
    const WCHAR *service;
    const WCHAR *device;
    DWORD timeout_ms;
    BOOL timeout_given;
    BOOL json;
    BOOL force;
    DWORD start_type;
    const WCHAR *in_hex;
    DWORD out_size;
    uint64_t since;
    unsigned given; /* OPT_* seen on the command line */
    const WCHAR *args[MAX_ARGS];
    int count;
};

struct command {
    const char *name;
    int min_args, max_args;
    unsigned options;
    int (*run)(const struct options *o);
    const char *synopsis;
    const char *help;
};

/* --- output helpers --- */

static int usage_error(const char *fmt, const char *detail)
{
    fputs("minwdmctl: ", stderr);
    fprintf(stderr, fmt, detail);
    fputs("\n(minwdmctl --help lists the commands and options)\n", stderr);
    return CTL_EXIT_USAGE;
}

static void print_wide(const char *prefix, const WCHAR *text, const char *suffix)
{
    char utf8[CTL_PATH_MAX * 3];

    ctl_utf8(text, utf8, sizeof(utf8));
    printf("%s%s%s", prefix, utf8, suffix);
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void json_wide(const WCHAR *s)
{
    char utf8[CTL_PATH_MAX * 3];

    ctl_utf8(s, utf8, sizeof(utf8));
    json_string(utf8);
}

/* "StartService(minwdm)" for an API, "waiting for minwdm to start" for a step. */
static const char *call_name(char *buffer, size_t size, const char *call, const WCHAR *service)
{
    char utf8[512];
    const char *at = strstr(call, "%s");

    ctl_utf8(service, utf8, sizeof(utf8));
    if (at)
        snprintf(buffer, size, "%.*s%s%s", (int)(at - call), call, utf8, at + 2);
    else
        snprintf(buffer, size, "%s(%s)", call, utf8);
    return buffer;
}

static int report_service_failure(const struct ctl_result *r, const WCHAR *service,
                                  enum ctl_context context)
{
    char what[600];

    return ctl_report(call_name(what, sizeof(what), r->call, service), r->error, context,
                      r->has_driver_status ? &r->driver_status : NULL);
}

static HANDLE open_device(const struct options *o, int *rc)
{
    char what[600], path[512];
    DWORD error;
    HANDLE device = ctl_device_open(o->device, &error);

    if (device == INVALID_HANDLE_VALUE) {
        ctl_utf8(o->device, path, sizeof(path));
        snprintf(what, sizeof(what), "opening the device %s", path);
        *rc = ctl_report(what, error, CTL_CONTEXT_DEVICE, NULL);
    }
    return device;
}

static int report_request_failure(const char *request, LONG status)
{
    return ctl_report(request, RtlNtStatusToDosError(status), CTL_CONTEXT_DEVICE, &status);
}

/* --- service commands --- */

static void on_image_finding(void *context, BOOL fatal, const char *rule, const char *message)
{
    const char *path = context;

    fprintf(stderr, "minwdmctl: %s%s: %s: %s\n", fatal ? "" : "warning: ", path, rule, message);
}

static int install(const struct options *o)
{
    WCHAR path[CTL_PATH_MAX];
    char path8[CTL_PATH_MAX * 3], what[CTL_PATH_MAX * 3 + 64];
    struct ctl_result r;
    DWORD error = ctl_absolute_path(o->args[0], path);

    if (error)
        return ctl_report("GetFullPathName", error, CTL_CONTEXT_SERVICE, NULL);
    ctl_utf8(path, path8, sizeof(path8));
    DWORD attributes = GetFileAttributesW(path);
    if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY)) {
        fprintf(stderr, "minwdmctl: %s is a folder: install wants the driver's .sys file\n",
                path8);
        return CTL_EXIT_USAGE;
    }
    switch (ctl_image_check(path, on_image_finding, path8, &error)) {
    case CTL_IMAGE_UNREADABLE:
        snprintf(what, sizeof(what), "opening the driver image %s", path8);
        return ctl_report(what, error, CTL_CONTEXT_SERVICE, NULL);
    case CTL_IMAGE_NOT_A_DRIVER:
        if (!o->force) {
            fprintf(stderr, "minwdmctl: %s is not an x64 kernel driver: not installed "
                            "(--force installs it anyway)\n", path8);
            return CTL_EXIT_DRIVER;
        }
        fprintf(stderr, "minwdmctl: --force: installing it anyway\n");
        break;
    case CTL_IMAGE_DRIVER:
        break;
    }
    if (!ctl_service_install(o->service, path, o->start_type, &r))
        return report_service_failure(&r, o->service, CTL_CONTEXT_SERVICE);
    switch (r.outcome) {
    case CTL_INSTALLED:
        printf("installed: %s (kernel driver, %s start)\n", path8,
               ctl_start_type_name(o->start_type));
        break;
    case CTL_UPDATED:
        print_wide("already installed with ", r.previous_path, "");
        printf(" (%s start): updated to %s (%s start)\n",
               ctl_start_type_name(r.previous_start_type), path8,
               ctl_start_type_name(o->start_type));
        printf("a running driver keeps its old image until it is stopped and started\n");
        break;
    default:
        printf("already installed: %s (%s start)\n", path8, ctl_start_type_name(o->start_type));
        break;
    }
    return CTL_EXIT_OK;
}

static void print_saved_log_of_failed_start(const WCHAR *service);

static int start(const struct options *o)
{
    struct ctl_result r;

    if (!ctl_service_start(o->service, o->timeout_ms, &r)) {
        int rc = report_service_failure(&r, o->service, CTL_CONTEXT_START);
        print_saved_log_of_failed_start(o->service);
        return rc;
    }
    printf(r.outcome == CTL_STARTED ? "started\n" : "already running\n");
    return CTL_EXIT_OK;
}

static int stop(const struct options *o)
{
    struct ctl_result r;

    if (!ctl_service_stop(o->service, o->timeout_ms, &r))
        return report_service_failure(&r, o->service, CTL_CONTEXT_SERVICE);
    printf(r.outcome == CTL_STOPPED ? "stopped\n" : "not running\n");
    return CTL_EXIT_OK;
}

static int remove_service(const struct options *o)
{
    struct ctl_result r;

    if (!ctl_service_remove(o->service, o->timeout_ms, &r))
        return report_service_failure(&r, o->service, CTL_CONTEXT_SERVICE);
    if (r.stopped_first)
        printf("stopped\n");
    if (r.outcome == CTL_REMOVED)
        printf("removed\n");
    else if (r.outcome == CTL_NOT_INSTALLED)
        printf("not installed\n");
    else
        printf("already marked for deletion: it goes when the last handle to it closes\n");
    return CTL_EXIT_OK;
}

static int load(const struct options *o)
{
    int rc = install(o);

    return rc ? rc : start(o);
}

static int status(const struct options *o)
{
    struct ctl_service_info info;
    struct ctl_result r;
    char text[512];

    if (!ctl_service_query(o->service, &info, &r)) {
        if (o->json && r.error == ERROR_SERVICE_DOES_NOT_EXIST) {
            printf("{\"service\": ");
            json_wide(o->service);
            printf(", \"installed\": false}\n");
        }
        return report_service_failure(&r, o->service, CTL_CONTEXT_SERVICE);
    }
    if (o->json) {
        printf("{\"service\": ");
        json_wide(o->service);
        printf(", \"installed\": true, \"state\": \"%s\", \"start_type\": \"%s\", "
               "\"image_path\": ",
               ctl_state_name(info.state), ctl_start_type_name(info.start_type));
        json_wide(info.image_path);
        printf(", \"can_stop\": %s, \"win32_exit_code\": %lu, \"service_exit_code\": %lu}\n",
               (info.controls_accepted & SERVICE_ACCEPT_STOP) ? "true" : "false",
               (unsigned long)info.win32_exit_code, (unsigned long)info.service_exit_code);
        return CTL_EXIT_OK;
    }
    print_wide("service:       ", o->service, "\n");
    printf("state:         %s\n", ctl_state_name(info.state));
    printf("start type:    %s\n", ctl_start_type_name(info.start_type));
    print_wide("image path:    ", info.image_path, "\n");
    if (info.state == SERVICE_RUNNING)
        printf("can stop:      %s\n", (info.controls_accepted & SERVICE_ACCEPT_STOP)
                                          ? "yes"
                                          : "no (no unload routine)");
    ctl_error_text(info.win32_exit_code, text, sizeof(text));
    printf("win32 exit:    %lu (%s)\n", (unsigned long)info.win32_exit_code, text);
    printf("service exit:  %lu\n", (unsigned long)info.service_exit_code);
    return CTL_EXIT_OK;
}

/* --- device commands --- */

/* Opens the device, sends a request without input whose answer must fill out exactly, closes
 * the device: CTL_EXIT_OK, or what failed reported and its exit code. */
static int query(const struct options *o, DWORD code, const char *name, void *out, DWORD size)
{
    int rc = CTL_EXIT_OK;
    HANDLE device = open_device(o, &rc);

    if (device == INVALID_HANDLE_VALUE)
        return rc;
    LONG status = ctl_device_query(device, code, out, size);
    CloseHandle(device);
    return status < 0 ? report_request_failure(name, status) : CTL_EXIT_OK;
}

static int version(const struct options *o)
{
    struct minwdm_version v;
    int rc = query(o, IOCTL_MINWDM_GET_VERSION, "IOCTL_MINWDM_GET_VERSION", &v, sizeof(v));

    if (rc != CTL_EXIT_OK)
        return rc;
    v.build_id[sizeof(v.build_id) - 1] = '\0';
    if (o->json) {
        printf("{\"minwdmctl\": {\"version\": \"%s\", \"abi\": %u, \"build\": ",
               MINWDM_VERSION_STRING, MINWDM_ABI_VERSION);
        json_string(MINWDM_BUILD_ID);
        printf("}, \"driver\": {\"version\": \"%u.%u.%u\", \"abi\": %u, \"build\": ",
               v.driver_major, v.driver_minor, v.driver_patch, (unsigned)v.abi_version);
        json_string(v.build_id);
        printf("}}\n");
    } else {
        printf("minwdmctl %s, ABI %u, build %s\n", MINWDM_VERSION_STRING, MINWDM_ABI_VERSION,
               MINWDM_BUILD_ID);
        printf("driver %u.%u.%u, ABI %u, build %s\n", v.driver_major, v.driver_minor,
               v.driver_patch, (unsigned)v.abi_version, v.build_id);
    }
    if (v.abi_version != MINWDM_ABI_VERSION) {
        fprintf(stderr, "minwdmctl: the driver speaks ABI %u, this minwdmctl ABI %u: use the "
                        "minwdmctl built with the driver\n",
                (unsigned)v.abi_version, MINWDM_ABI_VERSION);
        return CTL_EXIT_DRIVER;
    }
    return CTL_EXIT_OK;
}

static int echo(const struct options *o)
{
    static char text[TEXT_SIZE], reply[MINWDM_ECHO_MAX];
    DWORD returned;
    int rc = CTL_EXIT_OK;

    ctl_utf8(o->args[0], text, sizeof(text));
    size_t length = strlen(text);
    if (length > MINWDM_ECHO_MAX) {
        fprintf(stderr, "minwdmctl: echo: %lu bytes is more than the driver's limit of %u\n",
                (unsigned long)length, MINWDM_ECHO_MAX);
        return CTL_EXIT_USAGE;
    }
    HANDLE device = open_device(o, &rc);
    if (device == INVALID_HANDLE_VALUE)
        return rc;
    LONG status = ctl_device_request(device, IOCTL_MINWDM_ECHO, text, (DWORD)length, reply,
                                     sizeof(reply), &returned);
    CloseHandle(device);
    if (status < 0)
        return report_request_failure("IOCTL_MINWDM_ECHO", status);
    if (returned != length || memcmp(reply, text, length) != 0) {
        fprintf(stderr, "minwdmctl: echo: the driver answered %lu different bytes\n",
                (unsigned long)returned);
        return CTL_EXIT_DRIVER;
    }
    printf("%.*s\n", (int)returned, reply);
    return CTL_EXIT_OK;
}

static int hex_digit(WCHAR c)
{
    if (c >= L'0' && c <= L'9')
        return c - L'0';
    if (c >= L'a' && c <= L'f')
        return c - L'a' + 10;
    if (c >= L'A' && c <= L'F')
        return c - L'A' + 10;
    return -1;
}

/* Hex bytes, separators (space, ':', '-') allowed between them: the byte count, or -1. */
static long parse_hex(const WCHAR *text, BYTE *out, size_t size)
{
    size_t n = 0;

    while (*text) {
        if (*text == L' ' || *text == L':' || *text == L'-') {
            text++;
            continue;
        }
        int high = hex_digit(text[0]), low = high < 0 ? -1 : hex_digit(text[1]);
        if (low < 0 || n == size)
            return -1;
        out[n++] = (BYTE)(high << 4 | low);
        text += 2;
    }
    return (long)n;
}

static const struct {
    const char *name;
    DWORD code;
} named_codes[] = {
    {"IOCTL_MINWDM_GET_VERSION", IOCTL_MINWDM_GET_VERSION},
    {"IOCTL_MINWDM_ECHO", IOCTL_MINWDM_ECHO},
    {"IOCTL_MINWDM_GET_STATS", IOCTL_MINWDM_GET_STATS},
    {"IOCTL_MINWDM_SELFTEST", IOCTL_MINWDM_SELFTEST},
    {"IOCTL_MINWDM_FAIL_ALLOC", IOCTL_MINWDM_FAIL_ALLOC},
    {"IOCTL_MINWDM_BENCH", IOCTL_MINWDM_BENCH},
};

static BOOL parse_code(const WCHAR *text, DWORD *code)
{
    char name[64];
    WCHAR *end;

    ctl_utf8(text, name, sizeof(name));
    for (size_t i = 0; i < sizeof(named_codes) / sizeof(named_codes[0]); i++)
        if (_stricmp(name, named_codes[i].name) == 0) {
            *code = named_codes[i].code;
            return TRUE;
        }
    unsigned long value = wcstoul(text, &end, 0);
    *code = (DWORD)value;
    return *text && !*end && value <= 0xFFFFFFFFul;
}

static void hex_dump(const BYTE *data, DWORD length)
{
    for (DWORD line = 0; line < length; line += 16) {
        printf("%04lx ", (unsigned long)line);
        for (DWORD i = line; i < line + 16; i++)
            printf(i < length ? " %02x" : "   ", i < length ? data[i] : 0);
        printf("  ");
        for (DWORD i = line; i < line + 16 && i < length; i++)
            putchar(data[i] >= 0x20 && data[i] < 0x7F ? data[i] : '.');
        putchar('\n');
    }
}

static int raw_ioctl(const struct options *o)
{
    static BYTE input[MAX_IO_SIZE], output[MAX_IO_SIZE];
    char text[96], code_text[64];
    DWORD code, returned;
    long in_length = 0;
    int rc = CTL_EXIT_OK;

    if (!parse_code(o->args[0], &code)) {
        ctl_utf8(o->args[0], code_text, sizeof(code_text));
        fprintf(stderr, "minwdmctl: ioctl: '%s' is neither a number nor a known code name\n",
                code_text);
        return CTL_EXIT_USAGE;
    }
    if (o->in_hex && (in_length = parse_hex(o->in_hex, input, sizeof(input))) < 0) {
        fprintf(stderr, "minwdmctl: ioctl: --in wants hex bytes (e.g. \"68 69\"), at most 1 MiB\n");
        return CTL_EXIT_USAGE;
    }
    if (o->out_size > MAX_IO_SIZE) {
        fprintf(stderr, "minwdmctl: ioctl: --out-size is at most %d\n", MAX_IO_SIZE);
        return CTL_EXIT_USAGE;
    }
    HANDLE device = open_device(o, &rc);
    if (device == INVALID_HANDLE_VALUE)
        return rc;
    LONG status = ctl_device_request(device, code, in_length ? input : NULL, (DWORD)in_length,
                                     o->out_size ? output : NULL, o->out_size, &returned);
    CloseHandle(device);
    snprintf(code_text, sizeof(code_text), "ioctl 0x%08lx", (unsigned long)code);
    if (status < 0)
        return report_request_failure(code_text, status);
    ctl_ntstatus_text(status, text, sizeof(text));
    printf("status %s, %lu bytes returned\n", text, (unsigned long)returned);
    hex_dump(output, returned);
    return CTL_EXIT_OK;
}

static const char *const event_names[MINWDM_EVENT_COUNT] = {
    "double_frees", "overruns",       "underruns", "foreign_frees", "tag_mismatches",
    "writes_after_free", "leaks",     "irql_violations", "bad_requests",
};

static const char *pool_name(uint32_t pool)
{
    return pool == MINWDM_POOL_EX_ALLOCATE_POOL2 ? "ExAllocatePool2"
           : pool == MINWDM_POOL_WITH_TAG_NX     ? "ExAllocatePoolWithTag(NonPagedPoolNx)"
                                                 : "unknown";
}

static void print_stats_json(const struct minwdm_stats *s)
{
    printf("{\"pool\": \"%s\", \"outstanding_blocks\": %llu, \"outstanding_bytes\": %llu, "
           "\"peak_bytes\": %llu, \"allocations\": %llu, \"frees\": %llu, \"failures\": %llu, "
           "\"injected_failures\": %llu, \"pool_bytes\": %llu, \"events\": {",
           pool_name(s->pool), (unsigned long long)s->outstanding_blocks,
           (unsigned long long)s->outstanding_bytes, (unsigned long long)s->peak_bytes,
           (unsigned long long)s->allocations, (unsigned long long)s->frees,
           (unsigned long long)s->failures, (unsigned long long)s->injected_failures,
           (unsigned long long)s->pool_bytes);
    for (unsigned i = 0; i < MINWDM_EVENT_COUNT; i++)
        printf("%s\"%s\": %llu", i ? ", " : "", event_names[i], (unsigned long long)s->events[i]);
    printf("}, \"caches\": [");
    for (uint32_t i = 0; i < s->cache_count && i < MINWDM_STATS_MAX_CACHES; i++) {
        const struct minwdm_cache_stats *c = &s->caches[i];
        printf("%s{\"name\": ", i ? ", " : "");
        json_string(c->name);
        printf(", \"tag\": \"%.4s\", \"object_size\": %u, \"outstanding\": %llu, "
               "\"allocations\": %llu, \"hits\": %llu, \"depth\": %u, \"max_depth\": %u, "
               "\"created\": %llu}",
               (const char *)&c->tag, c->object_size, (unsigned long long)c->outstanding,
               (unsigned long long)c->allocations, (unsigned long long)c->hits, c->depth,
               c->max_depth, (unsigned long long)c->created);
    }
    printf("]}\n");
}

static void print_stats_text(const struct minwdm_stats *s)
{
    printf("pool:          %s\n", pool_name(s->pool));
    printf("outstanding:   %llu blocks, %llu bytes (peak %llu bytes)\n",
           (unsigned long long)s->outstanding_blocks, (unsigned long long)s->outstanding_bytes,
           (unsigned long long)s->peak_bytes);
    printf("held:          %llu bytes of pool\n", (unsigned long long)s->pool_bytes);
    printf("allocations:   %llu (frees %llu, failures %llu, injected %llu)\n",
           (unsigned long long)s->allocations, (unsigned long long)s->frees,
           (unsigned long long)s->failures, (unsigned long long)s->injected_failures);
    printf("detections:   ");
    for (unsigned i = 0; i < MINWDM_EVENT_COUNT; i++)
        printf(" %s %llu%s", event_names[i], (unsigned long long)s->events[i],
               i + 1 < MINWDM_EVENT_COUNT ? "," : "\n");
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

static int stats(const struct options *o)
{
    struct minwdm_stats s;
    int rc = query(o, IOCTL_MINWDM_CONTROL_GET_STATS, "IOCTL_MINWDM_CONTROL_GET_STATS", &s,
                   sizeof(s));

    if (rc != CTL_EXIT_OK)
        return rc;
    if (o->json)
        print_stats_json(&s);
    else
        print_stats_text(&s);
    return CTL_EXIT_OK;
}

static int selftest(const struct options *o)
{
    struct minwdm_selftest_result r;
    int rc = query(o, IOCTL_MINWDM_SELFTEST, "IOCTL_MINWDM_SELFTEST", &r, sizeof(r));

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

static BOOL parse_count(const WCHAR *text, uint32_t *value, unsigned long max)
{
    WCHAR *end;
    unsigned long number = wcstoul(text, &end, 10);

    *value = (uint32_t)number;
    return *text && !*end && number <= max;
}

static int fail_alloc(const struct options *o)
{
    uint32_t nth;
    DWORD returned;
    int rc = CTL_EXIT_OK;

    if (!parse_count(o->args[0], &nth, 0xFFFFFFFFul))
        return usage_error("fail-alloc wants a count (0 turns it off)%s", "");
    HANDLE device = open_device(o, &rc);
    if (device == INVALID_HANDLE_VALUE)
        return rc;
    LONG status = ctl_device_request(device, IOCTL_MINWDM_CONTROL_FAIL_ALLOC, &nth, sizeof(nth),
                                     NULL, 0, &returned);
    CloseHandle(device);
    if (status < 0)
        return report_request_failure("IOCTL_MINWDM_CONTROL_FAIL_ALLOC", status);
    if (nth)
        printf("allocation %lu from now on will fail\n", (unsigned long)nth);
    else
        printf("failure injection off\n");
    return CTL_EXIT_OK;
}

static int bench(const struct options *o)
{
    static const WCHAR *const paths[MINWDM_BENCH_PATH_COUNT] = {
        L"pool", L"general", L"cache", L"aligned", L"lockedlist", L"logring", L"logdbgprint"};
    struct minwdm_bench_request q = {MINWDM_BENCH_PATH_COUNT, 0, 0, 0};
    struct minwdm_bench_result r;
    DWORD returned;
    int rc = CTL_EXIT_OK;

    for (uint32_t i = 0; i < MINWDM_BENCH_PATH_COUNT; i++)
        if (wcscmp(o->args[0], paths[i]) == 0)
            q.path = i;
    if (q.path == MINWDM_BENCH_PATH_COUNT || !parse_count(o->args[1], &q.size, MINWDM_BENCH_MAX_SIZE) ||
        !q.size || !parse_count(o->args[2], &q.iterations, MINWDM_BENCH_MAX_ITERATIONS) ||
        !q.iterations)
        return usage_error("usage: minwdmctl bench pool|general|cache|aligned|lockedlist|logring|"
                           "logdbgprint <size 1-2048> <iterations 1-10000000>%s", "");
    HANDLE device = open_device(o, &rc);
    if (device == INVALID_HANDLE_VALUE)
        return rc;
    LONG status = ctl_device_request(device, IOCTL_MINWDM_BENCH, &q, sizeof(q), &r, sizeof(r),
                                     &returned);
    CloseHandle(device);
    if (status == (LONG)0xC0000010) { /* STATUS_INVALID_DEVICE_REQUEST */
        fprintf(stderr, "minwdmctl: this driver has no benchmark: release builds leave it out; "
                        "load bench/minwdm_bench.sys of the build tree (bench/run does)\n");
        return CTL_EXIT_DRIVER;
    }
    if (status < 0)
        return report_request_failure("IOCTL_MINWDM_BENCH", status);
    if (returned != sizeof(r) || !r.frequency || !r.iterations) {
        fprintf(stderr, "minwdmctl: bench: the driver answered %lu bytes\n", (unsigned long)returned);
        return CTL_EXIT_DRIVER;
    }
    double ns = (double)r.ticks * 1e9 / (double)r.frequency / (double)r.iterations;
    char path[16];
    ctl_utf8(o->args[0], path, sizeof(path));
    if (q.path >= MINWDM_BENCH_LOG_RING)
        printf("%s: %lu records in %llu ticks at %llu Hz: %.1f ns per record\n", path,
               (unsigned long)r.iterations, (unsigned long long)r.ticks,
               (unsigned long long)r.frequency, ns);
    else
        printf("%s %lu bytes: %lu pairs in %llu ticks at %llu Hz: %.1f ns per pair\n", path,
               (unsigned long)q.size, (unsigned long)r.iterations, (unsigned long long)r.ticks,
               (unsigned long long)r.frequency, ns);
    return CTL_EXIT_OK;
}

/* --- the log --- */

/* Room for any batch the driver sends or leaves; one reader at a time uses it. */
static BYTE log_buffer[CTL_LOG_BUFFER_SIZE];

static void print_record(const struct minwdm_log_record *r, const char *text, BOOL numbered,
                         FILE *out)
{
    if (numbered)
        fprintf(out, "%llu [%5llu.%06llu] ", (unsigned long long)r->sequence,
                (unsigned long long)(r->time / 10000000), (unsigned long long)(r->time / 10 % 1000000));
    fprintf(out, "%.*s\n", (int)r->length, text);
}

/* Prints the records after `after`; returns the last one's sequence number (after, if none). */
static uint64_t print_batch(const struct ctl_log_batch *b, uint64_t after, BOOL numbered,
                            FILE *out)
{
    const struct minwdm_log_record *r;
    const char *text;
    DWORD offset = 0;

    if (b->header.first_sequence > after + 1 && after && b->header.count)
        fprintf(stderr, "minwdmctl: %llu records were overwritten before they could be read\n",
                (unsigned long long)(b->header.first_sequence - after - 1));
    while ((r = ctl_log_next(b, &offset, &text)) != NULL) {
        if (r->sequence <= after)
            continue;
        print_record(r, text, numbered, out);
        after = r->sequence;
    }
    fflush(out);
    return after;
}

static void print_saved_log_of_failed_start(const WCHAR *service)
{
    struct ctl_log_batch b;

    /* minwdmctl cleared it before the start: what is there now is this start's */
    if (ctl_log_read_saved(service, log_buffer, sizeof(log_buffer), &b) != ERROR_SUCCESS)
        return;
    fprintf(stderr, "minwdmctl: the driver's log of this start:\n");
    print_batch(&b, 0, FALSE, stderr);
}

/* Reads and prints what the driver holds after *after, up to what it held at the first read
 * (a driver logging fast cannot keep this going). Returns the NTSTATUS; keeps *instance, and
 * starts again from 0 when the driver is another load than *instance. */
static LONG print_device_log(HANDLE device, uint64_t *after, uint64_t *instance, BOOL numbered)
{
    struct ctl_log_batch b;
    uint64_t last = 0;
    LONG status;

    for (;;) {
        if ((status = ctl_log_read(device, *after, log_buffer, sizeof(log_buffer), &b)) < 0)
            return status;
        if (*instance && b.header.instance != *instance) {
            fprintf(stderr, "minwdmctl: -- the driver was loaded again --\n");
            *after = 0;
            *instance = b.header.instance;
            continue;
        }
        *instance = b.header.instance;
        if (!last)
            last = b.header.next_sequence - 1;
        *after = print_batch(&b, *after, numbered, stdout);
        if (!b.header.count || *after >= last)
            return status;
    }
}

/* The log the driver left when it stopped: its records after *after, or all of them when they
 * are another load's than *instance (one that came and went unseen). Returns the Win32 error of
 * reading it. */
static DWORD print_saved_log(const WCHAR *service, uint64_t *after, uint64_t *instance,
                             BOOL numbered)
{
    struct ctl_log_batch b;
    DWORD error = ctl_log_read_saved(service, log_buffer, sizeof(log_buffer), &b);

    if (error != ERROR_SUCCESS)
        return error;
    if (*instance && b.header.instance != *instance) {
        fprintf(stderr, "minwdmctl: -- the driver was loaded and unloaded since the last look --\n");
        *after = 0;
    }
    *instance = b.header.instance;
    *after = print_batch(&b, *after, numbered, stdout);
    return ERROR_SUCCESS;
}

static BOOL device_missing(DWORD error)
{
    return error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND;
}

static int follow_log(const struct options *o)
{
    enum { UNSEEN, RUNNING, STOPPED } driver = UNSEEN;
    uint64_t after = o->since, instance = 0;
    BOOL numbered = (o->given & OPT_NUMBERED) != 0;
    DWORD started = GetTickCount(), error;

    while (!o->timeout_given || GetTickCount() - started < o->timeout_ms) {
        HANDLE device = ctl_device_open(o->device, &error);
        if (device != INVALID_HANDLE_VALUE) {
            /* One handle per poll: a handle kept open would hold the driver's unload back. */
            LONG status = print_device_log(device, &after, &instance, numbered);
            CloseHandle(device);
            if (status < 0)
                return report_request_failure("IOCTL_MINWDM_CONTROL_READ_LOG", status);
            if (driver != RUNNING)
                fprintf(stderr, "minwdmctl: following the driver's log (Ctrl+C ends)\n");
            driver = RUNNING;
        } else if (device_missing(error)) {
            /* What it logged between the last poll and its unload is in its saved log, which
             * the driver writes last: it is read at every poll until the driver is back. */
            print_saved_log(o->service, &after, &instance, numbered);
            if (driver != STOPPED)
                fprintf(stderr, "minwdmctl: -- the driver is not running; waiting for it --\n");
            driver = STOPPED;
        } else {
            return ctl_report("opening the device", error, CTL_CONTEXT_DEVICE, NULL);
        }
        Sleep(200);
    }
    return CTL_EXIT_OK;
}

static int log_command(const struct options *o)
{
    uint64_t after = o->since, instance = 0;
    BOOL numbered = (o->given & OPT_NUMBERED) != 0;
    DWORD error;
    int rc = CTL_EXIT_OK;

    if (o->given & OPT_FOLLOW)
        return follow_log(o);
    HANDLE device = ctl_device_open(o->device, &error);
    if (device == INVALID_HANDLE_VALUE) {
        if (device_missing(error) &&
            print_saved_log(o->service, &after, &instance, numbered) == ERROR_SUCCESS) {
            fprintf(stderr, "minwdmctl: the driver is not running: that was the log it left "
                            "when it stopped\n");
            return CTL_EXIT_OK;
        }
        device = open_device(o, &rc); /* reports why */
        if (device == INVALID_HANDLE_VALUE)
            return rc;
    }
    LONG status = print_device_log(device, &after, &instance, numbered);
    CloseHandle(device);
    if (status < 0)
        return report_request_failure("IOCTL_MINWDM_CONTROL_READ_LOG", status);
    return CTL_EXIT_OK;
}

static int log_level(const struct options *o)
{
    struct ctl_log_batch b;
    uint32_t level = 0;
    DWORD returned;
    int rc = CTL_EXIT_OK;

    if (o->count && !ctl_log_parse_level(o->args[0], &level))
        return usage_error("log-level wants error, warn, info, debug or trace%s", "");
    HANDLE device = open_device(o, &rc);
    if (device == INVALID_HANDLE_VALUE)
        return rc;
    /* A read after the last possible record answers with the header alone: the levels. */
    LONG status = ctl_log_read(device, UINT64_MAX, log_buffer, sizeof(log_buffer), &b);
    if (status >= 0 && o->count)
        status = ctl_device_request(device, IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL, &level,
                                    sizeof(level), NULL, 0, &returned);
    CloseHandle(device);
    if (status < 0)
        return report_request_failure(o->count ? "IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL"
                                               : "IOCTL_MINWDM_CONTROL_READ_LOG",
                                      status);
    if (b.header.level >= MINWDM_LOG_LEVEL_COUNT || b.header.floor >= MINWDM_LOG_LEVEL_COUNT) {
        fprintf(stderr, "minwdmctl: log-level: the driver answered level %u\n", b.header.level);
        return CTL_EXIT_DRIVER;
    }
    if (!o->count) {
        printf("%s (this build logs up to %s)\n", log_level_names[b.header.level],
               log_level_names[b.header.floor]);
        return CTL_EXIT_OK;
    }
    printf("log level %s (was %s)\n", log_level_names[level], log_level_names[b.header.level]);
    if (level > b.header.floor)
        printf("note: this build of the driver has no %s messages: they were compiled out "
               "(MINWDM_LOG_FLOOR %s)\n",
               log_level_names[level], log_level_names[b.header.floor]);
    return CTL_EXIT_OK;
}

/* --- the command table and the command line --- */

static const char usage_text[] =
    "usage: minwdmctl [global options] <command> [arguments] [command options]\n"
    "\n"
    "service commands (an elevated prompt on Windows):\n"
    "%s"
    "device commands (the driver must be running):\n"
    "%s"
    "\n"
    "global options:\n"
    "  --name <service>     service name (default " MINWDM_SERVICE_NAME ")\n"
    "  --device <path>      device path (default " MINWDM_DEVICE_PATH ")\n"
    "  --timeout <seconds>  how long start and stop wait for the driver (default 30), and\n"
    "                       log --follow follows (default: until Ctrl+C)\n"
    "  -h, --help           this text; `minwdmctl <command> --help` explains a command\n"
    "\n"
    "exit codes: 0 done (also when there was nothing to do), 1 failed, 2 usage error,\n"
    "            3 not found (file, service or device), 4 access denied (not elevated),\n"
    "            5 the driver failed: not a valid driver image, failed to start or unload,\n"
    "              or failed a request\n";

static const struct command commands[] = {
    {"install", 1, 1, OPT_START | OPT_FORCE, install,
     "install <driver.sys> [--start demand|system|auto] [--force]",
     "Registers the driver as a kernel service (demand start unless --start says otherwise).\n"
     "A relative path is made absolute. The image is checked first: a file that is not an x64\n"
     "kernel driver is refused unless --force. An existing service gets the new image path and\n"
     "start type, and minwdmctl says what changed.\n"},
    {"start", 0, 0, 0, start, "start",
     "Starts the driver and waits until it runs or fails (--timeout). On failure it prints the\n"
     "Win32 error and, for minwdm drivers, the NTSTATUS that DriverEntry returned.\n"},
    {"stop", 0, 0, 0, stop, "stop",
     "Asks the driver to unload and waits until it has (--timeout). A driver without an unload\n"
     "routine cannot stop: minwdmctl says so.\n"},
    {"remove", 0, 0, 0, remove_service, "remove",
     "Stops the driver if it runs, then deletes its service.\n"},
    {"status", 0, 0, OPT_JSON, status, "status [--json]",
     "Prints the service's state, start type, image path and exit codes. Exit code 3 when the\n"
     "service is not installed.\n"},
    {"load", 1, 1, OPT_START | OPT_FORCE, load,
     "load <driver.sys> [--start demand|system|auto] [--force]", "install, then start.\n"},
    {"unload", 0, 0, 0, remove_service, "unload", "stop, then remove.\n"},
    {"version", 0, 0, OPT_JSON, version, "version [--json]",
     "Prints minwdmctl's and the driver's version, ABI and build; exit code 5 when their ABIs\n"
     "differ.\n"},
    {"echo", 1, 1, 0, echo, "echo <text>",
     "Sends the text (UTF-8) to the driver and prints what it sends back.\n"},
    {"stats", 0, 0, OPT_JSON, stats, "stats [--json]",
     "Prints the driver allocator's numbers: outstanding blocks and bytes, peak, allocations,\n"
     "failures, detections (double frees, overruns...) and each cache.\n"},
    {"selftest", 0, 0, 0, selftest, "selftest",
     "Runs the allocator's self tests inside the driver; prints \"N passed, M failed\" and exits\n"
     "with 5 when a check failed.\n"},
    {"fail-alloc", 1, 1, 0, fail_alloc, "fail-alloc <n>",
     "Makes the driver's nth allocation from now on fail (0 turns it off), as Driver Verifier's\n"
     "low-resources simulation would. The AllocFailAt value of the service key does the same\n"
     "from DriverEntry on.\n"},
    {"bench", 3, 3, 0, bench,
     "bench pool|general|cache|aligned|lockedlist|logring|logdbgprint <size> <iterations>",
     "Times alloc+free pairs, or log records (into the ring, or to DbgPrintEx; size is then\n"
     "ignored), inside the driver (benchmark builds only: bench/run).\n"},
    {"log", 0, 0, OPT_FOLLOW | OPT_SINCE | OPT_NUMBERED, log_command,
     "log [--follow] [--since N] [--numbered]",
     "Prints the driver's log, the lines DebugView would show, oldest first. --since N: only\n"
     "the records after number N. --numbered: each line with its number and its time since the\n"
     "driver loaded. --follow: keeps printing new lines, across unloads and loads, until Ctrl+C\n"
     "(or --timeout seconds). When the driver is not running, prints the log it left in its\n"
     "service key when it stopped or failed to start.\n"},
    {"log-level", 0, 1, 0, log_level, "log-level [error|warn|info|debug|trace]",
     "Prints the driver's log level, or sets it until the driver unloads. The LogLevel value\n"
     "(REG_DWORD 0-4) of the service key sets it from load on.\n"},
    {"ioctl", 1, 1, OPT_IN | OPT_OUT_SIZE, raw_ioctl,
     "ioctl <code> [--in HEX] [--out-size N]",
     "Sends a raw request: <code> is a number (0x... for hex) or a name such as\n"
     "IOCTL_MINWDM_ECHO; --in gives the input bytes in hex (\"68 69\"); --out-size the output\n"
     "buffer (default 4096). Prints the NTSTATUS and a hex dump of the answer.\n"},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_usage(FILE *out)
{
    char service_list[2048] = "", device_list[2048] = "";

    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        BOOL device = commands[i].run != install && commands[i].run != start &&
                      commands[i].run != stop && commands[i].run != remove_service &&
                      commands[i].run != status && commands[i].run != load;
        char *list = device ? device_list : service_list;
        size_t used = strlen(list);
        snprintf(list + used, sizeof(service_list) - used, "  %s\n", commands[i].synopsis);
    }
    fprintf(out, usage_text, service_list, device_list);
}


static BOOL parse_start_type(const WCHAR *text, DWORD *type)
{
    if (wcscmp(text, L"demand") == 0)
        *type = SERVICE_DEMAND_START;
    else if (wcscmp(text, L"system") == 0)
        *type = SERVICE_SYSTEM_START;
    else if (wcscmp(text, L"auto") == 0)
        *type = SERVICE_AUTO_START;
    else
        return FALSE;
    return TRUE;
}

/* Options that take a value; returns 1 when argv[*i] was one, -1 on a bad value. */
static int value_option(int argc, WCHAR **argv, int *i, struct options *o)
{
    static const struct {
        const WCHAR *name;
        unsigned flag;
    } valued[] = {{L"--name", 0},           {L"--device", 0},
                  {L"--timeout", 0},        {L"--start", OPT_START},
                  {L"--in", OPT_IN},        {L"--out-size", OPT_OUT_SIZE},
                  {L"--since", OPT_SINCE}};
    char word[64];

    for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
        if (wcscmp(argv[*i], valued[k].name) != 0)
            continue;
        ctl_utf8(argv[*i], word, sizeof(word));
        if (*i + 1 >= argc) {
            usage_error("%s needs a value", word);
            return -1;
        }
        const WCHAR *value = argv[++*i];
        if (!*value) {
            usage_error("%s needs a value", word);
            return -1;
        }
        WCHAR *end;
        unsigned long number = wcstoul(value, &end, 10);
        BOOL numeric = *value && !*end;
        o->given |= valued[k].flag;
        switch (k) {
        case 0:
            o->service = value;
            break;
        case 1:
            o->device = value;
            break;
        case 2:
            if (!numeric || number == 0 || number > 3600) {
                usage_error("%s wants seconds, 1 to 3600", word);
                return -1;
            }
            o->timeout_ms = (DWORD)number * 1000;
            o->timeout_given = TRUE;
            break;
        case 3:
            if (!parse_start_type(value, &o->start_type)) {
                usage_error("%s wants demand, system or auto", word);
                return -1;
            }
            break;
        case 4:
            o->in_hex = value;
            break;
        case 6:
            o->since = wcstoull(value, &end, 10);
            if (!*value || *end) {
                usage_error("%s wants a record number", word);
                return -1;
            }
            break;
        default:
            if (!numeric || number > MAX_IO_SIZE) {
                usage_error("%s wants a byte count, at most 1048576", word);
                return -1;
            }
            o->out_size = (DWORD)number;
            break;
        }
        return 1;
    }
    return 0;
}

int wmain(int argc, WCHAR **argv)
{
    struct options o = {L"" MINWDM_SERVICE_NAME, MINWDM_DEVICE_PATH_W,
                        DEFAULT_TIMEOUT_S * 1000, FALSE, FALSE, FALSE, SERVICE_DEMAND_START, NULL,
                        DEFAULT_OUT_SIZE, 0, 0, {NULL}, 0};
    const struct command *command = NULL;
    BOOL help = FALSE;
    char word[64];

    SetConsoleOutputCP(CP_UTF8);
    /* `test` parses its own arguments: its --client takes the rest of the line. */
    for (int i = 1; i < argc; i++) {
        if (!wcscmp(argv[i], L"test"))
            return cmd_test(argc, argv, i + 1);
        if (!wcscmp(argv[i], L"--name") || !wcscmp(argv[i], L"--timeout"))
            i++;
        else
            break;
    }
    for (int i = 1; i < argc; i++) {
        const WCHAR *a = argv[i];
        int valued = value_option(argc, argv, &i, &o);
        if (valued < 0)
            return CTL_EXIT_USAGE;
        if (valued)
            continue;
        ctl_utf8(a, word, sizeof(word));
        if (wcscmp(a, L"-h") == 0 || wcscmp(a, L"--help") == 0) {
            help = TRUE;
        } else if (wcscmp(a, L"--json") == 0) {
            o.json = TRUE;
            o.given |= OPT_JSON;
        } else if (wcscmp(a, L"--force") == 0) {
            o.force = TRUE;
            o.given |= OPT_FORCE;
        } else if (wcscmp(a, L"--follow") == 0) {
            o.given |= OPT_FOLLOW;
        } else if (wcscmp(a, L"--numbered") == 0) {
            o.given |= OPT_NUMBERED;
        } else if (a[0] == L'-' && a[1] == L'-') {
            return usage_error("unknown option %s", word);
        } else if (!command) {
            if (!(command = find_command(word)))
                return usage_error("unknown command '%s'", word);
        } else if (o.count < MAX_ARGS) {
            o.args[o.count++] = a;
        } else {
            return usage_error("too many arguments%s", "");
        }
    }
    if (help && command) {
        printf("usage: minwdmctl [global options] %s\n\n%s", command->synopsis, command->help);
        return CTL_EXIT_OK;
    }
    if (help || !command) {
        print_usage(help ? stdout : stderr);
        return help ? CTL_EXIT_OK : CTL_EXIT_USAGE;
    }
    if (o.given & ~command->options) {
        return usage_error("an option given does not apply to '%s' (minwdmctl <command> --help)",
                           command->name);
    }
    if (o.count < command->min_args || o.count > command->max_args)
        return usage_error("usage: minwdmctl %s", command->synopsis);
    /* The runtime's commands talk to the control device of the driver named by --name. */
    static WCHAR control[CTL_PATH_MAX];
    if (command->run == stats || command->run == fail_alloc || command->run == log_command ||
        command->run == log_level) {
        wcscpy(control, L"\\\\.\\" MINWDM_CONTROL_PREFIX_W);
        wcsncat(control, o.service, CTL_PATH_MAX - wcslen(control) - 1);
        o.device = control;
    }
    int rc = command->run(&o);
    fflush(stdout);
    return rc;
}
