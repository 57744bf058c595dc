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
 * add_wdm_test() builds a test variant of the driver (its sources and the test SOURCES, with
 * MINWDM_TESTING defined) that serves every MINWDM_TEST the compiler saw (the runtime's control
 * device: LIST_TESTS, RUN_TEST); `minwdmctl test` runs them. Each MINWDM_TEST puts a pointer to
 * its descriptor in the grouped section .rdata$minwdm_t1, which the linker (lld and GNU ld alike)
 * sorts between the runtime's start (.rdata$minwdm_t0) and end (.rdata$minwdm_t2) markers: a
 * test under an #if that is off is simply not there, and no build step reads the sources. A
 * name has at most 63 characters (checked at compile time). In the driver's release image a
 * MINWDM_TEST is an unused static function: no test code is left in it.
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

/* The driver's tests: the entries between the markers (a NULL one is the linker's padding). */
struct minwdm_test_suite {
    const struct minwdm_test_case *const *begin, *const *end;
    const struct test_runner_ops *runner; /* &minwdm_test_runner_ops */
};

/* The longest test name: the control device's LIST_TESTS and RUN_TEST carry 63 bytes and a NUL
 * (MINWDM_TEST_NAME_SIZE in <minwdm/control.h>). */
#define MINWDM_TEST_NAME_MAX 63
#define MINWDM_TEST_SECTION ".rdata$minwdm_t1"
#ifdef __cplusplus
#define MINWDM_TEST_STATIC_ASSERT_ static_assert
#define MINWDM_TEST_LINKAGE_ extern "C"
#else
#define MINWDM_TEST_STATIC_ASSERT_ _Static_assert
#define MINWDM_TEST_LINKAGE_
#endif

#define MINWDM_TEST_PARAMETER_ struct minwdm_test_context *minwdm_t __attribute__((unused))
#ifdef MINWDM_TESTING
/* The function stays external: two tests of one name in a driver fail to link. */
#define MINWDM_TEST(name)                                                                     \
    MINWDM_TEST_STATIC_ASSERT_(sizeof(#name) <= MINWDM_TEST_NAME_MAX + 1,                     \
                               "MINWDM_TEST(" #name "): a test name has at most 63 characters"); \
    MINWDM_TEST_LINKAGE_ minwdm_test_fn minwdm_test_##name;                                   \
    static const struct minwdm_test_case minwdm_test_case_##name = {#name, minwdm_test_##name}; \
    __attribute__((used, section(MINWDM_TEST_SECTION))) static const struct minwdm_test_case   \
        *const minwdm_test_entry_##name = &minwdm_test_case_##name;                           \
    MINWDM_TEST_LINKAGE_ void minwdm_test_##name(MINWDM_TEST_PARAMETER_)
#else
#define MINWDM_TEST(name)                                                                     \
    MINWDM_TEST_STATIC_ASSERT_(sizeof(#name) <= MINWDM_TEST_NAME_MAX + 1,                     \
                               "MINWDM_TEST(" #name "): a test name has at most 63 characters"); \
    static __attribute__((unused)) void minwdm_test_##name(MINWDM_TEST_PARAMETER_)
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
