/* The kernel tests' runner (src/runtime/core/test_runner.c) on the host: outcomes, the messages
 * of each check with file:line and both values, ASSERT ending a test, SKIP, leaks named and
 * freed, the IRQL a test returns at. */
#define MINWDM_TESTING 1
#include <string.h>

#include "check.h"
#include "core/test_runner.h"
#include "host_lock.h"
#include "mem_host.h"

#define TAG MEM_TAG('T', 's', 't', '1')

static struct mem_host host;
static struct mem_allocator memory;
static uint32_t pretend_irql;
static int after_assert;
static void *kept;

MINWDM_TEST(passes)
{
    EXPECT_TRUE(1);
    EXPECT_EQ(2 + 2, 4);
    EXPECT_NE(1, 2);
    EXPECT_STATUS(0, 0);
}

MINWDM_TEST(fails_eq)
{
    int answer = 41;

    EXPECT_EQ(answer, 42);
    EXPECT_STATUS((int32_t)0xC0000023u, 0);
}

MINWDM_TEST(asserts)
{
    ASSERT_TRUE(0 == 1);
    after_assert = 1;
}

MINWDM_TEST(skips)
{
    SKIP("needs Windows");
}

MINWDM_TEST(leaks)
{
    kept = mem_alloc(&memory, 100, TAG, MEM_NONPAGED, MEM_SITE);
    EXPECT_TRUE(kept != NULL);
}

MINWDM_TEST(raises_irql)
{
    pretend_irql = 2;
}

static const struct minwdm_test_case cases[] = {
    {"passes", minwdm_test_passes},   {"fails_eq", minwdm_test_fails_eq},
    {"asserts", minwdm_test_asserts}, {"skips", minwdm_test_skips},
    {"leaks", minwdm_test_leaks},     {"raises_irql", minwdm_test_raises_irql},
};
/* As the linker lays the section out: entries, with NULL padding between some. */
static const struct minwdm_test_case *const entries[] = {
    &cases[0], &cases[1], NULL, &cases[2], &cases[3], NULL, NULL, &cases[4], &cases[5],
};
static const struct minwdm_test_suite suite = {entries, entries + 9, &minwdm_test_runner_ops};

static uint32_t irql(void)
{
    return pretend_irql;
}

static struct minwdm_test_result result;

static void run(const struct test_runner *runner, const char *name)
{
    CHECK_EQ(test_runner_run(runner, name, strlen(name), &result), MINWDM_STATUS_SUCCESS);
    CHECK_EQ(strlen(result.text), result.text_length);
}

static int has(const char *text)
{
    if (strstr(result.text, text))
        return 1;
    fprintf(stderr, "missing \"%s\" in:\n%s", text, result.text);
    return 0;
}

int main(void)
{
    struct test_runner runner = {&minwdm_test_runner_ops, &suite, &memory, NULL, {irql, NULL}};
    struct minwdm_test_entry entry;
    void *before;

    mem_host_init(&host, 0);
    host.quiet = 1;
    mem_init(&memory, &host.platform);
    before = mem_alloc(&memory, 10, TAG, MEM_NONPAGED, MEM_SITE); /* not the tests' */

    test_runner_list(&runner, 4, &entry);
    CHECK_EQ(entry.count, 6);
    CHECK_EQ(strcmp(entry.name, "leaks"), 0);
    test_runner_list(&runner, 6, &entry);
    CHECK_EQ(entry.name[0], '\0');
    CHECK_EQ(test_runner_run(&runner, "pass", 4, &result), MINWDM_STATUS_OBJECT_NAME_NOT_FOUND);

    run(&runner, "passes");
    CHECK_EQ(result.outcome, MINWDM_TEST_PASSED);
    CHECK_EQ(result.checks, 4);
    CHECK_EQ(result.failures, 0);
    CHECK_EQ(result.text_length, 0);

    run(&runner, "fails_eq");
    CHECK_EQ(result.outcome, MINWDM_TEST_FAILED);
    CHECK_EQ(result.failures, 2);
    CHECK(has("test_test_runner.c:32: answer: got 41 (0x29), expected 42: 42 (0x2a)\n"));
    CHECK(has("test_test_runner.c:33: (int32_t)0xC0000023u: got STATUS_BUFFER_TOO_SMALL"));

    run(&runner, "asserts");
    CHECK_EQ(result.outcome, MINWDM_TEST_FAILED);
    CHECK_EQ(after_assert, 0);
    CHECK(has("expected true: 0 == 1"));

    run(&runner, "skips");
    CHECK_EQ(result.outcome, MINWDM_TEST_SKIPPED);
    CHECK(has("skipped: needs Windows"));

    run(&runner, "leaks");
    CHECK_EQ(result.outcome, MINWDM_TEST_FAILED);
    CHECK_EQ(result.leaked_blocks, 1);
    CHECK(has("leak: 100 bytes, tag 'Tst1', allocated at minwdm_test_leaks:49, left by the test"));
    struct mem_stats s;
    mem_stats(&memory, &s, NULL, NULL);
    CHECK_EQ(s.outstanding_blocks, 1); /* the leak was freed; the block from before stays */

    run(&runner, "raises_irql");
    CHECK_EQ(result.outcome, MINWDM_TEST_FAILED);
    CHECK(has("returned at IRQL 2"));
    pretend_irql = 0;

    /* A full text is cut, visibly, and stays terminated. */
    for (int i = 0; i < 200; i++)
        run(&runner, "fails_eq");
    CHECK(result.text_length < sizeof(result.text));

    mem_free(&memory, before, TAG);
    CHECK_EQ(mem_destroy(&memory), 0);
    return check_done("test_test_runner");
}
