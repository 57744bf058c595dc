/*
 * seh_escape: a plain WDK-style driver (no kit header, no __try: it builds with every compiler)
 * whose METHOD_NEITHER request reads a pointer from the caller's request with nothing around the
 * load, or has its DriverUnload read it. On Windows a bad pointer is bug check 0x3B (0x7E in
 * DriverUnload); in the kit's test build, a failed run naming the line (tests/wine/seh_escape.sh).
 */
#include <ntddk.h>

#include "seh_wdk.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD EscapeUnload;
static DRIVER_DISPATCH EscapeCreateClose;
static DRIVER_DISPATCH EscapeDeviceControl;

static UNICODE_STRING DeviceName = RTL_CONSTANT_STRING(L"\\Device\\seh_escape");
static UNICODE_STRING LinkName = RTL_CONSTANT_STRING(L"\\DosDevices\\seh_escape");
static ULONG_PTR UnloadAddress; /* what DriverUnload reads (IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD) */

static NTSTATUS EscapeComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static NTSTATUS EscapeDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    const struct seh_request *Request = Stack->Parameters.DeviceIoControl.Type3InputBuffer;
    struct seh_answer *Answer = Irp->UserBuffer;

    UNREFERENCED_PARAMETER(DeviceObject);
    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    if ((Code != IOCTL_SEH_WDK_ESCAPE && Code != IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD) ||
        Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(*Request) ||
        Stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(*Answer))
        return EscapeComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (Code == IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD) {
        UnloadAddress = (ULONG_PTR)Request->address;
        RtlZeroMemory(Answer, sizeof(*Answer));
        return EscapeComplete(Irp, STATUS_SUCCESS, sizeof(*Answer));
    }
    /* Wine passes copies of the buffers themselves: only the address inside is bad. */
    Answer->value = *(volatile ULONG *)(ULONG_PTR)Request->address; /* SEH_ESCAPE_LINE */
    return EscapeComplete(Irp, STATUS_SUCCESS, sizeof(*Answer));
}

static NTSTATUS EscapeCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return EscapeComplete(Irp, STATUS_SUCCESS, 0);
}

static VOID EscapeUnload(PDRIVER_OBJECT DriverObject)
{
    if (UnloadAddress)
        UnloadAddress = *(volatile ULONG *)UnloadAddress; /* SEH_ESCAPE_UNLOAD_LINE */
    IoDeleteSymbolicLink(&LinkName);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(RegistryPath);
    Status = IoCreateDevice(DriverObject, 0, &DeviceName, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoCreateSymbolicLink(&LinkName, &DeviceName);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(Device);
        return Status;
    }
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = EscapeCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = EscapeCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = EscapeDeviceControl;
    DriverObject->DriverUnload = EscapeUnload;
    return STATUS_SUCCESS;
}
