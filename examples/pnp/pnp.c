/*
 * pnp: a Plug and Play driver built with minwdm. A root-enumerated device (the INF pnp.inx
 * installs it on a device node that `minwdmctl install-device pnp.inf Root\MinwdmPnpExample`
 * creates): AddDevice attaches a functional device object to the bus driver's physical one and
 * registers a device interface; START enables it, STOP and SURPRISE_REMOVAL disable it, REMOVE
 * detaches and deletes it; every other PnP and every power request goes down the stack
 * untouched. A client finds the device by its interface GUID (client.c). The runtime's control
 * device, log and leak check work as for any RUNTIME driver.
 */
#include <minwdm/runtime.h>

#include <initguid.h>

#include "pnp.h"

DEFINE_GUID(pnp_example_interface, 0x5b0e6c1c, 0x6b0d, 0x4d8e, 0x9f, 0x4a, 0x0e, 0x5c, 0x7a,
            0x3d, 0x2b, 0x71);

struct pnp_device {
    PDEVICE_OBJECT lower;       /* the next device down: the bus driver's PDO */
    UNICODE_STRING link;        /* the symbolic link IoRegisterDeviceInterface gave */
    IO_REMOVE_LOCK remove_lock; /* no request runs into a device being removed */
    BOOLEAN started;
    LONG starts;
};

#define PNP_TAG MEM_TAG('P', 'n', 'p', 'X')

static LONG started_devices; /* for the kernel tests (pnp_test.c) */

static DRIVER_ADD_DEVICE pnp_add_device;
static DRIVER_DISPATCH pnp_dispatch_pnp, pnp_dispatch_power, pnp_dispatch_create_close,
    pnp_dispatch_control;
static DRIVER_UNLOAD pnp_unload;

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS pass_down(struct pnp_device *dev, PIRP irp)
{
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(dev->lower, irp);
}

MINWDM_PAGED_CODE static NTSTATUS pnp_add_device(PDRIVER_OBJECT driver, PDEVICE_OBJECT pdo)
{
    PDEVICE_OBJECT fdo;
    struct pnp_device *dev;
    NTSTATUS status;

    status = IoCreateDevice(driver, sizeof(*dev), NULL, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &fdo);
    if (!NT_SUCCESS(status))
        return status;
    dev = fdo->DeviceExtension;
    RtlZeroMemory(dev, sizeof(*dev));
    IoInitializeRemoveLock(&dev->remove_lock, PNP_TAG, 0, 0);
    status = IoRegisterDeviceInterface(pdo, &pnp_example_interface, NULL, &dev->link);
    if (!NT_SUCCESS(status)) {
        LOG_ERROR("IoRegisterDeviceInterface failed: 0x%08X", (unsigned)status);
        IoDeleteDevice(fdo);
        return status;
    }
    dev->lower = IoAttachDeviceToDeviceStack(fdo, pdo);
    if (!dev->lower) {
        RtlFreeUnicodeString(&dev->link);
        IoDeleteDevice(fdo);
        return STATUS_NO_SUCH_DEVICE;
    }
    fdo->Flags |= DO_BUFFERED_IO | DO_POWER_PAGABLE;
    fdo->Flags &= ~DO_DEVICE_INITIALIZING;
    LOG_INFO("AddDevice: attached to the bus driver's device");
    return STATUS_SUCCESS;
}

static void set_started(struct pnp_device *dev, BOOLEAN started, const char *why)
{
    if (dev->started != started && dev->link.Buffer)
        IoSetDeviceInterfaceState(&dev->link, started);
    if (dev->started != started)
        InterlockedExchangeAdd(&started_devices, started ? 1 : -1);
    dev->started = started;
    LOG_INFO("%s: the interface is %s", why, started ? "enabled" : "disabled");
}

static IO_COMPLETION_ROUTINE forwarded;

