/*
 * Stack cookies (-fstack-protector-strong, every driver of add_wdm_driver): the guard value the
 * compiler's checks compare against, set from the CPU's random number generator before any
 * driver code runs, and the check that fails. A function that sets the guard must not carry a
 * check itself (it would compare against the value it replaced): MINWDM_NO_STACK_PROTECTOR.
 * The kit's entry points call minwdm_stack_cookie_init first; a driver never needs to.
 */
#ifndef MINWDM_STACK_COOKIE_H
#define MINWDM_STACK_COOKIE_H

#include <stdint.h>

#define MINWDM_NO_STACK_PROTECTOR __attribute__((no_stack_protector, noinline))

#ifdef __cplusplus
extern "C" {
#endif

/* What the compilers' mingw targets (clang, GCC) read and call: a 64-bit guard, and the
 * function their epilogue check calls on a mismatch (bug check 0xF7). */
#if defined(__clang__) && __clang_major__ >= 13
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wreserved-identifier" /* the compilers' names */
#endif
extern uintptr_t __stack_chk_guard;
__attribute__((noreturn)) void __stack_chk_fail(void);
#if defined(__clang__) && __clang_major__ >= 13
#pragma clang diagnostic pop
#endif

/* Sets the guard once, from RDRAND (or RDSEED), the time stamp counter, the performance counter
 * and the image's and stack's addresses. Later calls do nothing. */
void minwdm_stack_cookie_init(void);

/* The guard's value before minwdm_stack_cookie_init (0 after it: a check that still meets it
 * ran before the kit's entry point). */
#define MINWDM_STACK_COOKIE_DEFAULT 0x2B992DDFA232ull

#ifdef __cplusplus
}
#endif

#endif
