/* process_notify's kernel test: a system thread the test starts and waits for is seen created and
 * ended by the driver's thread notify routine, with its own process and thread ids. Under Wine
 * only the verifier's emulation calls the routine (src/verifier/notify.c). */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#include "process_notify_driver.h"

#define SETTLE_MS 100  /* several of the emulation's polls (25 ms) */
#define PATIENCE 50     /* times SETTLE_MS: a busy machine may run the poller late */

static VOID NTAPI short_thread(PVOID context)
{
    LARGE_INTEGER delay = {.QuadPart = -10000LL * 100};

    (void)context;
    KeDelayExecutionThread(KernelMode, FALSE, &delay);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static int has(const uint32_t *tids, uint32_t count, HANDLE tid)
{
    for (uint32_t i = 0; i < count && i < PROCESS_NOTIFY_THREADS; i++)
        if (tids[i] == (uint32_t)(ULONG_PTR)tid)
            return 1;
    return 0;
}

MINWDM_TEST(thread_notify_sees_a_system_thread_start_and_end)
{
    OBJECT_ATTRIBUTES attributes;
    CLIENT_ID client = {0};
    HANDLE handle;
    PVOID thread;
    LARGE_INTEGER settle = {.QuadPart = -10000LL * SETTLE_MS};
    static struct process_notify_summary seen;

    InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    ASSERT_STATUS(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, &attributes, NULL, &client,
                                       short_thread, NULL),
                  STATUS_SUCCESS);
    ASSERT_STATUS(ObReferenceObjectByHandle(handle, SYNCHRONIZE, NULL, KernelMode, &thread, NULL),
                  STATUS_SUCCESS);
    ZwClose(handle);
    KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(thread);
    /* Its process: under Wine PsGetCurrentProcessId() answers the client's during a request. */
    for (int i = 0; i < PATIENCE; i++) {
        KeDelayExecutionThread(KernelMode, FALSE, &settle);
        process_notify_summary(client.UniqueProcess, &seen);
        if (has(seen.exited, seen.threads_exited, client.UniqueThread))
            break;
    }
    EXPECT_NE(client.UniqueThread, NULL);
    EXPECT_TRUE(has(seen.created, seen.threads_created, client.UniqueThread));
    EXPECT_TRUE(has(seen.exited, seen.threads_exited, client.UniqueThread));
}
