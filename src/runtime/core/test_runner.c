#include "test_runner.h"

#include <string.h>

#include <minwdm/format.h>
#include <minwdm/ntstatus_names.h>

#define CUT_MARKER " [cut]\n"
#define RECLAIM_MAX 32 /* leaked blocks freed after a test; the rest are freed at unload */

struct minwdm_test_context {
    struct minwdm_test_result *result;
    int skipped;
    void *leaked[RECLAIM_MAX];
    unsigned leaked_count;
};

/* Appends one "file:line: text\n" line; a full buffer ends with the cut marker. */
static void add_line(struct minwdm_test_context *t, const char *file, unsigned line,
                     const char *format, ...) FORMAT_CHECK(4, 5);

static void add_line(struct minwdm_test_context *t, const char *file, unsigned line,
                     const char *format, ...)
{
    struct minwdm_test_result *r = t->result;
    size_t room = sizeof(r->text) - sizeof(CUT_MARKER) - r->text_length;
    char text[512];
    va_list arguments;
    int n;

    if (r->text_length >= sizeof(r->text) - sizeof(CUT_MARKER))
        return; /* already cut */
    va_start(arguments, format);
    format_vstring(text, sizeof(text), format, arguments);
    va_end(arguments);
    n = file ? format_string(r->text + r->text_length, room, "%s:%u: %s\n", file, line, text)
             : format_string(r->text + r->text_length, room, "%s\n", text);
    if (n < 0 || (size_t)n >= room) {
        memcpy(r->text + sizeof(r->text) - sizeof(CUT_MARKER), CUT_MARKER, sizeof(CUT_MARKER));
        r->text_length = (uint32_t)(sizeof(r->text) - 1);
        return;
    }
    r->text_length += (uint32_t)n;
}

