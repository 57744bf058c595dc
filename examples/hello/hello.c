/*
 * hello: a driver of your own, built with minwdm's kit. The runtime (RUNTIME in CMakeLists.txt)
 * starts minwdm's logger and allocator before DriverEntry and checks for leaks after
 * hello_unload, so the driver has no start or stop code for them. Its log shows in DebugView, in
 * `minwdmctl --name hello log` while it runs and after it stopped, and `minwdmctl --name hello
 * stats` shows its allocator. Copy this folder to start a driver; README.md ("Your first driver")
 * says how to build it.
 */
#include <minwdm/runtime.h>

#define HELLO_TAG MEM_TAG('H', 'e', 'l', 'o')

static DRIVER_UNLOAD hello_unload;

MINWDM_PAGED_CODE static void hello_unload(PDRIVER_OBJECT driver)
{
    (void)driver;
    LOG_INFO("goodbye");
}

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    char *greeting = POOL_ALLOC(64, HELLO_TAG);

    if (!greeting)
        return STATUS_INSUFFICIENT_RESOURCES; /* the runtime logs it and cleans up */
    format_string(greeting, 64, "Hello from a driver built on %s", "Linux");
    LOG_INFO("%s", greeting);
    LOG_INFO("my service key: %wZ", registry_path); /* a UNICODE_STRING, logged as UTF-8 */
    POOL_FREE(greeting, HELLO_TAG);
    driver->DriverUnload = hello_unload;
    return STATUS_SUCCESS;
}
