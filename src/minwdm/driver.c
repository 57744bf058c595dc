/* Load and unload: the device, its DOS name and the dispatch table. The runtime started the log
 * and the allocator before DriverEntry, and checks for leaks after driver_unload. */
#include "driver.h"

#include <minwdm/ioctl.h>

#include "core/bench.h"
#include "minwdm_build.h"

static DRIVER_UNLOAD driver_unload;

/* Everything create_device made, in reverse; safe on a half-made device. Returns the handle
 * contexts still out: Windows unloads a driver only once its handles are closed, Wine 8 also
 * with handles open, whose contexts are then reported and freed here. */
MINWDM_PAGED_CODE static ULONG64 delete_device(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(MINWDM_DOS_DEVICE_NAME);
    PDEVICE_OBJECT device = driver->DeviceObject;
    ULONG64 leaks = 0;

    if (!device)
        return 0;
    struct device_extension *extension = device->DeviceExtension;
    if (extension->handles) {
        IoDeleteSymbolicLink(&link);
        leaks = mem_cache_destroy(extension->handles);
    }
    IoDeleteDevice(device);
    return leaks;
}

MINWDM_PAGED_CODE static void driver_unload(PDRIVER_OBJECT driver)
{
    ULONG64 open = delete_device(driver);

    if (open)
        LOG_WARN("%llu handles were still open", (unsigned long long)open);
}

MINWDM_INIT_CODE static NTSTATUS create_device(PDRIVER_OBJECT driver, ULONG pool)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(MINWDM_NT_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(MINWDM_DOS_DEVICE_NAME);
    PDEVICE_OBJECT device = NULL;
    NTSTATUS status;

    status = IoCreateDevice(driver, sizeof(struct device_extension), &name, MINWDM_DEVICE_TYPE,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    struct device_extension *extension = device->DeviceExtension;
    status = device_restrict_to_admins(device);
    if (!NT_SUCCESS(status)) {
        LOG_ERROR("cannot restrict the device to administrators: 0x%08X", (unsigned)status);
        IoDeleteDevice(device);
        return status;
    }
    minwdm_device_init(&extension->device, MINWDM_VERSION_MAJOR, MINWDM_VERSION_MINOR,
                       MINWDM_VERSION_PATCH, MINWDM_BUILD_ID);
    extension->device.memory = &driver_memory;
    extension->device.log = &driver_log;
    extension->device.pool = pool;
#ifdef MINWDM_BENCH
    extension->device.bench = minwdm_bench;
    extension->device.clock = pool_clock;
#endif
    extension->handles = mem_cache_create(&driver_memory, "handles", sizeof(struct handle_context),
                                          HANDLE_TAG, HANDLE_CACHE_DEPTH);
    status = extension->handles ? IoCreateSymbolicLink(&link, &name)
                                : STATUS_INSUFFICIENT_RESOURCES;
    if (!NT_SUCCESS(status)) {
        if (extension->handles)
            mem_cache_destroy(extension->handles);
        IoDeleteDevice(device);
        return status;
    }
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    ULONG pool = pool_kind();
    NTSTATUS status = create_device(driver, pool);

    (void)registry_path;
    if (!NT_SUCCESS(status))
        return status; /* the runtime logs and records it */
    driver->MajorFunction[IRP_MJ_CREATE] = dispatch_create;
    driver->MajorFunction[IRP_MJ_CLOSE] = dispatch_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = dispatch_device_control;
    driver->DriverUnload = driver_unload;
    LOG_INFO("loaded, version %s, ABI %u, build %s, pool %s", MINWDM_VERSION_STRING,
             MINWDM_ABI_VERSION, MINWDM_BUILD_ID,
             pool == MINWDM_POOL_EX_ALLOCATE_POOL2            ? "ExAllocatePool2"
             : pool == MINWDM_POOL_EX_ALLOCATE_POOL2_UNZEROED ? "ExAllocatePool2 zeroed by minwdm"
                                                              : "WithTag/NX");
    return STATUS_SUCCESS;
}
