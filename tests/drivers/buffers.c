/*
 * A test driver for strings and request buffers (tests/wine/buffers.sh). DriverEntry logs a
 * UNICODE_STRING with %wZ and an int after it, and checks kstring_upcase against the kernel's
 * RtlUpcaseUnicodeChar over every UTF-16 unit. Its device, \\.\buffers, serves one request per
 * transfer method through <minwdm/user_buffer.h>:
 *   TO_UTF16      METHOD_OUT_DIRECT  UTF-8 in, its UTF-16 written in place in the mapped output
 *   COUNT         METHOD_IN_DIRECT   a byte in; reads the mapped output buffer and reports how
 *                                    many of its bytes equal it (as the bytes returned)
 *   TO_UTF8       METHOD_NEITHER     UTF-16 in (the caller's pointer), its UTF-8 out (ditto)
 *   SUM_LOCKED    METHOD_NEITHER     the caller's input locked and mapped through an MDL, its
 *                                    bytes summed into a ULONG
 *   FAULT         METHOD_BUFFERED    an address (8 bytes) and 0 or 1: reads or writes 16
 *                                    bytes there through the user-buffer helpers, probed as a
 *                                    user-mode pointer: a fault is a status, not a crash
 */
#include <minwdm/runtime.h>

#define BUFFERS_TYPE 0x815Au
#define IOCTL_BUFFERS_TO_UTF16 CTL_CODE(BUFFERS_TYPE, 0x800, METHOD_OUT_DIRECT, FILE_READ_ACCESS)
#define IOCTL_BUFFERS_COUNT CTL_CODE(BUFFERS_TYPE, 0x801, METHOD_IN_DIRECT, FILE_READ_ACCESS)
#define IOCTL_BUFFERS_TO_UTF8 CTL_CODE(BUFFERS_TYPE, 0x802, METHOD_NEITHER, FILE_READ_ACCESS)
#define IOCTL_BUFFERS_SUM_LOCKED CTL_CODE(BUFFERS_TYPE, 0x803, METHOD_NEITHER, FILE_READ_ACCESS)
#define IOCTL_BUFFERS_FAULT CTL_CODE(BUFFERS_TYPE, 0x804, METHOD_BUFFERED, FILE_WRITE_ACCESS)
#define TEXT_MAX 256 /* bytes of text a request may carry */

static DRIVER_UNLOAD buffers_unload;
static DRIVER_DISPATCH buffers_create_close, buffers_device_control;

static UNICODE_STRING device_name = RTL_CONSTANT_STRING(L"\\Device\\buffers");
static UNICODE_STRING link_name = RTL_CONSTANT_STRING(L"\\DosDevices\\buffers");

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

/* METHOD_OUT_DIRECT: the conversion is written straight into the caller's (mapped) buffer. */
static NTSTATUS to_utf16(PIRP irp, ULONG_PTR *returned)
{
    char utf8[TEXT_MAX];
    ULONG in;
    void *out;
    ULONG out_length;
    size_t needed;
    UNICODE_STRING text;

    NTSTATUS status = user_buffer_read_input(irp, utf8, sizeof(utf8), &in);
    if (NT_SUCCESS(status))
        status = user_buffer_map_output(irp, &out, &out_length);
    if (!NT_SUCCESS(status))
        return status;
    if ((ULONG_PTR)out % sizeof(WCHAR))
        return STATUS_INVALID_PARAMETER;
    kstring_init(&text, out, out_length);
    status = kstring_from_utf8(&text, utf8, in, &needed);
    LOG_INFO("%lu bytes of UTF-8: \"%wZ\", %zu bytes of UTF-16 (%lu of room)", in, &text, needed,
             out_length);
    *returned = text.Length;
    return status;
}

/* METHOD_IN_DIRECT: the output buffer is read, in place. */
static NTSTATUS count(PIRP irp, ULONG_PTR *returned)
{
    UCHAR wanted;
    ULONG in, length, n = 0;
    const UCHAR *bytes;

    NTSTATUS status = user_buffer_read_input(irp, &wanted, sizeof(wanted), &in);
    if (NT_SUCCESS(status) && in != sizeof(wanted))
        status = STATUS_INVALID_PARAMETER;
    if (NT_SUCCESS(status))
        status = user_buffer_map_output(irp, (void **)&bytes, &length);
    if (!NT_SUCCESS(status))
        return status;
    if (!length)
        return STATUS_INVALID_PARAMETER;
    for (ULONG i = 0; i < length; i++)
        n += bytes[i] == wanted;
    LOG_INFO("%lu of %lu bytes are 0x%02X", n, length, wanted);
    *returned = n;
    return STATUS_SUCCESS;
}

/* METHOD_NEITHER: the caller's pointers, copied in and out under SEH. */
static NTSTATUS to_utf8(PIRP irp, ULONG_PTR *returned)
{
    WCHAR units[TEXT_MAX / sizeof(WCHAR)];
    char utf8[TEXT_MAX / sizeof(WCHAR) * 3 + 1];
    ULONG in;
    size_t needed;
    UNICODE_STRING text;

    NTSTATUS status = user_buffer_read_input(irp, units, sizeof(units), &in);
    if (NT_SUCCESS(status))
        status = kstring_from_request(&text, units, sizeof(units), in);
    if (!NT_SUCCESS(status))
        return status;
    kstring_to_utf8(&text, utf8, sizeof(utf8), &needed); /* always fits */
    LOG_INFO("\"%wZ\": %zu bytes of UTF-8", &text, needed);
    status = user_buffer_write_output(irp, utf8, (ULONG)needed);
    if (NT_SUCCESS(status))
        *returned = needed;
    return status;
}

