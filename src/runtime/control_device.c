/*
 * The runtime's control device, \Device\minwdm.<service>: the log, the log level, the
 * allocator's numbers and failure injection of any RUNTIME driver (include/minwdm/control.h),
 * for SYSTEM and Administrators only. Every IRP for another device goes, unchanged, to the
 * dispatch routine the driver set for it.
 */
#include "exception_guard.h"
#include "runtime_internal.h"

#define NAME_CHARS (sizeof("\\DosDevices\\") + sizeof(MINWDM_CONTROL_PREFIX) + MINWDM_CONTROL_NAME_MAX)

static PDEVICE_OBJECT control_device;
static const struct runtime_control *control_state;
static PDRIVER_DISPATCH driver_dispatch[IRP_MJ_MAXIMUM_FUNCTION + 1];
static volatile LONG requests_inside; /* IRPs in route() now */
static volatile LONG unloading;       /* new requests are refused: the driver is unloading */
static WCHAR device_name_buffer[NAME_CHARS], link_name_buffer[NAME_CHARS];
static UNICODE_STRING device_name, link_name;
static BOOLEAN link_made;

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

/* <prefix>minwdm.<service>, the whole service name: never cut, so that two services never share
 * a control device (the service manager allows no longer name). */
MINWDM_INIT_CODE static NTSTATUS make_name(UNICODE_STRING *name, WCHAR *buffer, PCWSTR prefix,
                                           PCUNICODE_STRING service)
{
    name->Buffer = buffer;
    name->Length = 0;
    name->MaximumLength = (USHORT)(NAME_CHARS * sizeof(WCHAR));
    if (service->Length > MINWDM_CONTROL_NAME_MAX * sizeof(WCHAR))
        return STATUS_NAME_TOO_LONG;
    RtlAppendUnicodeToString(name, prefix);
    RtlAppendUnicodeToString(name, MINWDM_CONTROL_PREFIX_W);
    return RtlAppendUnicodeStringToString(name, service);
}

static NTSTATUS control_device_control(PIRP irp)
{
    struct minwdm_request request;
    uint32_t written = 0;

    if (!minwdm_buffered_request(irp, &request))
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    NTSTATUS status = control_handle_request(control_state, &request, &written);
    return complete(irp, status, NT_SUCCESS(status) ? written : 0);
}

