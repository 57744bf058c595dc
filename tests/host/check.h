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

static inline int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
