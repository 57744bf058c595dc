/* A driver whose kernel tests (object_types_test.c) pass the kernel's exported object types,
 * `*PsThreadType` and the others, as the WDK documents them. */
#include <minwdm/runtime.h>

static DRIVER_UNLOAD object_types_unload;

static void object_types_unload(PDRIVER_OBJECT driver)
{
    (void)driver;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    (void)registry_path;
    driver->DriverUnload = object_types_unload;
    return STATUS_SUCCESS;
}
