/*
 * hello: a driver of your own, built with minwdm's kit. It logs with minwdm's logger (DebugView,
 * and the service key when it stops: `minwdmctl --name hello log`), allocates with minwdm's
 * allocator (tagged, zeroed, leak-checked at unload), and unloads cleanly. Copy this folder to
 * start a driver; README.md ("Your own driver") says how to build it.
 */
#include <ntddk.h>

#include "kernel_log.h"
#include "pool.h"

#define HELLO_TAG MEM_TAG('H', 'e', 'l', 'o')

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD hello_unload;

MINWDM_PAGED_CODE static void hello_unload(PDRIVER_OBJECT driver)
{
    (void)driver;
    LOG_INFO("goodbye, %llu leaked blocks", (unsigned long long)pool_shutdown());
    kernel_log_save();
}

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    static const struct pool_settings settings = {0, 0};
    char *greeting;

    kernel_log_start("hello", registry_path);
    pool_init(&settings);
    greeting = POOL_ALLOC(64, HELLO_TAG);
    if (!greeting) {
        LOG_ERROR("no memory for a greeting");
        pool_shutdown();
        kernel_log_save();
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    format_string(greeting, 64, "Hello from a driver built on %s", "Linux");
    LOG_INFO("%s", greeting);
    POOL_FREE(greeting, HELLO_TAG);
    driver->DriverUnload = hello_unload;
    return STATUS_SUCCESS;
}
