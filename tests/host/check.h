/* A minimal check harness for the host unit tests: every failed CHECK is printed with its place,
 * and check_done() turns the count into the exit status. */
#ifndef MINWDM_TEST_CHECK_H
#define MINWDM_TEST_CHECK_H

#include <stdio.h>

static int check_count, check_failures;

#define CHECK(condition) check_at((condition) != 0, #condition, __FILE__, __LINE__)

static inline void check_at(int ok, const char *text, const char *file, int line)
{
    check_count++;
    if (!ok) {
        check_failures++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, text);
    }
}

/* Integers (and pointers, cast): both values are printed when they differ. */
#define CHECK_EQ(actual, expected)                                                             \
    check_eq_at((unsigned long long)(actual), (unsigned long long)(expected), #actual, #expected, \
                __FILE__, __LINE__)

static inline void check_eq_at(unsigned long long actual, unsigned long long expected,
                               const char *actual_text, const char *expected_text,
                               const char *file, int line)
{
    check_count++;
    if (actual != expected) {
        check_failures++;
        fprintf(stderr, "%s:%d: check failed: %s == %s: got %llu (0x%llx), expected %llu (0x%llx)\n",
                file, line, actual_text, expected_text, actual, actual, expected, expected);
    }
}

static inline int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
