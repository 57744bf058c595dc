/* IRP dispatch: every IRP that reaches the driver is completed here, on every path. */
#include "driver.h"

#include <minwdm/ntstatus_names.h>

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

/* Opens and closes come at PASSIVE_LEVEL: that code may be paged out. */
MINWDM_PAGED_CODE NTSTATUS dispatch_create(PDEVICE_OBJECT device, PIRP irp)
{
    struct device_extension *extension = device->DeviceExtension;
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(irp)->FileObject;
    struct handle_context *context;

    /* The device has no namespace: \\.\minwdm\anything is not an object of ours. */
    if (!file || file->FileName.Length != 0)
        return complete(irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
    context = mem_cache_alloc(extension->handles, MEM_SITE);
    if (!context)
        return complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    file->FsContext = context;
    LOG_DEBUG("handle %p", minwdm_log_address(file));
    return complete(irp, STATUS_SUCCESS, 0);
}

/* The handle's context, when this load of the driver made it. Windows unloads a driver only
 * after its handles are closed; Wine 8 also unloads with handles open, and their closes and
 * requests can then reach the next load, with a context that is not its own. */
static struct handle_context *context_of(struct device_extension *extension, PFILE_OBJECT file)
{
    void *context = file ? file->FsContext : NULL;

    return context && mem_cache_owns(extension->handles, context) ? context : NULL;
}

MINWDM_PAGED_CODE NTSTATUS dispatch_close(PDEVICE_OBJECT device, PIRP irp)
{
    struct device_extension *extension = device->DeviceExtension;
    PFILE_OBJECT file = IoGetCurrentIrpStackLocation(irp)->FileObject;
    struct handle_context *context = context_of(extension, file);

    if (context) {
        LOG_DEBUG("handle %p, after %llu requests", minwdm_log_address(file),
                  (unsigned long long)context->requests);
        mem_cache_free(extension->handles, context);
    } else if (file && file->FsContext) {
        LOG_WARN("handle %p was opened before this load of the driver", minwdm_log_address(file));
    }
    if (file)
        file->FsContext = NULL;
    return complete(irp, STATUS_SUCCESS, 0);
}

NTSTATUS dispatch_device_control(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    struct device_extension *extension = device->DeviceExtension;
    struct handle_context *context = context_of(extension, stack->FileObject);
    struct minwdm_request request;
    uint32_t written = 0;

    if (context)
        context->requests++;
    /* Only METHOD_BUFFERED requests carry the system buffer; the others are not ours. */
    if (!minwdm_buffered_request(irp, &request))
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);

    NTSTATUS status = minwdm_handle_request(&extension->device, &request, &written);
    /* Reads of the log are not logged: following the log at trace level would feed itself. */
    if (request.code != IOCTL_MINWDM_READ_LOG && log_enabled(&driver_log, MINWDM_LOG_TRACE)) {
        char hex[11];
        LOG_TRACE("0x%08X, in %u, out %u: %s, %u bytes back", request.code, request.input_length,
                  request.output_length, minwdm_ntstatus_text(status, hex), written);
    }
    return complete(irp, status, NT_SUCCESS(status) ? written : 0);
}
