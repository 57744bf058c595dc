/*
 * The entry point of a driver without RUNTIME and without C++ (add_wdm_driver sets it): sets the
 * stack cookie's guard, decides the compat routines' source, then calls the driver's DriverEntry. The runtime's entry point and the
 * C++ one set it themselves.
 */
#include <ntddk.h>

#include <minwdm/stack_cookie.h>

#include "compat_decide.h"

DRIVER_INITIALIZE DriverEntry;
DRIVER_INITIALIZE minwdm_gs_entry;

MINWDM_NO_STACK_PROTECTOR NTSTATUS minwdm_gs_entry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    minwdm_stack_cookie_init();
    compat_decide_linked();
    return DriverEntry(driver, path);
}
