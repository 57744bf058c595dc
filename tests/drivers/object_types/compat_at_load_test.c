/* KMelody calls IoCreateSystemThread, a compat routine under Wine, for the first time with its
 * fast mutex held (APC_LEVEL). The kit decides where each compat routine comes from when the
 * driver loads, at PASSIVE_LEVEL, so that such a first call looks nothing up: before, the lookup
 * called MmGetSystemRoutineAddress (PASSIVE_LEVEL only) there, and a verified build reported it
 * as the driver's. KeQuerySystemTimePrecise is a compat routine that any IRQL may call. */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

MINWDM_TEST(first_compat_call_under_a_fast_mutex)
{
    static FAST_MUTEX mutex;
    LARGE_INTEGER now = {.QuadPart = 0};

    ExInitializeFastMutex(&mutex);
    ExAcquireFastMutex(&mutex);
    KeQuerySystemTimePrecise(&now);
    ExReleaseFastMutex(&mutex);
    EXPECT_NE(now.QuadPart, 0);
}
