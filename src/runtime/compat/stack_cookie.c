/*
 * Stack cookies: the guard of -fstack-protector-strong and its failure, for every driver (the
 * compat library). MSVC drivers get the same from /GS: __security_cookie, set by the loader or by
 * GsDriverEntry, and __security_check_cookie raising bug check 0xF7.
 */
#include <ntddk.h>

#include <minwdm/stack_cookie.h>

#include "image.h"

enum { DRIVER_OVERRAN_STACK_BUFFER = 0xF7, RETRIES = 10 };

/* A constant until the entry point sets it; writable data, read by every protected function. */
uintptr_t __stack_chk_guard = MINWDM_STACK_COOKIE_DEFAULT;
static int guard_set;

/* CPUID leaf 1, ECX bit 30: RDRAND; leaf 7, EBX bit 18: RDSEED. */
static uint32_t cpuid_register(uint32_t leaf, int want_ebx)
{
    uint32_t a, b, c, d;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(leaf), "c"(0));
    return want_ebx ? b : c;
}

static uint64_t hardware_random(void)
{
    uint64_t value = 0;
    unsigned char ok = 0;

    if (cpuid_register(1, 0) & (1u << 30))
        for (int i = 0; i < RETRIES && !ok; i++)
            __asm__ volatile("rdrand %0; setc %1" : "=r"(value), "=qm"(ok));
    if (!ok && cpuid_register(0, 1) >= 7 && (cpuid_register(7, 1) & (1u << 18)))
        for (int i = 0; i < RETRIES && !ok; i++)
            __asm__ volatile("rdseed %0; setc %1" : "=r"(value), "=qm"(ok));
    return ok ? value : 0;
}

/* splitmix64's finalizer: every input bit reaches every output bit. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

MINWDM_NO_STACK_PROTECTOR void minwdm_stack_cookie_init(void)
{
    uint64_t value;
    volatile char here;

    if (guard_set)
        return;
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    value = hardware_random();
    value = mix(value ^ ((uint64_t)high << 32 | low));
    value = mix(value ^ (uint64_t)KeQueryPerformanceCounter(NULL).QuadPart);
    value = mix(value ^ (uint64_t)(uintptr_t)minwdm_image_base ^ (uint64_t)(uintptr_t)&here << 17);
    /* A zero low byte, as glibc's: a string copy that runs over stops at it, and cannot write
     * or leak the rest. */
    value &= ~(uint64_t)0xFF;
    if (value == 0 || value == (MINWDM_STACK_COOKIE_DEFAULT & ~(uint64_t)0xFF))
        value = 0x5A17C0DEull << 24;
    __stack_chk_guard = (uintptr_t)value;
    guard_set = 1;
}

/* Called by a protected function's epilogue when its cookie was overwritten: a stack buffer
 * overrun in that function. Named first (kernel debug output: DebugView, and under Wine the
 * session's log, whose crash report symbolizes the address), then bug check 0xF7 with the
 * parameters Windows gives it: the cookie found is not at hand here, hence 0. */
MINWDM_NO_STACK_PROTECTOR __attribute__((noreturn)) void __stack_chk_fail(void)
{
    uintptr_t caller = (uintptr_t)__builtin_return_address(0);
    uintptr_t base = (uintptr_t)minwdm_image_base;

    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
               "minwdm: stack cookie: a stack buffer overrun in the function that called from "
               "0x%llx (image+0x%llx): bug check 0xF7 (DRIVER_OVERRAN_STACK_BUFFER)\n",
               (unsigned long long)(caller - 1), (unsigned long long)(caller - 1 - base));
    KeBugCheckEx(DRIVER_OVERRAN_STACK_BUFFER, 0, __stack_chk_guard, ~__stack_chk_guard, 0);
}
