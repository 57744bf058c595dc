/* The planted driver's kernel tests: one passes, one fails a comparison, one frees a block twice,
 * one leaks a block, one hangs. */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#include "planted.h"

MINWDM_TEST(passes)
{
    EXPECT_EQ(1 + 1, 2);
}

MINWDM_TEST(fails_eq)
{
    int sum = 1 + 1;

    EXPECT_EQ(sum, 3);
}

MINWDM_TEST(leaks_in_test)
{
    void *block = POOL_ALLOC(64, PLANTED_TAG);

    EXPECT_TRUE(block != NULL);
}

/* Issue 21: the allocator's detections fail the test during which they happen. */
MINWDM_TEST(double_free_in_test)
{
    void *block = POOL_ALLOC(32, PLANTED_TAG);

    EXPECT_TRUE(block != NULL);
    POOL_FREE(block, PLANTED_TAG);
    POOL_FREE(block, PLANTED_TAG);
}

extern PDEVICE_OBJECT planted_device; /* planted.c */

/* Never returns: it waits for a request the driver never completes (IOCTL_PLANTED_HANG, left
 * pending by planted_control with no cancel routine). `minwdmctl test` must call it a hang,
 * list that request, report the tests after it as not run, and leave the driver loaded. */
MINWDM_TEST(hangs)
{
    IO_STATUS_BLOCK io;
    KEVENT done;
    PIRP irp;

    KeInitializeEvent(&done, NotificationEvent, FALSE);
    irp = IoBuildDeviceIoControlRequest(IOCTL_PLANTED_HANG, planted_device, NULL, 0, NULL, 0,
                                        FALSE, &done, &io);
    ASSERT_TRUE(irp != NULL);
    if (IoCallDriver(planted_device, irp) == STATUS_PENDING)
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
}

MINWDM_TEST(runs_after_the_hang)
{
    EXPECT_TRUE(1);
}

#if 0
/* Registered from what is compiled: a test under an #if that is off is not there at all (a
 * text scan listed it, and the link failed on its missing function). */
MINWDM_TEST(compiled_out)
{
    EXPECT_TRUE(0);
}
#endif
