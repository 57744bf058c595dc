/* Timers whose DPC sets or cancels the timer that runs it, and a DPC that queues itself again
 * (timer_rearm.c). Each test waits at most a few seconds for its DPC: under Wine 8 without the
 * verifier's workaround the DPC's KeSetTimer, KeCancelTimer or KeInsertQueueDpc (which the
 * verifier serves with a timer under Wine) waits for its own callback with Wine's sync lock
 * held, and the run never ends. */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#define REARMS 5
#define INTERVAL_MS 10
#define TICKS 3

static LARGE_INTEGER relative_ms(LONG ms)
{
    LARGE_INTEGER due = {.QuadPart = -(LONGLONG)ms * 10000};
    return due;
}

static LONGLONG elapsed_ms(LARGE_INTEGER start)
{
    LARGE_INTEGER frequency;
    LARGE_INTEGER now = KeQueryPerformanceCounter(&frequency);
    return (now.QuadPart - start.QuadPart) * 1000 / frequency.QuadPart;
}

/* --- a one-shot timer, set again by its DPC until it has run REARMS times --- */

static KTIMER rearm_timer;
static KDPC rearm_dpc;
static KEVENT rearm_done;
static volatile LONG rearm_runs;
static BOOLEAN rearm_was_set[REARMS]; /* KeSetTimer's result in each run */

static KDEFERRED_ROUTINE rearm_routine;

static VOID rearm_routine(PKDPC dpc, PVOID context, PVOID argument1, PVOID argument2)
{
    (void)context;
    (void)argument1;
    (void)argument2;
    LONG run = InterlockedIncrement(&rearm_runs);
    if (run < REARMS)
        rearm_was_set[run] = KeSetTimer(&rearm_timer, relative_ms(INTERVAL_MS), dpc);
    else
        KeSetEvent(&rearm_done, IO_NO_INCREMENT, FALSE);
}

MINWDM_TEST(dpc_sets_its_own_timer_again)
{
    LARGE_INTEGER timeout = relative_ms(5000);

    KeInitializeEvent(&rearm_done, NotificationEvent, FALSE);
    KeInitializeDpc(&rearm_dpc, rearm_routine, NULL);
    KeInitializeTimer(&rearm_timer);
    LARGE_INTEGER start = KeQueryPerformanceCounter(NULL);
    EXPECT_FALSE(KeSetTimer(&rearm_timer, relative_ms(INTERVAL_MS), &rearm_dpc));
    NTSTATUS status = KeWaitForSingleObject(&rearm_done, Executive, KernelMode, FALSE, &timeout);
    ASSERT_STATUS(status, STATUS_SUCCESS);
    EXPECT_EQ(rearm_runs, REARMS);
    /* A one-shot timer is in no queue while its DPC runs: Windows' KeSetTimer returns FALSE. */
    for (int i = 1; i < REARMS; i++)
        EXPECT_FALSE(rearm_was_set[i]);
    /* Each due time kept: REARMS intervals at least (a little less for the timers' rounding). */
    EXPECT_TRUE(elapsed_ms(start) >= REARMS * INTERVAL_MS - 5);
    KeCancelTimer(&rearm_timer);
}

/* --- a periodic timer, cancelled by its DPC in its TICKS-th run --- */

static KTIMER tick_timer;
static KDPC tick_dpc;
static KEVENT tick_done;
static volatile LONG tick_runs;
static BOOLEAN tick_was_set;

static KDEFERRED_ROUTINE tick_routine;

static VOID tick_routine(PKDPC dpc, PVOID context, PVOID argument1, PVOID argument2)
{
    (void)dpc;
    (void)context;
    (void)argument1;
    (void)argument2;
    if (InterlockedIncrement(&tick_runs) == TICKS) {
        tick_was_set = KeCancelTimer(&tick_timer);
        KeSetEvent(&tick_done, IO_NO_INCREMENT, FALSE);
    }
}

MINWDM_TEST(dpc_cancels_its_own_periodic_timer)
{
    LARGE_INTEGER timeout = relative_ms(5000);
    LARGE_INTEGER after = relative_ms(10 * INTERVAL_MS);

    KeInitializeEvent(&tick_done, NotificationEvent, FALSE);
    KeInitializeDpc(&tick_dpc, tick_routine, NULL);
    KeInitializeTimer(&tick_timer);
    KeSetTimerEx(&tick_timer, relative_ms(INTERVAL_MS), INTERVAL_MS, &tick_dpc);
    NTSTATUS status = KeWaitForSingleObject(&tick_done, Executive, KernelMode, FALSE, &timeout);
    ASSERT_STATUS(status, STATUS_SUCCESS);
    /* A periodic timer is back in the queue when its DPC runs: KeCancelTimer says it was set. */
    EXPECT_TRUE(tick_was_set);
    KeDelayExecutionThread(KernelMode, FALSE, &after);
    EXPECT_EQ(tick_runs, TICKS); /* and it stopped */
    KeCancelTimer(&tick_timer);
}

/* --- a DPC that queues itself again (KeInsertQueueDpc) until it has run REARMS times --- */

static KDPC queue_dpc;
static KEVENT queue_done;
static volatile LONG queue_runs;
static BOOLEAN queue_inserted[REARMS]; /* KeInsertQueueDpc's result in each run */

static KDEFERRED_ROUTINE queue_routine;

static VOID queue_routine(PKDPC dpc, PVOID context, PVOID argument1, PVOID argument2)
{
    (void)context;
    (void)argument1;
    (void)argument2;
    LONG run = InterlockedIncrement(&queue_runs);
    if (run < REARMS)
        queue_inserted[run] = KeInsertQueueDpc(dpc, NULL, NULL);
    else
        KeSetEvent(&queue_done, IO_NO_INCREMENT, FALSE);
}

MINWDM_TEST(dpc_queues_itself_again)
{
    LARGE_INTEGER timeout = relative_ms(5000);

    KeInitializeEvent(&queue_done, NotificationEvent, FALSE);
    KeInitializeDpc(&queue_dpc, queue_routine, NULL);
    EXPECT_TRUE(KeInsertQueueDpc(&queue_dpc, NULL, NULL));
    NTSTATUS status = KeWaitForSingleObject(&queue_done, Executive, KernelMode, FALSE, &timeout);
    ASSERT_STATUS(status, STATUS_SUCCESS);
    EXPECT_EQ(queue_runs, REARMS);
    /* A running DPC is no longer queued: queuing it again succeeds. */
    for (int i = 1; i < REARMS; i++)
        EXPECT_TRUE(queue_inserted[i]);
}