/* The request is back from below: wake the waiter, and keep the request (it completes it). */
static NTSTATUS forwarded(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    (void)device;
    (void)irp;
    KeSetEvent((PKEVENT)context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* IoForwardIrpSynchronously's work (a stub in Wine 8): down the stack, and wait for it back. */
static NTSTATUS forward_and_wait(struct pnp_device *dev, PIRP irp)
{
    KEVENT done;

    KeInitializeEvent(&done, NotificationEvent, FALSE);
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(irp, forwarded, &done, TRUE, TRUE, TRUE);
    if (IoCallDriver(dev->lower, irp) == STATUS_PENDING)
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
    /* Still ours: forwarded() returned STATUS_MORE_PROCESSING_REQUIRED. */
    // cppcheck-suppress deallocret
    return irp->IoStatus.Status;
}

/* START goes down first (the bus driver starts the hardware), and the driver starts after it. */
static NTSTATUS start_device(struct pnp_device *dev, PIRP irp)
{
    NTSTATUS status = forward_and_wait(dev, irp);

    if (NT_SUCCESS(status)) {
        InterlockedIncrement(&dev->starts);
        set_started(dev, TRUE, "START_DEVICE");
    }
    return complete(irp, status, irp->IoStatus.Information);
}

static NTSTATUS remove_device(PDEVICE_OBJECT fdo, struct pnp_device *dev, PIRP irp)
{
    NTSTATUS status;

    set_started(dev, FALSE, "REMOVE_DEVICE");
    /* Wait for the requests in flight, then pass REMOVE down and go. */
    IoReleaseRemoveLockAndWait(&dev->remove_lock, irp);
    irp->IoStatus.Status = STATUS_SUCCESS;
    status = pass_down(dev, irp);
    IoDetachDevice(dev->lower);
    RtlFreeUnicodeString(&dev->link);
    IoDeleteDevice(fdo);
    return status;
}

static NTSTATUS pnp_dispatch_pnp(PDEVICE_OBJECT fdo, PIRP irp)
{
    struct pnp_device *dev = fdo->DeviceExtension;
    UCHAR minor = IoGetCurrentIrpStackLocation(irp)->MinorFunction;
    NTSTATUS status = IoAcquireRemoveLock(&dev->remove_lock, irp);

    if (!NT_SUCCESS(status))
        return complete(irp, status, 0);
    switch (minor) {
    case IRP_MN_START_DEVICE:
        status = start_device(dev, irp);
        break;
    case IRP_MN_REMOVE_DEVICE:
        return remove_device(fdo, dev, irp); /* releases the lock itself */
    case IRP_MN_STOP_DEVICE:
    case IRP_MN_SURPRISE_REMOVAL:
        set_started(dev, FALSE, minor == IRP_MN_STOP_DEVICE ? "STOP_DEVICE" : "SURPRISE_REMOVAL");
        irp->IoStatus.Status = STATUS_SUCCESS;
        status = pass_down(dev, irp);
        break;
    case IRP_MN_QUERY_STOP_DEVICE:
    case IRP_MN_QUERY_REMOVE_DEVICE:
    case IRP_MN_CANCEL_STOP_DEVICE:
    case IRP_MN_CANCEL_REMOVE_DEVICE:
        irp->IoStatus.Status = STATUS_SUCCESS; /* nothing to refuse or undo */
        status = pass_down(dev, irp);
        break;
    default:
        status = pass_down(dev, irp); /* untouched */
        break;
    }
    IoReleaseRemoveLock(&dev->remove_lock, irp);
    return status;
}

/* Power requests go down untouched: the example has no hardware whose power it manages. */
static NTSTATUS pnp_dispatch_power(PDEVICE_OBJECT fdo, PIRP irp)
{
    struct pnp_device *dev = fdo->DeviceExtension;

    PoStartNextPowerIrp(irp);
    IoSkipCurrentIrpStackLocation(irp);
    return PoCallDriver(dev->lower, irp);
}

static NTSTATUS pnp_dispatch_create_close(PDEVICE_OBJECT fdo, PIRP irp)
{
    (void)fdo;
    return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS pnp_dispatch_control(PDEVICE_OBJECT fdo, PIRP irp)
{
    struct pnp_device *dev = fdo->DeviceExtension;
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    NTSTATUS status = IoAcquireRemoveLock(&dev->remove_lock, irp);

    if (!NT_SUCCESS(status))
        return complete(irp, status, 0);
    if (stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_PNP_EXAMPLE_STARTS)
        status = complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    else if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ULONG))
        status = complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
    else {
        *(ULONG *)irp->AssociatedIrp.SystemBuffer = (ULONG)dev->starts;
        status = complete(irp, STATUS_SUCCESS, sizeof(ULONG));
    }
    IoReleaseRemoveLock(&dev->remove_lock, irp);
    return status;
}

#ifdef MINWDM_TESTING
LONG pnp_started_devices(void)
{
    return InterlockedCompareExchange(&started_devices, 0, 0);
}
#endif

MINWDM_PAGED_CODE static void pnp_unload(PDRIVER_OBJECT driver)
{
    (void)driver;
    LOG_INFO("unloaded: no device left");
}

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    (void)registry_path;
    driver->DriverExtension->AddDevice = pnp_add_device;
    driver->MajorFunction[IRP_MJ_PNP] = pnp_dispatch_pnp;
    driver->MajorFunction[IRP_MJ_POWER] = pnp_dispatch_power;
    driver->MajorFunction[IRP_MJ_CREATE] = pnp_dispatch_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = pnp_dispatch_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = pnp_dispatch_control;
    driver->DriverUnload = pnp_unload;
    LOG_INFO("DriverEntry: waiting for AddDevice");
    return STATUS_SUCCESS;
}
