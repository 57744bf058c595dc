/*
 * Kernel unit tests, written beside the code they test and run inside the driver:
 *
 *   MINWDM_TEST(parses_short_names)
 *   {
 *       EXPECT_TRUE(x);
 *       EXPECT_EQ(parse(L"ab"), 2);             integers and pointers; both values shown
 *       EXPECT_STATUS(status, STATUS_SUCCESS);  names the two NTSTATUS
 *       ASSERT_TRUE(p != NULL);                 ends this test
 *   }
 *
 * add_wdm_test() finds every MINWDM_TEST in the driver's sources and its test SOURCES and builds
 * a test variant of the driver that serves them (the runtime's control device: LIST_TESTS,
 * RUN_TEST); `minwdmctl test` runs them. In the driver's release image a MINWDM_TEST is an unused
 * static function: no test code is left in it.
 *
 * A test runs at PASSIVE_LEVEL in the thread of the request. It fails when a check fails, when it
 * leaves blocks of the runtime's allocator outstanding (each named: tag, size, allocation site;
 * the runtime frees them), or when it returns at another IRQL. SKIP("why") ends it as skipped.
 * ASSERT_* and SKIP return from the test function: use them in its body, not in helpers.
 */
#ifndef MINWDM_TEST_H
#define MINWDM_TEST_H

#include <stdint.h>

struct minwdm_test_context;
typedef void minwdm_test_fn(struct minwdm_test_context *minwdm_t);

struct minwdm_test_case {
    const char *name;
    minwdm_test_fn *run;
};

/* The runner a test build links (opaque here); add_wdm_test's generated table names it. */
struct test_runner_ops;
extern const struct test_runner_ops minwdm_test_runner_ops;

/* The driver's tests; add_wdm_test generates the table. */
struct minwdm_test_suite {
    const struct minwdm_test_case *tests;
    uint32_t count;
    const struct test_runner_ops *runner; /* &minwdm_test_runner_ops */
};

#define MINWDM_TEST_PARAMETER_ struct minwdm_test_context *minwdm_t __attribute__((unused))
#ifdef MINWDM_TESTING
#define MINWDM_TEST(name)                   \
    minwdm_test_fn minwdm_test_##name;      \
    void minwdm_test_##name(MINWDM_TEST_PARAMETER_)
#else
#define MINWDM_TEST(name) static __attribute__((unused)) void minwdm_test_##name(MINWDM_TEST_PARAMETER_)
#endif

/* Each returns the check's outcome (1 passed); a failure is recorded with file:line. */
int minwdm_check_true(struct minwdm_test_context *t, int ok, const char *expression,
                      const char *file, unsigned line);
int minwdm_check_eq(struct minwdm_test_context *t, int equal, uint64_t actual, uint64_t expected,
                    const char *actual_text, const char *expected_text, const char *file,
                    unsigned line);
int minwdm_check_status(struct minwdm_test_context *t, int32_t actual, int32_t expected,
                        const char *actual_text, const char *file, unsigned line);
void minwdm_test_skip(struct minwdm_test_context *t, const char *why, const char *file,
                      unsigned line);

#define MINWDM_EQ_(a, b, want, ...)                                                         \
    __extension__({                                                                         \
        uint64_t minwdm_a_ = (uint64_t)(a), minwdm_b_ = (uint64_t)(b);                      \
        minwdm_check_eq(minwdm_t, (minwdm_a_ == minwdm_b_) == (want), minwdm_a_, minwdm_b_, \
                        (want) ? #a : #a " != " #b, #b, __FILE__, __LINE__);                \
    })

#define EXPECT_TRUE(x) ((void)minwdm_check_true(minwdm_t, !!(x), #x, __FILE__, __LINE__))
#define EXPECT_FALSE(x) ((void)minwdm_check_true(minwdm_t, !(x), "!(" #x ")", __FILE__, __LINE__))
#define EXPECT_EQ(a, b) ((void)MINWDM_EQ_(a, b, 1))
#define EXPECT_NE(a, b) ((void)MINWDM_EQ_(a, b, 0))
#define EXPECT_STATUS(status, expected) \
    ((void)minwdm_check_status(minwdm_t, (int32_t)(status), (int32_t)(expected), #status, \
                               __FILE__, __LINE__))

#define ASSERT_TRUE(x)                                                     \
    do {                                                                   \
        if (!minwdm_check_true(minwdm_t, !!(x), #x, __FILE__, __LINE__))   \
            return;                                                        \
    } while (0)
#define ASSERT_FALSE(x) ASSERT_TRUE(!(x))
#define ASSERT_EQ(a, b)              \
    do {                             \
        if (!MINWDM_EQ_(a, b, 1))    \
            return;                  \
    } while (0)
#define ASSERT_NE(a, b)              \
    do {                             \
        if (!MINWDM_EQ_(a, b, 0))    \
            return;                  \
    } while (0)
#define ASSERT_STATUS(status, expected)                                                     \
    do {                                                                                    \
        if (!minwdm_check_status(minwdm_t, (int32_t)(status), (int32_t)(expected), #status, \
                                 __FILE__, __LINE__))                                       \
            return;                                                                         \
    } while (0)
#define SKIP(why)                                                 \
    do {                                                          \
        minwdm_test_skip(minwdm_t, (why), __FILE__, __LINE__);    \
        return;                                                   \
    } while (0)

#endif
