/*
 * The runtime's control device, \Device\minwdm.<service>: the log, the log level, the
 * allocator's numbers and failure injection of any RUNTIME driver (include/minwdm/control.h),
 * for SYSTEM and Administrators only. Every IRP for another device goes, unchanged, to the
 * dispatch routine the driver set for it.
 */
#include "runtime_internal.h"

#define NAME_CHARS (sizeof("\\DosDevices\\") + sizeof(MINWDM_CONTROL_PREFIX) + MINWDM_CONTROL_NAME_MAX)

static PDEVICE_OBJECT control_device;
static const struct runtime_control *control_state;
static PDRIVER_DISPATCH driver_dispatch[IRP_MJ_MAXIMUM_FUNCTION + 1];
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

/* <prefix>minwdm.<service>, the service name cut at MINWDM_CONTROL_NAME_MAX characters. */
MINWDM_INIT_CODE static void make_name(UNICODE_STRING *name, WCHAR *buffer, PCWSTR prefix,
                                       PCUNICODE_STRING service)
{
    UNICODE_STRING part;

    name->Buffer = buffer;
    name->Length = 0;
    name->MaximumLength = (USHORT)(NAME_CHARS * sizeof(WCHAR));
    RtlAppendUnicodeToString(name, prefix);
    RtlAppendUnicodeToString(name, MINWDM_CONTROL_PREFIX_W);
    part = *service;
    if (part.Length > MINWDM_CONTROL_NAME_MAX * sizeof(WCHAR))
        part.Length = (USHORT)(MINWDM_CONTROL_NAME_MAX * sizeof(WCHAR));
    RtlAppendUnicodeStringToString(name, &part);
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
static NTSTATUS route_pnp(PDEVICE_OBJECT device, PIRP irp)
{
    PDRIVER_OBJECT driver = device->DriverObject; /* the device may be gone after the call */
    UCHAR minor = IoGetCurrentIrpStackLocation(irp)->MinorFunction;
    NTSTATUS status = driver_dispatch[IRP_MJ_PNP](device, irp);

    if (minor == IRP_MN_REMOVE_DEVICE && control_device && driver->DeviceObject == control_device &&
        !control_device->NextDevice)
        control_device_delete();
    return status;
}

static NTSTATUS route(PDEVICE_OBJECT device, PIRP irp)
{
    UCHAR major = IoGetCurrentIrpStackLocation(irp)->MajorFunction;

    if (device == control_device)
        return control_dispatch(irp);
    if (major == IRP_MJ_PNP && driver_dispatch[IRP_MJ_PNP])
        return route_pnp(device, irp);
    if (major <= IRP_MJ_MAXIMUM_FUNCTION && driver_dispatch[major])
        return driver_dispatch[major](device, irp);
    return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

MINWDM_INIT_CODE NTSTATUS control_device_create(PDRIVER_OBJECT driver, PCUNICODE_STRING service,
                                                const struct runtime_control *control)
{
    PDEVICE_OBJECT device;
    NTSTATUS status;

    make_name(&device_name, device_name_buffer, L"\\Device\\", service);
    make_name(&link_name, link_name_buffer, L"\\DosDevices\\", service);
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
