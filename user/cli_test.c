/*
 * `minwdmctl test <driver.sys>`: installs the driver under a scratch service, starts it, runs
 * each of its kernel tests (the runtime's control device), runs a client while it is loaded,
 * stops it, reads the runtime's unload report (leaks and misuse fail the run) and removes it.
 * `minwdmctl test <package.inf> --hardware-id <id>`: the same for a PnP driver's package, loaded
 * as a device's driver (install-device) and unloaded by removing the device (remove-device).
 * Every request and the client have a deadline. One line per test, then "N passed, M failed".
 */
#include "cli_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_findings.h"
#include "cli_pnp.h"
#include "ctl_contract.h"
#include "ctl_device.h"
#include "ctl_error.h"
#include "ctl_log.h"
#include "ctl_service.h"
#include "ctl_test.h"

enum { DEFAULT_TIMEOUT_S = 60, COMMAND_LINE_MAX = 8192, RESULTS_MAX = 1024 };

static const char help_text[] =
    "usage: minwdmctl test <driver.sys> [--name <service>] [--filter <pattern>[,<pattern>...]]\n"
    "                      [--timeout <s>] [--junit <file>] [--times] [--client <exe> [args...]]\n"
    "       minwdmctl test <package.inf> --hardware-id <id> [the same options but --name]\n"
    "Installs the driver (a test build: add_wdm_test) under the service <name> (default: the\n"
    "image's name), starts it, runs each kernel test whose name matches a pattern (* and ?),\n"
    "runs the client while the driver is loaded (its exit code is one more test), stops the\n"
    "driver, fails when the runtime found leaks or misuse at unload, and removes the service.\n"
    "A PnP driver's package (its INF, stamped for the test build, beside the image and the\n"
    "catalog) is installed on a new root device node with that hardware id (install-device):\n"
    "DriverEntry, AddDevice, START; the service is the INF's (AddService). After the tests and\n"
    "the client the node is removed (remove-device: REMOVE_DEVICE, one more test), the driver\n"
    "unloaded and its unload report read, then its service removed.\n"
    "Each request and the client must finish within --timeout seconds (default 60): what does\n"
    "not is ended, the run fails and names it, with the requests the driver holds pending\n"
    "(verified builds). --junit writes a JUnit XML report; --times prints how long each phase\n"
    "took.\n"
    "Exit: 0 all passed and nothing leaked, 1 a test failed (or the JUnit report could not be\n"
    "written), 2 usage, 3 no such file, 4 not elevated, 5 the driver did not start or its host\n"
    "crashed, 6 a request hung: the driver was left loaded (a thread is still inside it;\n"
    "unloading would free the code it runs) and its service marked for deletion: reboot the\n"
    "test machine (under Wine: end the session).\n";

struct outcome {
    char name[MINWDM_TEST_NAME_SIZE];
    uint32_t result; /* enum minwdm_test_outcome */
    double seconds;
    char *text; /* heap; NULL when empty */
};

struct run {
    const WCHAR *image, *junit;
    const WCHAR *hardware_id; /* a package test (image is its INF): the device node's id */
    BOOL package;
    char hardware_id_utf8[512];
    WCHAR image_name[MAX_PATH]; /* the image's file name, as pending requests name it */
    WCHAR service[MINWDM_CONTROL_NAME_MAX + 1], control[MINWDM_CONTROL_NAME_MAX + 16];
    char filter[512], service_utf8[MINWDM_CONTROL_NAME_MAX * 4 + 1];
    WCHAR client[COMMAND_LINE_MAX];
    BOOL has_client;
    DWORD timeout_ms;
    unsigned passed, failed, skipped;
    BOOL host_crashed, hung, times;
    char hung_in[MINWDM_TEST_NAME_SIZE + 32]; /* the test or step a thread is still inside */
    uint64_t findings_mark; /* detections up to this log record were reported already */
    uint64_t instance;      /* the load (GET_INFO): its pending list is read only */
    ULONGLONG phase_start;
    char phases[256];
    struct outcome results[RESULTS_MAX];
    unsigned count;
};

static int usage(const char *what);

void cli_test_print_help(void)
{
    fputs(help_text, stdout);
}

int cli_test_misplaced(const struct cli_options *o)
{
    (void)o;
    return usage("put its options after `test`: minwdmctl test <driver.sys> --name <service> ...");
}