/* METHOD_NEITHER through an MDL: what a driver does to keep a caller's buffer past the call. */
static NTSTATUS sum_locked(PIRP irp, ULONG_PTR *returned)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG in = stack->Parameters.DeviceIoControl.InputBufferLength, sum = 0;
    struct user_buffer_lock lock;

    if (!in || in > TEXT_MAX)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = user_buffer_lock(stack->Parameters.DeviceIoControl.Type3InputBuffer, in,
                                       FALSE, irp->RequestorMode, &lock);
    LOG_INFO("locking %lu bytes of the caller's: 0x%08lX", in, (ULONG)status);
    if (!NT_SUCCESS(status))
        return status;
    for (ULONG i = 0; i < lock.length; i++)
        sum += ((const UCHAR *)lock.address)[i];
    user_buffer_unlock(&lock);
    status = user_buffer_write_output(irp, &sum, sizeof(sum));
    if (NT_SUCCESS(status))
        *returned = sizeof(sum);
    return status;
}

/* A bad pointer, as a caller could pass one: the helpers turn the fault into a status. */
static NTSTATUS fault(PIRP irp)
{
    struct {
        ULONG64 address;
        UCHAR write;
    } request;
    UCHAR bytes[16] = {0};
    ULONG in;

    NTSTATUS status = user_buffer_read_input(irp, &request, sizeof(request), &in);
    if (!NT_SUCCESS(status) || in != 9)
        return STATUS_INVALID_PARAMETER;
    void *address = (void *)(ULONG_PTR)request.address;
    BOOLEAN probe = irp->RequestorMode == UserMode;
    status = request.write ? user_buffer_copy_to_user(address, bytes, sizeof(bytes), 1, probe)
                           : user_buffer_copy_from_user(bytes, address, sizeof(bytes), 1, probe);
    LOG_INFO("%s 16 bytes at %p: 0x%08lX", request.write ? "writing" : "reading", address,
             (ULONG)status);
    return status;
}

MINWDM_PAGED_CODE static NTSTATUS buffers_device_control(PDEVICE_OBJECT device, PIRP irp)
{
    ULONG code = IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.IoControlCode;
    ULONG_PTR returned = 0;
    NTSTATUS status;

    (void)device;
    switch (code) {
    case IOCTL_BUFFERS_TO_UTF16:
        status = to_utf16(irp, &returned);
        break;
    case IOCTL_BUFFERS_COUNT:
        status = count(irp, &returned);
        break;
    case IOCTL_BUFFERS_TO_UTF8:
        status = to_utf8(irp, &returned);
        break;
    case IOCTL_BUFFERS_SUM_LOCKED:
        status = sum_locked(irp, &returned);
        break;
    case IOCTL_BUFFERS_FAULT:
        status = fault(irp);
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
    }
    /* A warning (STATUS_BUFFER_OVERFLOW) still reports what was written. */
    return complete(irp, status, NT_ERROR(status) ? 0 : returned);
}

MINWDM_PAGED_CODE static NTSTATUS buffers_create_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS, 0);
}

MINWDM_PAGED_CODE static void buffers_unload(PDRIVER_OBJECT driver)
{
    IoDeleteSymbolicLink(&link_name);
    IoDeleteDevice(driver->DeviceObject);
}

/* kstring_upcase against the kernel's table, over all 65,536 units: every mapping it makes must
 * be the kernel's too; the kernel's others are counted. */
MINWDM_INIT_CODE static void compare_upcase(void)
{
    ULONG ours = 0, disagree = 0, kernel_only = 0, first = 0;

    for (ULONG c = 0; c < 0x10000; c++) {
        WCHAR mine = kstring_upcase((WCHAR)c), kernel = RtlUpcaseUnicodeChar((WCHAR)c);
        if (mine != c) {
            ours++;
            if (mine != kernel && !disagree++)
                first = c;
        } else if (kernel != c) {
            kernel_only++;
        }
    }
    LOG_INFO("upcase: %lu mappings, %lu unlike RtlUpcaseUnicodeChar's (first U+%04lX); it maps "
             "%lu more", ours, disagree, first, kernel_only);
}

MINWDM_INIT_CODE NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING greeting = RTL_CONSTANT_STRING(L"Gr\u00FC\u00DFe \u20AC"); /* Grüße € */
    UNICODE_STRING service = RTL_CONSTANT_STRING(L"\\BUFFERS");
    PDEVICE_OBJECT device;

    LOG_INFO("%wZ pid %d", &greeting, 42);
    LOG_INFO("service key %s in \\buffers", kstring_has_suffix(registry_path, &service, TRUE)
                                                ? "ends"
                                                : "does not end");
    compare_upcase();
    NTSTATUS status = IoCreateDevice(driver, 0, &device_name, FILE_DEVICE_UNKNOWN,
                                     FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = device_restrict_to_admins(device);
    if (NT_SUCCESS(status))
        status = IoCreateSymbolicLink(&link_name, &device_name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = buffers_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = buffers_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = buffers_device_control;
    driver->DriverUnload = buffers_unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
