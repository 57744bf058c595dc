/*
 * msvc_cxx: C++ as MSVC accepts it and WDK drivers write it (add_wdm_driver(... WDK_COMPAT),
 * clang): IOCTL codes of the vendor range (CTL_CODE(0x8000, ...), a negative int) as case labels
 * of a switch on a ULONG, string literals in a UNICODE_STRING's PWSTR, std::align_val_t and
 * max() with no header, a PETHREAD passed where a PKTHREAD is asked, IoCreateSystemThread, and
 * its own operator new(size, POOL_FLAGS, tag) and sized (and aligned) operator delete.
 * tests/wine/wdk_real.sh drives it with minwdmctl.
 */
#include <ntifs.h>

#define DRIVER_TAG 'cvsm'
#define IOCTL_MSVC_ECHO CTL_CODE(0x8000, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_MSVC_PRIORITY CTL_CODE(0x8000, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

#define say(...) DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "msvc_cxx: " __VA_ARGS__)

void *__cdecl operator new(size_t size, POOL_FLAGS flags, ULONG tag = DRIVER_TAG);
void __cdecl operator delete(void *p, size_t);
void __cdecl operator delete(void *p, size_t, std::align_val_t);

static int own_deletes;

void *__cdecl operator new(size_t size, POOL_FLAGS flags, ULONG tag)
{
    return ExAllocatePool2(flags, size, tag);
}

void __cdecl operator delete(void *p, size_t)
{
    own_deletes++;
    ExFreePool(p);
}

void __cdecl operator delete(void *p, size_t, std::align_val_t)
{
    own_deletes++;
    ExFreePool(p);
}

struct Echo {
    ULONG value;
    ULONG twice() const { return max(value, value * 2); }
};

static KEVENT thread_ran;

static void thread_main(PVOID)
{
    KeSetEvent(&thread_ran, IO_NO_INCREMENT, FALSE);
}

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information = 0)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS create_close(PDEVICE_OBJECT, PIRP irp)
{
    return complete(irp, STATUS_SUCCESS);
}

static NTSTATUS device_control(PDEVICE_OBJECT, PIRP irp)
{
    auto stack = IoGetCurrentIrpStackLocation(irp);
    auto &p = stack->Parameters.DeviceIoControl;
    auto buffer = static_cast<ULONG *>(irp->AssociatedIrp.SystemBuffer);

    switch (p.IoControlCode) {
    case IOCTL_MSVC_ECHO: {
        if (p.InputBufferLength < sizeof(ULONG) || p.OutputBufferLength < sizeof(ULONG))
            return complete(irp, STATUS_BUFFER_TOO_SMALL);
        auto echo = new (POOL_FLAG_NON_PAGED) Echo;
        if (!echo)
            return complete(irp, STATUS_INSUFFICIENT_RESOURCES);
        echo->value = buffer[0];
        buffer[0] = echo->twice();
        delete echo;
        return complete(irp, STATUS_SUCCESS, sizeof(ULONG));
    }
    case IOCTL_MSVC_PRIORITY: {
        PETHREAD thread;
        auto status = PsLookupThreadByThreadId(PsGetCurrentThreadId(), &thread);
        if (!NT_SUCCESS(status))
            return complete(irp, status);
        auto old = KeSetPriorityThread(thread, 8);
        KeSetPriorityThread(thread, old);
        ObDereferenceObject(thread);
        say("KeSetPriorityThread on a PETHREAD\n");
        return complete(irp, STATUS_SUCCESS);
    }
    }
    return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
}

static PDEVICE_OBJECT device;
static UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\??\\msvc_cxx");

static void unload(PDRIVER_OBJECT)
{
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(device);
    say("unloaded, own sized delete called %d times\n", own_deletes);
}

extern "C" NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\msvc_cxx");
    auto status = IoCreateDevice(driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    KeInitializeEvent(&thread_ran, NotificationEvent, FALSE);
    HANDLE thread;
    status = IoCreateSystemThread(device, &thread, THREAD_ALL_ACCESS, nullptr, nullptr, nullptr,
                                  thread_main, nullptr);
    if (NT_SUCCESS(status)) {
        ZwClose(thread);
        LARGE_INTEGER timeout;
        timeout.QuadPart = -10LL * 1000 * 1000 * 5;
        status = KeWaitForSingleObject(&thread_ran, Executive, KernelMode, FALSE, &timeout);
    }
    say("IoCreateSystemThread: thread ran: %s\n", status == STATUS_SUCCESS ? "yes" : "no");
    driver->MajorFunction[IRP_MJ_CREATE] = driver->MajorFunction[IRP_MJ_CLOSE] = create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = device_control;
    driver->DriverUnload = unload;
    return STATUS_SUCCESS;
}