static int usage(const char *what)
{
    fprintf(stderr, "minwdmctl: test: %s\n%s", what, help_text);
    return 2;
}

/* Appends s to the command line, quoted as CommandLineToArgvW reads it back. */
static BOOL append_argument(WCHAR *line, const WCHAR *s)
{
    size_t length = wcslen(line), need = wcslen(s) * 2 + 4;

    if (length + need >= COMMAND_LINE_MAX)
        return FALSE;
    WCHAR *out = line + length;
    if (length)
        *out++ = L' ';
    *out++ = L'"';
    for (const WCHAR *c = s;; c++) {
        size_t slashes = 0;
        while (*c == L'\\') {
            slashes++;
            c++;
        }
        if (!*c || *c == L'"') { /* slashes before a quote (or the closing one) double */
            slashes *= 2;
            slashes += *c == L'"';
        }
        while (slashes--)
            *out++ = L'\\';
        if (!*c)
            break;
        *out++ = *c;
    }
    *out++ = L'"';
    *out = 0;
    return TRUE;
}

/* Whether the report can be written, checked before the driver loads: nothing is lost then.
 * Opened for appending, so an existing report stays until the run writes a new one. */
static BOOL junit_writable(const WCHAR *path)
{
    FILE *f = _wfopen(path, L"a");

    return f && fclose(f) == 0;
}

