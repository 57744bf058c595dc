/*
 * A test driver that faults: its IRP_MJ_DEVICE_CONTROL handler reads through a NULL pointer.
 * On Windows that is a blue screen; under Wine the driver host (winedevice.exe) dies with it.
 * tests/wine/crash.sh checks what minwdmctl says about the request, stop, remove and the next
 * load after that.
 */
#include <minwdm/runtime.h>

#define NT_NAME L"\\Device\\minwdm_crash"
#define DOS_NAME L"\\DosDevices\\minwdm_crash"

static DRIVER_DISPATCH dispatch_open_close, dispatch_device_control;
static DRIVER_UNLOAD unload;

/* NULL, read at run time: the compiler cannot see the fault coming and drop it. */
static ULONG *volatile nowhere;

static NTSTATUS complete(PIRP irp, NTSTATUS status)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS dispatch_open_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS);
}

static NTSTATUS dispatch_device_control(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    LOG_WARN("reading through NULL now");
    ULONG value = *nowhere;
    return complete(irp, value ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL);
}

static void unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING dos_name = RTL_CONSTANT_STRING(DOS_NAME);

    IoDeleteSymbolicLink(&dos_name);
    IoDeleteDevice(driver->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING nt_name = RTL_CONSTANT_STRING(NT_NAME), dos_name = RTL_CONSTANT_STRING(DOS_NAME);
    PDEVICE_OBJECT device;
    NTSTATUS status;

    (void)registry_path;
    status = IoCreateDevice(driver, 0, &nt_name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN,
                            FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = device_restrict_to_admins(device);
    if (NT_SUCCESS(status))
        status = IoCreateSymbolicLink(&dos_name, &nt_name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = dispatch_open_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = dispatch_open_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = dispatch_device_control;
    driver->DriverUnload = unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    LOG_INFO("loaded: \\\\.\\minwdm_crash faults on any request");
    return STATUS_SUCCESS;
}
