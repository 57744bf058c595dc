/*
 * strsafe_driver: ntstrsafe, IoCreateDeviceSecure and the pool wrappers of the WDK in a plain C
 * driver (no WDK_COMPAT), so that both compilers build it. Its device, \\.\strsafe_driver,
 * answers IOCTL_STRSAFE_FORMAT and IOCTL_STRSAFE_CHECKS (strsafe_driver.h).
 */
#include <ntddk.h>
#include <ntstrsafe.h>
#include <wdmsec.h>

#include "strsafe_driver.h"

#define STRSAFE_TAG 'fSsM'

static DRIVER_UNLOAD strsafe_unload;
static DRIVER_DISPATCH strsafe_create_close;
static DRIVER_DISPATCH strsafe_control;

static UNICODE_STRING device_name = RTL_CONSTANT_STRING(L"\\Device\\strsafe_driver");
static UNICODE_STRING link_name = RTL_CONSTANT_STRING(L"\\DosDevices\\strsafe_driver");

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = NT_SUCCESS(status) ? information : 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS strsafe_control(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG in = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = irp->AssociatedIrp.SystemBuffer;
    ULONG written = 0, n, first;
    NTSTATUS status;

    (void)device;
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_STRSAFE_FORMAT:
        if (in != sizeof(ULONG))
            return complete(irp, STATUS_INVALID_PARAMETER, 0);
        n = *(PULONG)buffer;
        status = strsafe_format(n, buffer, out, &written);
        return complete(irp, status, written);
    case IOCTL_STRSAFE_CHECKS:
        if (in != 0 || out < 2 * sizeof(ULONG))
            return complete(irp, STATUS_INVALID_PARAMETER, 0);
        ((PULONG)buffer)[0] = strsafe_checks(&first);
        ((PULONG)buffer)[1] = first;
        return complete(irp, STATUS_SUCCESS, 2 * sizeof(ULONG));
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static NTSTATUS strsafe_create_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS, 0);
}

static void strsafe_unload(PDRIVER_OBJECT driver)
{
    IoDeleteSymbolicLink(&link_name);
    IoDeleteDevice(driver->DeviceObject);
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "strsafe_driver: unloaded\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    PDEVICE_OBJECT device;
    KFLOATING_SAVE save;
    char text[48];
    PUCHAR zeroed;
    NTSTATUS status;

    (void)registry_path;
    /* The WDK's inline wrappers: zeroed pool, x64's floating-point state calls. */
    zeroed = ExAllocatePoolZero(NonPagedPoolNx, 32, STRSAFE_TAG);
    if (!zeroed)
        return STATUS_INSUFFICIENT_RESOURCES;
    status = KeSaveFloatingPointState(&save);
    if (NT_SUCCESS(status))
        KeRestoreFloatingPointState(&save);
    RtlStringCbPrintfA(text, sizeof(text), "zeroed %d, fp state 0x%08lx", zeroed[0] == 0 &&
                       zeroed[31] == 0, (unsigned long)status);
    ExFreePoolWithTag(zeroed, STRSAFE_TAG);
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "strsafe_driver: %s\n", text);

    status = IoCreateDeviceSecure(driver, 0, &device_name, STRSAFE_TYPE, FILE_DEVICE_SECURE_OPEN,
                                  FALSE, &SDDL_DEVOBJ_SYS_ALL_ADM_RWX_WORLD_RW_RES_R, NULL,
                                  &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link_name, &device_name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = strsafe_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = strsafe_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = strsafe_control;
    driver->DriverUnload = strsafe_unload;
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "strsafe_driver: loaded\n");
    return STATUS_SUCCESS;
}