static const WCHAR *value_of(int argc, WCHAR **argv, int *i)
{
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Seconds, 1 to 86400, through minwdmctl's one number parser. */
static BOOL parse_seconds(const WCHAR *text, DWORD *ms)
{
    char utf8[32];
    uint64_t seconds;

    if (!text || !ctl_utf8(text, utf8, sizeof(utf8)) ||
        cli_number(utf8, 1, 86400, CLI_DECIMAL, &seconds) != CLI_NUMBER_OK)
        return FALSE;
    *ms = (DWORD)seconds * 1000;
    return TRUE;
}

/* The file name part of a path. */
static const WCHAR *base_name(const WCHAR *path)
{
    const WCHAR *base = path;

    for (const WCHAR *c = path; *c; c++)
        if (*c == L'\\' || *c == L'/' || *c == L':')
            base = c + 1;
    return base;
}

/* The image's base name without .sys: the default service name. */
static void default_service(struct run *r)
{
    wcsncpy(r->service, base_name(r->image), MINWDM_CONTROL_NAME_MAX);
    WCHAR *dot = wcsrchr(r->service, L'.');
    if (dot && dot != r->service)
        *dot = 0;
}

/* The driver's service from here on: its control device's name follows. */
static void set_service(struct run *r, const WCHAR *service)
{
    if (service != r->service)
        wcsncpy(r->service, service, MINWDM_CONTROL_NAME_MAX);
    wcscpy(r->control, L"\\\\?\\" MINWDM_CONTROL_PREFIX_W); /* \\.\ past MAX_PATH */
    wcscat(r->control, r->service);
    ctl_utf8(r->service, r->service_utf8, sizeof(r->service_utf8));
}

/* A package test: the argument is an INF. */
static BOOL is_inf(const WCHAR *path)
{
    size_t length = wcslen(path);

    return length > 4 && !_wcsicmp(path + length - 4, L".inf");
}

/* The package's checks after parsing: the hardware id goes with an INF, the service is its. */
static int parse_package(struct run *r)
{
    r->package = is_inf(r->image);
    if (r->package && !r->hardware_id)
        return usage("a package's INF wants --hardware-id <id>: the device node to install "
                     "it on (a model of the INF lists the id)");
    if (!r->package && r->hardware_id)
        return usage("--hardware-id goes with a package: minwdmctl test <x.inf> --hardware-id "
                     "<id>");
    if (r->package && r->service[0])
        return usage("--name: a package's service is the one its INF's AddService names");
    if (r->package && !ctl_utf8(r->hardware_id, r->hardware_id_utf8,
                                sizeof(r->hardware_id_utf8)))
        return usage("--hardware-id is too long");
    return 0;
}

static int parse(struct run *r, int argc, WCHAR **argv, int first)
{
    r->timeout_ms = DEFAULT_TIMEOUT_S * 1000;
    for (int i = 1; i < argc; i++) {
        const WCHAR *a = argv[i], *v;
        if (i == first - 1 && !wcscmp(a, L"test"))
            continue;
        if (!wcscmp(a, L"--help") || !wcscmp(a, L"-h")) {
            fputs(help_text, stdout);
            return -1;
        } else if (!wcscmp(a, L"--name")) {
            char name[MINWDM_CONTROL_NAME_MAX * 4 + 1], why[MINWDM_CONTROL_NAME_MAX * 4 + 200];
            const char *problem;
            if (!(v = value_of(argc, argv, &i)))
                return usage("--name wants a service name");
            if (wcslen(v) > MINWDM_CONTROL_NAME_MAX || !ctl_utf8(v, name, sizeof(name)))
                problem = "is too long: at most 248 characters";
            else
                problem = cli_service_name_problem(name);
            if (problem) {
                snprintf(why, sizeof(why), "--name '%s' %s", name, problem);
                return usage(why);
            }
            wcscpy(r->service, v);
        } else if (!wcscmp(a, L"--hardware-id")) {
            if (!(r->hardware_id = value_of(argc, argv, &i)) || !*r->hardware_id)
                return usage("--hardware-id wants a hardware id (Root\\Something)");
        } else if (!wcscmp(a, L"--timeout")) {
            if (!parse_seconds(value_of(argc, argv, &i), &r->timeout_ms))
                return usage("--timeout wants seconds, 1 to 86400");
        } else if (!wcscmp(a, L"--filter")) {
            if (!(v = value_of(argc, argv, &i)) ||
                !WideCharToMultiByte(CP_UTF8, 0, v, -1, r->filter, sizeof(r->filter), NULL, NULL))
                return usage("--filter wants patterns, at most 511 bytes");
        } else if (!wcscmp(a, L"--times")) {
            r->times = TRUE;
        } else if (!wcscmp(a, L"--junit")) {
            if (!(r->junit = value_of(argc, argv, &i)) || !*r->junit)
                return usage("--junit wants a file");
            if (!junit_writable(r->junit))
                return usage("--junit: cannot write that file (a missing folder? no permission?)");
        } else if (!wcscmp(a, L"--client")) {
            if (i + 1 >= argc)
                return usage("--client wants a program");
            for (i++; i < argc; i++)
                if (!append_argument(r->client, argv[i]))
                    return usage("the client's command line is too long");
            r->has_client = TRUE;
        } else if (a[0] == L'-' && a[1] == L'-') {
            return usage("unknown option (see --help)");
        } else if (!r->image) {
            r->image = a;
        } else {
            return usage("one driver image only");
        }
    }
    if (!r->image)
        return usage("which driver? minwdmctl test <driver.sys>");
    int rc = parse_package(r);
    if (rc || r->package)
        return rc; /* a package's service is known once it is installed */
    if (!r->service[0])
        default_service(r);
    if (!r->service[0] || wcschr(L". ", r->service[wcslen(r->service) - 1]))
        return usage("the image's name makes no service name: give one with --name");
    wcsncpy(r->image_name, base_name(r->image), MAX_PATH - 1);
    set_service(r, r->service);
    return 0;
}

/* Ends the phase in progress: "<name> N ms" joins the --times line. */
static void phase(struct run *r, const char *name)
{
    ULONGLONG now = GetTickCount64();
    size_t used = strlen(r->phases);

    if (name && used < sizeof(r->phases))
        snprintf(r->phases + used, sizeof(r->phases) - used, "%s%s %llu ms", used ? ", " : "",
                 name, (unsigned long long)(now - r->phase_start));
    r->phase_start = now;
}

static void record(struct run *r, const char *name, uint32_t result, double seconds,
                   const char *text)
{
    if (result == MINWDM_TEST_PASSED)
        r->passed++;
    else if (result == MINWDM_TEST_SKIPPED)
        r->skipped++;
    else
        r->failed++;
    if (r->count >= RESULTS_MAX)
        return;
    struct outcome *o = &r->results[r->count++];
    snprintf(o->name, sizeof(o->name), "%s", name);
    o->result = result;
    o->seconds = seconds < 0 ? 0 : seconds;
    o->text = text && *text ? _strdup(text) : NULL;
}

/* "ok name (1.2 ms)", "FAIL name", "skip name", then the text's lines, indented. */
static void print_outcome(const char *name, uint32_t result, double seconds, const char *text)
{
    static const char *const words[] = {"ok", "FAIL", "skip"};

    if (seconds < 0) /* a step, not a kernel test: no time of its own */
        printf("%-4s %s\n", words[result < 3 ? result : 1], name);
    else
        printf("%-4s %s (%.1f ms)\n", words[result < 3 ? result : 1], name, seconds * 1000);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        int length = end ? (int)(end - line) : (int)strlen(line);
        printf("     %.*s\n", length, line);
        line = end ? end + 1 : line + length;
    }
    fflush(stdout);
}