static NTSTATUS control_dispatch(PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);

    switch (stack->MajorFunction) {
    case IRP_MJ_CREATE:
        /* The device has no namespace: \\.\minwdm.<service>\anything is not an object. */
        if (stack->FileObject && stack->FileObject->FileName.Length != 0)
            return complete(irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
        return complete(irp, STATUS_SUCCESS, 0);
    case IRP_MJ_CLEANUP:
    case IRP_MJ_CLOSE:
        return complete(irp, STATUS_SUCCESS, 0);
    case IRP_MJ_DEVICE_CONTROL:
        return control_device_control(irp);
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

/*
 * Plug and Play: the driver's IRP_MJ_PNP handler gets every PnP request untouched (the control
 * device is no PnP device and never gets one). Once its last PnP device is removed, the control
 * device goes too: Windows unloads a PnP driver only when it has no device object left. The log
 * stays readable from the service key after the unload.
 */
static void after_pnp_request(PDRIVER_OBJECT driver, UCHAR major, UCHAR minor)
{
    if (major == IRP_MJ_PNP && minor == IRP_MN_REMOVE_DEVICE && control_device &&
        driver->DeviceObject == control_device && !control_device->NextDevice)
        control_device_delete();
}

static NTSTATUS route_request(PDEVICE_OBJECT device, PIRP irp)
{
    UCHAR major = IoGetCurrentIrpStackLocation(irp)->MajorFunction;

    if (runtime_verifier)
        runtime_verifier->irp_arrived(irp);
    if (device == control_device)
        return control_dispatch(irp);
    if (major > IRP_MJ_MAXIMUM_FUNCTION || !driver_dispatch[major])
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    /* The verifier follows the IRP and calls the routine itself (through the guard). */
    if (runtime_verifier)
        return runtime_verifier->dispatch(driver_dispatch[major], device, irp);
    /* Unguarded, a plain (tail) call: a shipped driver's stack is the one it would have alone. */
    if (!exception_guard_enabled)
        return driver_dispatch[major](device, irp);
    return (NTSTATUS)EXCEPTION_GUARD(EXCEPTION_GUARD_DISPATCH, driver_dispatch[major], device, irp,
                                     0, 0);
}

static NTSTATUS route(PDEVICE_OBJECT device, PIRP irp)
{
    UCHAR major = IoGetCurrentIrpStackLocation(irp)->MajorFunction;
    UCHAR minor = IoGetCurrentIrpStackLocation(irp)->MinorFunction;
    PDRIVER_OBJECT driver = device->DriverObject; /* the device may be gone after the request */
    NTSTATUS status;

    InterlockedIncrement(&requests_inside);
    /* A handle's last IRPs still reach the driver, which may free what it gave the handle. */
    if (InterlockedCompareExchange(&unloading, 0, 0) && major != IRP_MJ_CLEANUP &&
        major != IRP_MJ_CLOSE)
        status = complete(irp, STATUS_DELETE_PENDING, 0);
    else
        status = route_request(device, irp);
    InterlockedDecrement(&requests_inside);
    after_pnp_request(driver, major, minor);
    return status;
}

MINWDM_INIT_CODE NTSTATUS control_device_create(PDRIVER_OBJECT driver, PCUNICODE_STRING service,
                                                const struct runtime_control *control)
{
    PDEVICE_OBJECT device;
    NTSTATUS status;

    status = make_name(&device_name, device_name_buffer, L"\\Device\\", service);
    if (NT_SUCCESS(status))
        status = make_name(&link_name, link_name_buffer, L"\\DosDevices\\", service);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateDevice(driver, 0, &device_name, MINWDM_CONTROL_DEVICE_TYPE,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = device_restrict_to_admins(device);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    control_state = control;
    control_device = device;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

/* After the driver's DriverEntry: from now on every IRP passes through route(), and user mode
 * may open the control device. */
MINWDM_INIT_CODE void control_device_route(PDRIVER_OBJECT driver)
{
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) {
        driver_dispatch[i] = driver->MajorFunction[i];
        driver->MajorFunction[i] = route;
    }
    link_made = NT_SUCCESS(IoCreateSymbolicLink(&link_name, &device_name));
    if (!link_made)
        LOG_WARN("no \\\\.\\%s%s for minwdmctl: the name is taken", MINWDM_CONTROL_PREFIX,
                 control_state->log->name);
}

/* Before the driver's unload: new requests are refused (STATUS_DELETE_PENDING, but a handle's
 * cleanup and close), and those inside the driver are waited for, up to 5 s. Windows calls
 * DriverUnload only once no request is in flight; Wine does not wait: it unloads on the
 * service-control thread while its request thread may be dispatching, then unmaps the image
 * (docs/wine.md). */
MINWDM_PAGED_CODE void control_device_unroute(void)
{
    LARGE_INTEGER millisecond = {.QuadPart = -10000};
    ULONG waited = 0;

    InterlockedExchange(&unloading, 1);
    while (InterlockedCompareExchange(&requests_inside, 0, 0) != 0 && waited++ < 5000)
        KeDelayExecutionThread(KernelMode, FALSE, &millisecond);
    if (requests_inside)
        LOG_WARN("%d requests still in the driver at its unload", (int)requests_inside);
}

MINWDM_PAGED_CODE void control_device_delete(void)
{
    if (!control_device)
        return;
    if (link_made)
        IoDeleteSymbolicLink(&link_name);
    link_made = FALSE;
    IoDeleteDevice(control_device);
    control_device = NULL;
}
