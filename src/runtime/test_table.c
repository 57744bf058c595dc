/*
 * The table of a driver's kernel tests, compiled into each RUNTIME driver (not into the runtime
 * library, which a driver and its test variant share): NULL in a release build; in a test build
 * (MINWDM_TESTING, add_wdm_test's) the entries every MINWDM_TEST put in .rdata$minwdm_t1, which
 * both linkers place, sorted by name, between these two markers. Nothing reads the sources.
 */
#include <minwdm/control.h>
#include <minwdm/test.h>

_Static_assert(MINWDM_TEST_NAME_MAX + 1 == MINWDM_TEST_NAME_SIZE,
               "<minwdm/test.h> and <minwdm/control.h> disagree on a test name's size");

#ifdef MINWDM_TESTING
__attribute__((used, section(".rdata$minwdm_t0"))) static const struct minwdm_test_case
    *const first_marker = 0;
__attribute__((used, section(".rdata$minwdm_t2"))) static const struct minwdm_test_case
    *const last_marker = 0;

static const struct minwdm_test_suite suite = {&first_marker + 1, &last_marker,
                                               &minwdm_test_runner_ops};
const struct minwdm_test_suite *const minwdm_driver_tests = &suite;
#else
const struct minwdm_test_suite *const minwdm_driver_tests = 0;
#endif