static void report(struct run *r, const char *name, uint32_t result, const char *text)
{
    print_outcome(name, result, -1, text);
    record(r, name, result, 0, text);
}

/* Whether the driver still runs; when its host died (Wine) or it stopped, the run says so. */
static BOOL driver_alive(struct run *r)
{
    if (ctl_driver_host_alive(r->service))
        return TRUE;
    r->host_crashed = TRUE;
    return FALSE;
}

/* A request that failed: a deadline, a crashed host, or the driver's own answer. */
/* The requests the driver holds pending, when its verifier keeps the list (ctl_pending.h): one
 * line each, its dispatch routine as <image>+0x<offset>, which the Linux side symbolizes. */
static void append_pending(const struct run *r, char *text, size_t size)
{
    static struct ctl_pending_list list;
    char image[CTL_PATH_MAX * 3];
    size_t used = strlen(text);

    if (!r->instance || ctl_pending_read(r->service, r->instance, &list) != ERROR_SUCCESS)
        return;
    ctl_utf8(r->image_name, image, sizeof(image));
    if (!list.header.total)
        snprintf(text + used, size - used, "\nthe driver holds no request pending");
    else
        ctl_pending_lines(&list, ctl_pending_now(), image, text, size);
}

static void request_failed(struct run *r, const char *what, LONG status)
{
    static char text[4096];
    char hex[64];

    if (status == CTL_STATUS_HUNG) {
        snprintf(text, sizeof(text), "did not finish within %lu s, nor when cancelled: a thread "
                 "is still inside the driver, which is left loaded (unloading it would free the "
                 "code that thread runs)", (unsigned long)(r->timeout_ms / 1000));
        r->hung = TRUE;
        snprintf(r->hung_in, sizeof(r->hung_in), "%s", what);
        append_pending(r, text, sizeof(text));
    } else if (status == CTL_STATUS_TIMEOUT) {
        snprintf(text, sizeof(text), "did not finish within %lu s: timed out, the request was "
                 "cancelled", (unsigned long)(r->timeout_ms / 1000));
        append_pending(r, text, sizeof(text));
    } else if (!driver_alive(r)) {
        snprintf(text, sizeof(text), "the driver host crashed during it: the driver is gone "
                 "(its last log lines are in the kernel debug output)");
    } else {
        ctl_ntstatus_text(status, hex, sizeof(hex));
        snprintf(text, sizeof(text), "the request failed: NTSTATUS %s", hex);
    }
    report(r, what, MINWDM_TEST_FAILED, text);
}

/* After a test that ended the run: each selected test not run yet is reported as skipped, "not
 * run", by name while the control device still answers; once a thread is stuck in the driver
 * (winedevice serves one request at a time) or its host is gone, by count. */
static void not_run(struct run *r, HANDLE control, const char *culprit, uint32_t next,
                    uint32_t count)
{
    char text[MINWDM_TEST_NAME_SIZE + 64], name[64];
    struct minwdm_test_entry entry;

    snprintf(text, sizeof(text), "not run: %s did not end", culprit);
    for (uint32_t i = next; i < count; i++) {
        if (r->hung || r->host_crashed || ctl_test_entry(control, i, &entry, 2000) < 0) {
            snprintf(name, sizeof(name), "the %u kernel tests after it", (unsigned)(count - i));
            report(r, name, MINWDM_TEST_SKIPPED, text);
            return;
        }
        if (cli_test_selected(entry.name, r->filter))
            report(r, entry.name, MINWDM_TEST_SKIPPED, text);
    }
}

