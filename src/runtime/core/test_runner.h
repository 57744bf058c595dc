/*
 * The kernel tests' runner (include/minwdm/test.h), in portable C: lists a driver's tests, runs
 * one, checks it for leaks and for the IRQL it returns at, and fills the contract's
 * struct minwdm_test_result. The control device serves it; the host tests run it too.
 */
#ifndef MINWDM_RUNTIME_TEST_RUNNER_H
#define MINWDM_RUNTIME_TEST_RUNNER_H

#include <stddef.h>

#include <minwdm/control.h>
#include <minwdm/log.h>
#include <minwdm/mem.h>
#include <minwdm/status.h>
#include <minwdm/test.h>

struct test_platform {
    uint32_t (*irql)(void); /* the current IRQL (NULL: not checked) */
    uint64_t (*now)(void);  /* 100 ns units (NULL: no timing) */
};

struct test_runner;

/* The runner's entry points, reached only through minwdm_test_runner_ops: a release driver,
 * which does not name it, links none of the runner. */
struct test_runner_ops {
    void (*start)(const struct test_runner *runner); /* logs what the test build serves */
    void (*list)(const struct test_runner *runner, uint32_t index, struct minwdm_test_entry *out);
    minwdm_status (*run)(const struct test_runner *runner, const char *name, size_t length,
                         struct minwdm_test_result *out);
};

struct test_runner {
    const struct test_runner_ops *ops;
    const struct minwdm_test_suite *suite;
    struct mem_allocator *memory; /* leaks of a test are looked for here */
    struct logger *log;           /* one line per test (NULL: none) */
    struct test_platform platform;
};

/* Logs that this is a test build and how many kernel tests it serves. */
void test_runner_start(const struct test_runner *runner);
/* How many tests the suite has. */
uint32_t test_suite_count(const struct minwdm_test_suite *suite);

/* The count, and the name of test `index` (empty past the last one). */
void test_runner_list(const struct test_runner *runner, uint32_t index,
                      struct minwdm_test_entry *out);

/* Runs the test named name[0..length) into *out; MINWDM_STATUS_OBJECT_NAME_NOT_FOUND when the
 * driver has no such test. */
minwdm_status test_runner_run(const struct test_runner *runner, const char *name, size_t length,
                              struct minwdm_test_result *out);

#endif
