/*
 * The entry point of a C++ driver built without RUNTIME (add_wdm_driver picks it when a driver
 * has C++ sources): constructs the global objects, calls the driver's DriverEntry, and destroys
 * them after its DriverUnload, or at once when DriverEntry fails. The runtime's entry point does
 * the same for RUNTIME drivers (src/runtime/entry.c).
 */
#include "cxx.h"

#include "../compat/compat_decide.h"

#include <minwdm/stack_cookie.h>

DRIVER_INITIALIZE DriverEntry;
DRIVER_INITIALIZE minwdm_cxx_entry;
static DRIVER_UNLOAD cxx_unload;

static PDRIVER_UNLOAD driver_unload; /* the driver's own */

MINWDM_PAGED_CODE static void cxx_unload(PDRIVER_OBJECT driver)
{
    driver_unload(driver);
    minwdm_cxx_destroy();
}

/* Unprotected: it sets the stack cookie's guard before anything else runs. */
MINWDM_INIT_CODE MINWDM_NO_STACK_PROTECTOR NTSTATUS minwdm_cxx_entry(PDRIVER_OBJECT driver,
                                                                   PUNICODE_STRING path)
{
    NTSTATUS status;

    minwdm_stack_cookie_init();
    compat_decide_linked();
    minwdm_cxx_construct();
    status = DriverEntry(driver, path);
    if (!NT_SUCCESS(status)) {
        minwdm_cxx_destroy();
        return status;
    }
    /* Without an unload routine the driver never unloads, and its objects live on. */
    driver_unload = driver->DriverUnload;
    if (driver_unload)
        driver->DriverUnload = cxx_unload;
    return STATUS_SUCCESS;
}