/* What the verifier or the allocator detected while a test ran fails that test. */
static void attribute_findings(HANDLE control, uint64_t *mark, struct minwdm_test_result *result)
{
    static char lines[8192];
    size_t used = result->text_length < sizeof(result->text) ? result->text_length : 0;

    lines[0] = '\0';
    if (!findings_since(control, mark, lines, sizeof(lines)))
        return;
    result->outcome = MINWDM_TEST_FAILED;
    result->failures++;
    snprintf(result->text + used, sizeof(result->text) - used, "%sdetected during the test:\n%s",
             used && result->text[used - 1] != '\n' ? "\n" : "", lines);
    result->text_length = (uint32_t)strlen(result->text);
}

/* Each selected kernel test; FALSE when the driver cannot be asked any more. */
static BOOL run_kernel_tests(struct run *r, HANDLE control)
{
    static struct minwdm_test_result result; /* 4 KB: not on the stack */
    struct minwdm_test_entry entry;
    LONG status = ctl_test_entry(control, 0, &entry, r->timeout_ms);

    if (status == (LONG)0xC0000010L) { /* STATUS_INVALID_DEVICE_REQUEST */
        printf("note: %s has no kernel tests (a release build? add_wdm_test builds the test "
               "variant)\n", r->service_utf8);
        return TRUE;
    }
    if (status < 0) {
        request_failed(r, "listing the kernel tests", status);
        return FALSE;
    }
    uint32_t count = entry.count;
    for (uint32_t i = 0; i < count; i++) {
        if ((status = ctl_test_entry(control, i, &entry, r->timeout_ms)) < 0) {
            request_failed(r, "listing the kernel tests", status);
            return FALSE;
        }
        if (!cli_test_selected(entry.name, r->filter))
            continue;
        uint64_t mark = findings_mark(control);
        if ((status = ctl_test_run(control, entry.name, &result, r->timeout_ms)) < 0) {
            request_failed(r, entry.name, status);
            not_run(r, control, entry.name, i + 1, count);
            return FALSE;
        }
        attribute_findings(control, &mark, &result);
        r->findings_mark = mark;
        double seconds = (double)result.time / 1e7;
        print_outcome(entry.name, result.outcome, seconds, result.text);
        record(r, entry.name, result.outcome, seconds, result.text);
    }
    return TRUE;
}

/* The client, then what was detected while it ran: that fails it too. */
static void run_client(struct run *r, HANDLE control)
{
    static char text[8192];
    char name[COMMAND_LINE_MAX];
    WCHAR line[COMMAND_LINE_MAX];
    uint64_t mark = findings_mark(control);
    uint32_t result = MINWDM_TEST_FAILED;
    DWORD code;
    size_t used;

    ctl_utf8(r->client, name, sizeof(name));
    wcscpy(line, r->client); /* CreateProcessW may write to it */
    switch (ctl_run_program(line, r->timeout_ms, &code)) {
    case CTL_PROGRAM_NOT_STARTED: {
        char why[256];
        ctl_error_text(code, why, sizeof(why));
        snprintf(text, sizeof(text), "%s did not start: error %lu: %s", name,
                 (unsigned long)code, why);
        break;
    }
    case CTL_PROGRAM_TIMED_OUT:
        snprintf(text, sizeof(text), "%s did not finish within %lu s: ended", name,
                 (unsigned long)(r->timeout_ms / 1000));
        append_pending(r, text, sizeof(text));
        break;
    case CTL_PROGRAM_EXITED:
        if (code == 0) {
            result = MINWDM_TEST_PASSED;
            text[0] = '\0';
            break;
        }
        snprintf(text, sizeof(text), "%s exited with %lu", name, (unsigned long)code);
        if (!driver_alive(r))
            snprintf(text + strlen(text), sizeof(text) - strlen(text),
                     "; the driver host crashed while it ran");
        break;
    }
    used = strlen(text);
    snprintf(text + used, sizeof(text) - used, "%sdetected while it ran:", used ? "\n" : "");
    if (findings_since(control, &mark, text, sizeof(text)))
        result = MINWDM_TEST_FAILED;
    else
        text[used] = '\0';
    r->findings_mark = mark;
    report(r, "client", result, text);
}

