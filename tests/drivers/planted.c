/*
 * A RUNTIME driver with bugs a client can trigger, for the tests of `minwdmctl test` and
 * add_wdm_test (tests/wine/test_command.sh): a request that leaks a block, one the driver never
 * completes, one that dereferences NULL, one that arms a NULL read in DriverUnload. Its kernel
 * tests are in planted_test.c.
 */
#include <minwdm/ioctl.h>
#include <minwdm/runtime.h>

#include "planted.h"

PDEVICE_OBJECT planted_device; /* for the kernel tests (planted_test.c) */

static DRIVER_UNLOAD planted_unload;
static DRIVER_DISPATCH planted_open_close;
static DRIVER_DISPATCH planted_control;

static NTSTATUS complete(PIRP irp, NTSTATUS status)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS planted_open_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS);
}

static __attribute__((noinline)) void leak_block(void)
{
    POOL_ALLOC(32, PLANTED_TAG);
}

static volatile int crash_at_unload;

static __attribute__((noinline)) int read_through(volatile int *pointer)
{
    return *pointer;
}

/* minwdm.sys's SELFTEST request, answered with a failed check: what `minwdmctl selftest` does when
 * a check fails (tests/wine/test_command.sh runs it as the client). */
static NTSTATUS failed_selftest(PIRP irp)
{
    static const char where[] = "planted.c: a check planted to fail";
    struct minwdm_selftest_result *result = irp->AssociatedIrp.SystemBuffer;

    if (IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.OutputBufferLength <
        sizeof(*result))
        return complete(irp, STATUS_BUFFER_TOO_SMALL);
    RtlZeroMemory(result, sizeof(*result));
    result->passed = 2;
    result->failed = 1;
    RtlCopyMemory(result->first_failure, where, sizeof(where));
    irp->IoStatus.Status = STATUS_SUCCESS;
    irp->IoStatus.Information = sizeof(*result);
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

static NTSTATUS planted_control(PDEVICE_OBJECT device, PIRP irp)
{
    ULONG code = IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.IoControlCode;
    static volatile int *nowhere;

    (void)device;
    switch (code) {
    case IOCTL_PLANTED_OK:
        return complete(irp, STATUS_SUCCESS);
    case IOCTL_PLANTED_LEAK:
        leak_block();
        return complete(irp, STATUS_SUCCESS);
    case IOCTL_PLANTED_HANG:
        LOG_INFO("this request is never completed");
        IoMarkIrpPending(irp);
        return STATUS_PENDING;
    case IOCTL_PLANTED_CRASH_AT_UNLOAD:
        crash_at_unload = 1;
        return complete(irp, STATUS_SUCCESS);
    case IOCTL_PLANTED_CRASH:
        LOG_INFO("reading through NULL");
        return complete(irp, read_through(nowhere) ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL);
    case IOCTL_MINWDM_SELFTEST:
        return failed_selftest(irp);
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
    }
}

static void planted_unload(PDRIVER_OBJECT driver)
{
    static volatile int *nowhere;
    UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\DosDevices\\planted");

    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(driver->DeviceObject);
    /* Last, so that the next load finds its names free. */
    if (crash_at_unload && read_through(nowhere))
        LOG_INFO("unreachable");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\planted");
    UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\DosDevices\\planted");
    PDEVICE_OBJECT device;
    NTSTATUS status;

    (void)registry_path;
    status = IoCreateDevice(driver, 0, &name, PLANTED_DEVICE_TYPE, FILE_DEVICE_SECURE_OPEN,
                            FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = planted_open_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = planted_open_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = planted_control;
    driver->DriverUnload = planted_unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    planted_device = device;
    return STATUS_SUCCESS;
}
