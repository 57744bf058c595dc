/* Load and unload: the device, its DOS name and the dispatch table. */
#include "driver.h"

#include <minwdm/ioctl.h>

#include "load_status.h"
#include "minwdm_build.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD driver_unload;

static void driver_unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(MINWDM_DOS_DEVICE_NAME);

    IoDeleteSymbolicLink(&link);
    if (driver->DeviceObject)
        IoDeleteDevice(driver->DeviceObject);
    LOG_INFO("unloaded");
}

MINWDM_INIT_CODE static NTSTATUS create_device(PDRIVER_OBJECT driver)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(MINWDM_NT_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(MINWDM_DOS_DEVICE_NAME);
    PDEVICE_OBJECT device = NULL;
    NTSTATUS status;

    status = IoCreateDevice(driver, sizeof(struct device_extension), &name, MINWDM_DEVICE_TYPE,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status)) {
        LOG_ERROR("IoCreateDevice failed: 0x%08lx", (unsigned long)status);
        return status;
    }
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        LOG_ERROR("IoCreateSymbolicLink failed: 0x%08lx", (unsigned long)status);
        IoDeleteDevice(device);
        return status;
    }
    struct device_extension *extension = device->DeviceExtension;
    minwdm_identity_init(&extension->identity, MINWDM_VERSION_MAJOR, MINWDM_VERSION_MINOR,
                         MINWDM_VERSION_PATCH, MINWDM_BUILD_ID);
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    NTSTATUS status = create_device(driver);

    record_load_status(registry_path, status);
    if (!NT_SUCCESS(status))
        return status;
    driver->MajorFunction[IRP_MJ_CREATE] = dispatch_create;
    driver->MajorFunction[IRP_MJ_CLOSE] = dispatch_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = dispatch_device_control;
    driver->DriverUnload = driver_unload;
    LOG_INFO("loaded, version %u.%u.%u, ABI %u, build %s", MINWDM_VERSION_MAJOR,
             MINWDM_VERSION_MINOR, MINWDM_VERSION_PATCH, MINWDM_ABI_VERSION, MINWDM_BUILD_ID);
    return STATUS_SUCCESS;
}