/* The lines of the driver's saved log that contain `what`, into text. */
static void saved_lines(const WCHAR *service, const char *what, uint64_t after, char *text,
                        size_t size)
{
    static BYTE buffer[CTL_LOG_BUFFER_SIZE];
    const struct minwdm_log_record *record;
    struct ctl_log_batch batch;
    const char *line;
    DWORD offset = 0;
    size_t used = strlen(text);

    if (ctl_log_read_saved(service, buffer, sizeof(buffer), &batch) != ERROR_SUCCESS)
        return;
    while ((record = ctl_log_next(&batch, &offset, &line)) != NULL && used + 2 < size) {
        char copy[MINWDM_LOG_LINE_MAX + 1];
        if (record->sequence <= after)
            continue;
        snprintf(copy, sizeof(copy), "%.*s", (int)record->length, line);
        if (strstr(copy, what) && findings_line_is_one(line, record->length))
            used += (size_t)snprintf(text + used, size - used, "\n%s", copy);
        if (used >= size)
            used = size - 1;
    }
}

/* Stops the driver and turns the runtime's unload report into one more outcome. */
static void stop_and_check(struct run *r)
{
    char text[8192] = "";
    struct minwdm_unload_report u;
    struct ctl_result result;
    uint64_t misuse = 0;

    if (!ctl_service_stop(r->service, r->timeout_ms, &result)) {
        char why[256];
        ctl_error_text(result.error, why, sizeof(why));
        if (!driver_alive(r))
            snprintf(text, sizeof(text), "the driver host crashed: no unload ran");
        else
            snprintf(text, sizeof(text), "stopping the driver failed: error %lu: %s",
                     (unsigned long)result.error, why);
        report(r, "unload", MINWDM_TEST_FAILED, text);
        return;
    }
    DWORD error = ctl_unload_report(r->service, &u);
    if (error == ERROR_SUCCESS && (u.flags & MINWDM_UNLOAD_STARTED)) {
        r->host_crashed = TRUE;
        report(r, "unload", MINWDM_TEST_FAILED,
               "the driver host crashed during the unload: the driver's DriverUnload (or what "
               "it called) never returned");
        return;
    }
    if (error != ERROR_SUCCESS) {
        report(r, "unload", MINWDM_TEST_FAILED,
               error == ERROR_FILE_NOT_FOUND
                   ? "no unload report: not a RUNTIME driver, or it has no DriverUnload"
                   : "the unload report is not one this minwdmctl reads");
        return;
    }
    for (unsigned i = 0; i < MINWDM_EVENT_COUNT; i++)
        if (i != MINWDM_EVENT_LEAK)
            misuse += u.events[i];
    if (u.leaked_blocks)
        snprintf(text, sizeof(text), "the driver leaked %llu blocks (%llu bytes), freed by the "
                 "runtime:", (unsigned long long)u.leaked_blocks,
                 (unsigned long long)u.leaked_bytes);
    if (misuse) {
        size_t used = strlen(text);
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%sthe allocator caught:",
                                 used ? "\n" : "");
        for (unsigned i = 0; i < MINWDM_EVENT_COUNT && used < sizeof(text); i++)
            if (i != MINWDM_EVENT_LEAK && u.events[i])
                used += (size_t)snprintf(text + used, sizeof(text) - used, " %s %llu",
                                         ctl_event_name(i), (unsigned long long)u.events[i]);
    }
    size_t before = strlen(text);
    /* unload-*, pool-leak: what was not reported with a test or the client */
    saved_lines(r->service, ": verifier: ", r->findings_mark, text, sizeof(text));
    BOOL verifier_found = strlen(text) > before;
    if (verifier_found && !before)
        memmove(text, text + 1, strlen(text)); /* no empty first line */
    if (u.leaked_blocks || misuse || verifier_found) {
        saved_lines(r->service, ": memory: ", 0, text, sizeof(text));
        report(r, "unload", MINWDM_TEST_FAILED, text);
    } else {
        report(r, "unload", MINWDM_TEST_PASSED, NULL);
    }
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
                fputc(*s, f);
        }
    }
}