/* Only the file's name: build paths are long and say nothing the name does not. */
static const char *base_name(const char *file)
{
    const char *base = file;

    for (const char *p = file; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    return base;
}

static int record(struct minwdm_test_context *t, int ok)
{
    t->result->checks++;
    if (!ok)
        t->result->failures++;
    return ok;
}

int minwdm_check_true(struct minwdm_test_context *t, int ok, const char *expression,
                      const char *file, unsigned line)
{
    if (!record(t, ok))
        add_line(t, base_name(file), line, "expected true: %s", expression);
    return ok;
}

int minwdm_check_eq(struct minwdm_test_context *t, int ok, uint64_t actual, uint64_t expected,
                    const char *actual_text, const char *expected_text, const char *file,
                    unsigned line)
{
    if (!record(t, ok))
        add_line(t, base_name(file), line, "%s: got %lld (0x%llx), expected %s: %lld (0x%llx)",
                 actual_text, (long long)actual, (unsigned long long)actual, expected_text,
                 (long long)expected, (unsigned long long)expected);
    return ok;
}

int minwdm_check_status(struct minwdm_test_context *t, int32_t actual, int32_t expected,
                        const char *actual_text, const char *file, unsigned line)
{
    char got[11], want[11];
    int ok = actual == expected;

    if (!record(t, ok))
        add_line(t, base_name(file), line, "%s: got %s, expected %s", actual_text,
                 minwdm_ntstatus_text(actual, got), minwdm_ntstatus_text(expected, want));
    return ok;
}

void minwdm_test_skip(struct minwdm_test_context *t, const char *why, const char *file,
                      unsigned line)
{
    t->skipped = 1;
    add_line(t, base_name(file), line, "skipped: %s", why ? why : "");
}

/* Test `index`, counting only the real entries (the linker may pad between them with NULL). */
static const struct minwdm_test_case *at(const struct minwdm_test_suite *suite, uint32_t index)
{
    for (const struct minwdm_test_case *const *e = suite->begin; e < suite->end; e++) {
        const struct minwdm_test_case *test = *e;
        if (test && index-- == 0)
            return test;
    }
    return NULL;
}

uint32_t test_suite_count(const struct minwdm_test_suite *suite)
{
    uint32_t count = 0;

    for (const struct minwdm_test_case *const *e = suite->begin; e < suite->end; e++)
        count += *e != NULL;
    return count;
}

static const struct minwdm_test_case *find(const struct minwdm_test_suite *suite,
                                           const char *name, size_t length)
{
    for (const struct minwdm_test_case *const *e = suite->begin; e < suite->end; e++) {
        const char *n = *e ? (*e)->name : "";
        if (*e && strlen(n) == length && memcmp(n, name, length) == 0)
            return *e;
    }
    return NULL;
}

void test_runner_list(const struct test_runner *runner, uint32_t index,
                      struct minwdm_test_entry *out)
{
    const struct minwdm_test_case *test = at(runner->suite, index);

    memset(out, 0, sizeof(*out));
    out->count = test_suite_count(runner->suite);
    out->index = index;
    if (test)
        format_string(out->name, sizeof(out->name), "%s", test->name);
}

/* Called under the allocator's locks: records, frees later. */
static void found_leak(void *context, const void *pointer, uint32_t tag, size_t size,
                       const struct mem_site *site)
{
    struct minwdm_test_context *t = context;

    t->result->leaked_blocks++;
    add_line(t, NULL, 0, "leak: %zu bytes, tag '%.4s', allocated at %s:%u, left by the test",
             size, (const char *)&tag, site ? site->function : "?", site ? site->line : 0u);
    if (t->leaked_count < RECLAIM_MAX)
        t->leaked[t->leaked_count++] = (void *)(uintptr_t)pointer;
}

static void check_after(const struct test_runner *runner, struct minwdm_test_context *t)
{
    uint32_t irql = runner->platform.irql ? runner->platform.irql() : 0;

    if (irql != 0) {
        t->result->failures++;
        add_line(t, NULL, 0, "returned at IRQL %u: a test must return at PASSIVE_LEVEL (0)",
                 irql);
    }
    if (runner->memory && mem_visit_unmarked(runner->memory, found_leak, t)) {
        t->result->failures++;
        for (unsigned i = 0; i < t->leaked_count; i++)
            mem_reclaim(runner->memory, t->leaked[i]);
    }
}

minwdm_status test_runner_run(const struct test_runner *runner, const char *name, size_t length,
                              struct minwdm_test_result *out)
{
    const struct minwdm_test_case *test = find(runner->suite, name, length);
    struct minwdm_test_context t = {out, 0, {NULL}, 0};

    if (!test)
        return MINWDM_STATUS_OBJECT_NAME_NOT_FOUND;
    memset(out, 0, sizeof(*out));
    if (runner->memory)
        mem_mark_live(runner->memory);
    uint64_t start = runner->platform.now ? runner->platform.now() : 0;
    test->run(&t);
    out->time = runner->platform.now ? runner->platform.now() - start : 0;
    check_after(runner, &t);
    out->outcome = out->failures ? MINWDM_TEST_FAILED
                   : t.skipped   ? MINWDM_TEST_SKIPPED
                                 : MINWDM_TEST_PASSED;
    if (runner->log)
        log_message(runner->log, out->outcome == MINWDM_TEST_FAILED ? MINWDM_LOG_ERROR
                                                                      : MINWDM_LOG_INFO,
                    "test", "%s: %s", test->name,
                    out->outcome == MINWDM_TEST_PASSED   ? "ok"
                    : out->outcome == MINWDM_TEST_FAILED ? "FAIL"
                                                         : "skip");
    return MINWDM_STATUS_SUCCESS;
}

/* Here, not in the runtime's entry point: a release driver links none of the runner, so none of
 * its text either. */
void test_runner_start(const struct test_runner *runner)
{
    if (runner->log && log_enabled(runner->log, MINWDM_LOG_INFO))
        log_message(runner->log, MINWDM_LOG_INFO, "runtime", "a test build: %u kernel tests",
                    (unsigned)test_suite_count(runner->suite));
}

const struct test_runner_ops minwdm_test_runner_ops = {test_runner_start, test_runner_list,
                                                       test_runner_run};
