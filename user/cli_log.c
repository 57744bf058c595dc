/* The log commands: log (from the driver, or the log it left in its service key), log --follow,
 * log-level; and the log of a failed start. */
#include <stdio.h>

#include <minwdm/log.h>
#include "cli.h"
#include "ctl_log.h"

#define STATUS_INFO_LENGTH_MISMATCH ((LONG)0xC0000004)

/* Room for any batch the driver sends or leaves; one reader at a time uses it. */
static BYTE log_buffer[CTL_LOG_BUFFER_SIZE];

static void print_record(const struct minwdm_log_record *r, const char *text, BOOL numbered,
                         FILE *out)
{
    if (numbered)
        fprintf(out, "%llu [%5llu.%06llu] ", (unsigned long long)r->sequence,
                (unsigned long long)(r->time / 10000000),
                (unsigned long long)(r->time / 10 % 1000000));
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

void cli_print_log_of_failed_start(const struct cli_options *o)
{
    struct ctl_log_batch b;

    /* minwdmctl cleared it before the start: what is there now is this start's */
    if (ctl_log_read_saved(o->service_w, log_buffer, sizeof(log_buffer), &b) != ERROR_SUCCESS) {
        fprintf(stderr, "minwdmctl: the driver left no log of this start: it did not get to "
                        "run, or it is not built on minwdm's runtime (DebugView shows its "
                        "messages)\n");
        return;
    }
    fprintf(stderr, "minwdmctl: the driver's log of this start:\n");
    print_batch(&b, 0, FALSE, stderr);
}

/* One READ_LOG of the records after `after`, its answer checked (a malformed one fails with
 * STATUS_INFO_LENGTH_MISMATCH). */
static BOOL read_log(const struct cli_options *o, uint64_t after, struct cli_request *r,
                     struct ctl_log_batch *b)
{
    struct cli_request read = {.code = IOCTL_MINWDM_CONTROL_READ_LOG, .input = &after,
                               .input_length = sizeof(after), .output = log_buffer,
                               .output_length = sizeof(log_buffer)};
    BOOL ok = cli_send(o, &read);

    if (ok && !ctl_log_parse(log_buffer, read.returned, b)) {
        read.status = STATUS_INFO_LENGTH_MISMATCH;
        ok = FALSE;
    }
    *r = read;
    r->input = NULL; /* `after` is gone once this returns */
    return ok;
}

/* Reads and prints what the driver holds after *after, up to what it held at the first read
 * (a driver logging fast cannot keep this going). Keeps *instance, and starts again from 0 when
 * the driver is another load than *instance. FALSE when a read failed: r says why. */
static BOOL print_device_log(const struct cli_options *o, uint64_t *after, uint64_t *instance,
                             struct cli_request *r)
{
    BOOL numbered = (o->given & OPT_NUMBERED) != 0;
    struct ctl_log_batch b;
    uint64_t last = 0;

    for (;;) {
        if (!read_log(o, *after, r, &b))
            return FALSE;
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
            return TRUE;
    }
}

/* The log the driver left when it stopped: its records after *after, or all of them when they
 * are another load's than *instance (one that came and went unseen). Returns the Win32 error of
 * reading it. */
static DWORD print_saved_log(const struct cli_options *o, uint64_t *after, uint64_t *instance)
{
    struct ctl_log_batch b;
    DWORD error = ctl_log_read_saved(o->service_w, log_buffer, sizeof(log_buffer), &b);

    if (error != ERROR_SUCCESS)
        return error;
    if (*instance && b.header.instance != *instance) {
        fprintf(stderr, "minwdmctl: -- the driver was loaded and unloaded since the last look --\n");
        *after = 0;
    }
    *instance = b.header.instance;
    *after = print_batch(&b, *after, (o->given & OPT_NUMBERED) != 0, stdout);
    return ERROR_SUCCESS;
}

static BOOL device_missing(const struct cli_request *r)
{
    return r->open_error == ERROR_FILE_NOT_FOUND || r->open_error == ERROR_PATH_NOT_FOUND;
}

static int follow_log(const struct cli_options *o)
{
    enum { UNSEEN, RUNNING, STOPPED } driver = UNSEEN;
    uint64_t after = o->since, instance = 0;
    DWORD started = GetTickCount();
    struct cli_request r;

    while (!o->timeout_given || GetTickCount() - started < o->timeout_ms) {
        /* One handle per read: a handle kept open would hold the driver's unload back. */
        if (print_device_log(o, &after, &instance, &r)) {
            if (driver != RUNNING)
                fprintf(stderr, "minwdmctl: following the driver's log (Ctrl+C ends)\n");
            driver = RUNNING;
        } else if (device_missing(&r)) {
            /* What it logged between the last poll and its unload is in its saved log, which
             * the driver writes last: it is read at every poll until the driver is back. */
            print_saved_log(o, &after, &instance);
            if (driver != STOPPED)
                fprintf(stderr, "minwdmctl: -- the driver is not running; waiting for it --\n");
            driver = STOPPED;
        } else {
            return cli_report_request(o, &r);
        }
        Sleep(200);
    }
    return CTL_EXIT_OK;
}

int cli_log(const struct cli_options *o)
{
    uint64_t after = o->since, instance = 0;
    struct cli_request r;

    if (o->given & OPT_FOLLOW)
        return follow_log(o);
    if (print_device_log(o, &after, &instance, &r))
        return CTL_EXIT_OK;
    if (device_missing(&r) && instance == 0 &&
        print_saved_log(o, &after, &instance) == ERROR_SUCCESS) {
        fprintf(stderr, "minwdmctl: the driver is not running: that was the log it left when it "
                        "stopped\n");
        return CTL_EXIT_OK;
    }
    return cli_report_request(o, &r);
}

int cli_log_level(const struct cli_options *o)
{
    struct ctl_log_batch b;
    struct cli_request r;
    uint32_t level = 0;

    if (o->count && !cli_parse_level(o->args[0], &level))
        return cli_usage_error("log-level wants error, warn, info, debug or trace");
    /* A read after the last possible record answers with the header alone: the levels. */
    if (!read_log(o, UINT64_MAX, &r, &b))
        return cli_report_request(o, &r);
    if (b.header.level >= MINWDM_LOG_LEVEL_COUNT || b.header.floor >= MINWDM_LOG_LEVEL_COUNT) {
        fprintf(stderr, "minwdmctl: log-level: the driver answered level %u\n", b.header.level);
        return CTL_EXIT_DRIVER;
    }
    if (!o->count) {
        printf("%s (this build logs up to %s)\n", log_level_names[b.header.level],
               log_level_names[b.header.floor]);
        return CTL_EXIT_OK;
    }
    struct cli_request set = {.code = IOCTL_MINWDM_CONTROL_SET_LOG_LEVEL, .input = &level,
                              .input_length = sizeof(level)};
    int rc = cli_request(o, &set);
    if (rc != CTL_EXIT_OK)
        return rc;
    printf("log level %s (was %s)\n", log_level_names[level], log_level_names[b.header.level]);
    if (level > b.header.floor)
        printf("note: this build of the driver has no %s messages: they were compiled out "
               "(MINWDM_LOG_FLOOR %s)\n",
               log_level_names[level], log_level_names[b.header.floor]);
    return CTL_EXIT_OK;
}