static BOOL write_junit(const struct run *r)
{
    FILE *f = _wfopen(r->junit, L"w");

    if (!f)
        return FALSE;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"");
    xml_text(f, r->service_utf8);
    fprintf(f, "\" tests=\"%u\" failures=\"%u\" skipped=\"%u\">\n", r->count,
            r->failed, r->skipped);
    for (unsigned i = 0; i < r->count; i++) {
        const struct outcome *o = &r->results[i];
        fprintf(f, "  <testcase classname=\"");
        xml_text(f, r->service_utf8);
        fprintf(f, "\" name=\"");
        xml_text(f, o->name);
        fprintf(f, "\" time=\"%.6f\">", o->seconds);
        if (o->result != MINWDM_TEST_PASSED) {
            fprintf(f, o->result == MINWDM_TEST_SKIPPED ? "<skipped message=\"" : "<failure message=\"");
            xml_text(f, o->text ? o->text : "");
            fprintf(f, "\"/>");
        }
        fprintf(f, "</testcase>\n");
    }
    fprintf(f, "</testsuite>\n");
    return fclose(f) == 0;
}

/* Install and start; on failure what went wrong is printed and its exit code returned. */
static int load(struct run *r)
{
    WCHAR absolute[CTL_PATH_MAX];
    struct ctl_result result;
    char what[600];
    DWORD error = ctl_absolute_path(r->image, absolute);

    if (error == ERROR_SUCCESS && GetFileAttributesW(absolute) == INVALID_FILE_ATTRIBUTES)
        error = GetLastError();
    if (error != ERROR_SUCCESS) {
        char path[CTL_PATH_MAX * 3];
        ctl_utf8(r->image, path, sizeof(path));
        snprintf(what, sizeof(what), "opening the driver image %s", path);
        return cli_report(what, error, CTL_CONTEXT_SERVICE, NULL);
    }
    if (!ctl_service_install(r->service, absolute, SERVICE_DEMAND_START, &result)) {
        snprintf(what, sizeof(what), "%s(%s)", result.call, r->service_utf8);
        return cli_report(what, result.error, CTL_CONTEXT_SERVICE, NULL);
    }
    if (!ctl_service_start(r->service, r->timeout_ms, &result)) {
        struct cli_options service = {.service_w = r->service};
        snprintf(what, sizeof(what), "starting %s", r->service_utf8);
        int rc = result.crashed_in_start
                     ? cli_report_crashed_start(r->service_utf8, result.stale_names)
                     : cli_report(what, result.error, CTL_CONTEXT_START,
                                  result.has_driver_status ? &result.driver_status : NULL);
        cli_print_log_of_failed_start(&service); /* the log, as `minwdmctl start` prints it */
        return rc;
    }
    return 0;
}

/* A package: its INF installed on a new root device node with the hardware id, as
 * `install-device` does (DriverEntry, AddDevice, START); its service is the one the INF names. */
static int load_package(struct run *r)
{
    static char inf[CTL_PATH_MAX * 3];
    struct cli_options o = {.timeout_ms = r->timeout_ms, .count = 2};
    struct ctl_service_info info;
    struct ctl_result result;
    WCHAR service[MINWDM_CONTROL_NAME_MAX + 1];

    ctl_utf8(r->image, inf, sizeof(inf));
    o.args[0] = inf;
    o.args[1] = r->hardware_id_utf8;
    int rc = cli_install_device(&o);
    if (rc != CTL_EXIT_OK)
        return rc;
    if (!cli_device_service(r->hardware_id_utf8, service, MINWDM_CONTROL_NAME_MAX + 1)) {
        fprintf(stderr, "minwdmctl: test: the device %s has no service: the INF's AddService "
                        "did not take\n", r->hardware_id_utf8);
        o.count = 1;
        o.args[0] = r->hardware_id_utf8;
        cli_remove_device(&o); /* no node left behind */
        return CTL_EXIT_DRIVER;
    }
    set_service(r, service);
    if (ctl_service_query(r->service, &info, &result))
        wcsncpy(r->image_name, base_name(info.image_path), MAX_PATH - 1);
    return CTL_EXIT_OK;
}

/* remove-device on a thread of its own: REMOVE_DEVICE runs the driver's code, which may hang. */
static DWORD WINAPI remove_thread(void *context)
{
    return (DWORD)cli_remove_device(context);
}

/* A package's device node removed (REMOVE_DEVICE reaches the driver): one more outcome. Windows
 * unloads the driver when its last device is gone; Wine 8 does not (stop_and_check stops it). */
