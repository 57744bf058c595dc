/*
 * FltRegisterFilter as a minifilter calls it (<fltKernel.h> names this one). On Windows the
 * Filter Manager's runs and nothing else happens. Wine's Filter Manager registers nothing: it
 * returns a placeholder filter, calls no callback and never unloads the filter through its
 * FilterUnloadCallback, so a minifilter (which has no DriverUnload of its own) could not be
 * stopped. There the kit makes the filter's unload callback the driver's DriverUnload, as the
 * Filter Manager does on Windows when the service stops.
 */
#include "kernel_routine.h"

#include <fltKernel.h>
#undef FltRegisterFilter

static PFLT_FILTER_UNLOAD_CALLBACK filter_unload;

static VOID NTAPI unload_filter(PDRIVER_OBJECT driver)
{
    NTSTATUS status = filter_unload(0);

    (void)driver;
    if (!NT_SUCCESS(status))
        DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
                   "minwdm: the minifilter's unload callback refused (0x%08lx), but Wine unloads "
                   "it anyway\n", (unsigned long)status);
}

NTSTATUS NTAPI minwdm_FltRegisterFilter(PDRIVER_OBJECT driver,
                                        const FLT_REGISTRATION *registration,
                                        PFLT_FILTER *filter)
{
    NTSTATUS status = FltRegisterFilter(driver, registration, filter);

    if (NT_SUCCESS(status) && compat_under_wine() && driver && !driver->DriverUnload &&
        registration && registration->FilterUnloadCallback &&
        !(registration->Flags & FLTFL_REGISTRATION_DO_NOT_SUPPORT_SERVICE_STOP)) {
        filter_unload = registration->FilterUnloadCallback;
        driver->DriverUnload = unload_filter;
    }
    return status;
}
