/* checksum: the device \\.\checksum answers IOCTL_CHECKSUM_CRC32 (checksum.h). */
#include <minwdm/runtime.h>

#include "checksum.h"
#include "checksum_request.h"

static DRIVER_UNLOAD checksum_unload;
static DRIVER_DISPATCH checksum_open_close;
static DRIVER_DISPATCH checksum_control;

static const UNICODE_STRING device_name = RTL_CONSTANT_STRING(L"\\Device\\checksum");
static const UNICODE_STRING link_name = RTL_CONSTANT_STRING(L"\\DosDevices\\checksum");

NTSTATUS checksum_request(ULONG code, void *buffer, ULONG input_length, ULONG output_length,
                          ULONG *written)
{
    uint32_t crc;

    *written = 0;
    if (code != IOCTL_CHECKSUM_CRC32)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (input_length > CHECKSUM_MAX_INPUT || (input_length && !buffer))
        return STATUS_INVALID_PARAMETER;
    if (output_length < sizeof(crc) || !buffer)
        return STATUS_BUFFER_TOO_SMALL;
    crc = checksum_crc32(buffer, input_length); /* the input is read before the output is written */
    RtlCopyMemory(buffer, &crc, sizeof(crc));
    *written = sizeof(crc);
    return STATUS_SUCCESS;
}

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

MINWDM_PAGED_CODE static NTSTATUS checksum_open_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS checksum_control(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG written;
    NTSTATUS status = checksum_request(stack->Parameters.DeviceIoControl.IoControlCode,
                                       irp->AssociatedIrp.SystemBuffer,
                                       stack->Parameters.DeviceIoControl.InputBufferLength,
                                       stack->Parameters.DeviceIoControl.OutputBufferLength,
                                       &written);

    (void)device;
    return complete(irp, status, NT_SUCCESS(status) ? written : 0);
}

MINWDM_PAGED_CODE static void checksum_unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = link_name;

    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(driver->DeviceObject);
}

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING name = device_name, link = link_name;
    PDEVICE_OBJECT device;
    NTSTATUS status;

    (void)registry_path;
    status = IoCreateDevice(driver, 0, &name, CHECKSUM_DEVICE_TYPE, FILE_DEVICE_SECURE_OPEN, FALSE,
                            &device);
    if (!NT_SUCCESS(status))
        return status;
    status = device_restrict_to_admins(device);
    if (NT_SUCCESS(status))
        status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = checksum_open_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = checksum_open_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = checksum_control;
    driver->DriverUnload = checksum_unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
