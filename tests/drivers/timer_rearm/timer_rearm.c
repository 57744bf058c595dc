/* A driver whose kernel tests (timer_rearm_test.c) set a timer again, and cancel a periodic one,
 * from inside the timer's own DPC, as general/cancel/startio's polling timer does: legal on
 * Windows, a wait for itself under Wine 8 unless the verifier steps in (src/verifier/callbacks.c). */
#include <minwdm/runtime.h>

static DRIVER_UNLOAD timer_rearm_unload;

static void timer_rearm_unload(PDRIVER_OBJECT driver)
{
    (void)driver;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    (void)registry_path;
    driver->DriverUnload = timer_rearm_unload;
    return STATUS_SUCCESS;
}