static void remove_package_device(struct run *r)
{
    static struct cli_options o; /* a thread left running past the deadline keeps using it */
    DWORD rc = CTL_EXIT_FAILED;

    o.timeout_ms = r->timeout_ms;
    o.count = 1;
    o.args[0] = r->hardware_id_utf8;
    HANDLE thread = CreateThread(NULL, 0, remove_thread, &o, 0, NULL);
    if (!thread) {
        report(r, "remove-device", MINWDM_TEST_FAILED, "no thread to remove the device on");
        return;
    }
    if (WaitForSingleObject(thread, r->timeout_ms) == WAIT_TIMEOUT) {
        static char text[4096];
        snprintf(text, sizeof(text), "did not finish within %lu s: the driver may hang in "
                 "IRP_MN_REMOVE_DEVICE (or SURPRISE_REMOVAL)", (unsigned long)(r->timeout_ms / 1000));
        r->hung = TRUE;
        snprintf(r->hung_in, sizeof(r->hung_in), "remove-device");
        append_pending(r, text, sizeof(text));
        report(r, "remove-device", MINWDM_TEST_FAILED, text);
    } else {
        GetExitCodeThread(thread, &rc);
        report(r, "remove-device", rc == CTL_EXIT_OK ? MINWDM_TEST_PASSED : MINWDM_TEST_FAILED,
               rc == CTL_EXIT_OK ? NULL : "the device node was not removed (the error above)");
    }
    CloseHandle(thread);
}

int cli_test(int argc, WCHAR **argv, int first)
{
    static struct run r;
    struct ctl_result result;
    DWORD error;
    int rc = parse(&r, argc, argv, first);

    if (rc)
        return rc < 0 ? 0 : rc;
    phase(&r, NULL);
    rc = r.package ? load_package(&r) : load(&r);
    phase(&r, "load");
    if (rc != 0) {
        if (r.service[0])
            ctl_service_remove(r.service, r.timeout_ms, &result);
        printf("0 passed, 1 failed\n");
        return rc;
    }
    HANDLE control = ctl_device_open(r.control, &error);
    if (control == INVALID_HANDLE_VALUE) {
        char what[600];
        snprintf(what, sizeof(what), "opening the runtime's control device of %s (a RUNTIME "
                 "driver?)", r.service_utf8);
        cli_report(what, error, CTL_CONTEXT_DEVICE, NULL);
        record(&r, "control device", MINWDM_TEST_FAILED, 0, NULL);
    } else {
        r.instance = ctl_instance(control, r.timeout_ms);
        BOOL usable = run_kernel_tests(&r, control);
        phase(&r, "tests");
        if (usable && r.has_client) {
            run_client(&r, control);
            phase(&r, "client");
        }
        CloseHandle(control);
    }
    if (!r.hung && !r.host_crashed && driver_alive(&r)) {
        if (r.package)
            remove_package_device(&r);
        if (!r.hung) {
            stop_and_check(&r);
            phase(&r, "unload");
        }
    }
    if (r.hung)
        fprintf(stderr, "minwdmctl: test: %s never ended: the driver stays loaded (a thread is "
                "still inside it; unloading would free the code it runs); its service is marked "
                "for deletion. Reboot the test machine (under Wine: end the session).\n",
                r.hung_in);
    if (!ctl_service_remove(r.service, r.timeout_ms, &result) && !r.hung)
        fprintf(stderr, "minwdmctl: test: removing the service %s failed: error %lu\n",
                r.service_utf8, (unsigned long)result.error);
    phase(&r, "remove");
    if (r.times)
        fprintf(stderr, "times: %s\n", r.phases);
    if (r.host_crashed)
        fprintf(stderr, "minwdmctl: test: the driver host crashed: see the crash report and the "
                        "driver's last log lines in the kernel debug output\n");
    BOOL junit_failed = r.junit && !write_junit(&r);
    if (junit_failed)
        fprintf(stderr, "minwdmctl: test: could not write the JUnit report\n");
    if (r.skipped)
        printf("%u passed, %u failed, %u skipped\n", r.passed, r.failed, r.skipped);
    else
        printf("%u passed, %u failed\n", r.passed, r.failed);
    if (r.hung)
        return CTL_EXIT_HUNG;
    if (r.host_crashed)
        return CTL_EXIT_DRIVER;
    return r.failed || junit_failed ? CTL_EXIT_FAILED : CTL_EXIT_OK;
}
