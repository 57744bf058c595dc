/*
 * KeQuerySystemTimePrecise (Windows 8 and later; not in Wine 8): the kernel's where it exists,
 * else the system time as KeQuerySystemTime gives it (the kernel's export, looked up; Wine has
 * it), which is as precise as the clock tick.
 */
#include "kernel_routine.h"

typedef VOID(NTAPI *time_fn)(PLARGE_INTEGER);

static const PCWSTR names[1] = {L"KeQuerySystemTimePrecise"};
static void *volatile kernel[1];
static struct compat_family family = {COMPAT_UNDECIDED, 1, names, kernel};
static time_fn coarse;

static void decide(void)
{
    if (!compat_use_kernel(&family))
        coarse = (time_fn)compat_kernel_routine(L"KeQuerySystemTime");
}
COMPAT_AT_LOAD(decide);

static VOID NTAPI query_system_time_precise(PLARGE_INTEGER time)
{
    if (compat_use_kernel(&family)) {
        ((time_fn)kernel[0])(time);
        return;
    }
    if (!coarse && KeGetCurrentIrql() == PASSIVE_LEVEL) /* not decided at load */
        coarse = (time_fn)compat_kernel_routine(L"KeQuerySystemTime");
    if (coarse)
        coarse(time);
    else
        KeQuerySystemTime(time); /* the shared user data page, as the WDK's macro reads it */
}

COMPAT_ROUTINE(KeQuerySystemTimePrecise, query_system_time_precise);
