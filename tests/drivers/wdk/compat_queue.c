/*
 * compat_queue: a driver written against the WDK's library routines that Wine lacks or stubs,
 * which the kit's compat library supplies (src/runtime/compat): a cancel-safe queue of pending
 * requests (IoCsqInitializeEx, IoCsqInsertIrpEx, IoCsqRemoveNextIrp) that a client cancels and
 * completes, guarded mutexes, ExEnterCriticalRegionAndAcquireResource*, IoCreateSystemThread and
 * (clang: __try) ExRaiseStatus. tests/wine/wdk_real.sh drives it with csq_client.exe.
 */
#include <ntddk.h>

#include "compat_queue.h"

#define say(...) DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "compat_queue: " __VA_ARGS__)

static PDEVICE_OBJECT device;
static UNICODE_STRING link_name = RTL_CONSTANT_STRING(L"\\DosDevices\\compat_queue");

/* The queue: a list under a spin lock, behind the cancel-safe queue. */
static IO_CSQ queue;
static LIST_ENTRY pending;
static KSPIN_LOCK pending_lock;
static ULONG pending_count;

static NTSTATUS NTAPI queue_insert(PIO_CSQ csq, PIRP irp, PVOID context)
{
    (void)csq;
    (void)context;
    if (pending_count >= COMPAT_QUEUE_LIMIT)
        return STATUS_DEVICE_BUSY;
    InsertTailList(&pending, &irp->Tail.Overlay.ListEntry);
    pending_count++;
    return STATUS_SUCCESS;
}

static VOID NTAPI queue_remove(PIO_CSQ csq, PIRP irp)
{
    (void)csq;
    RemoveEntryList(&irp->Tail.Overlay.ListEntry);
    pending_count--;
}

static PIRP NTAPI queue_peek(PIO_CSQ csq, PIRP irp, PVOID context)
{
    PLIST_ENTRY next = irp ? irp->Tail.Overlay.ListEntry.Flink : pending.Flink;

    (void)csq;
    (void)context;
    return next == &pending ? NULL : CONTAINING_RECORD(next, IRP, Tail.Overlay.ListEntry);
}

static VOID NTAPI queue_lock(PIO_CSQ csq, PKIRQL irql)
{
    (void)csq;
    KeAcquireSpinLock(&pending_lock, irql);
}

static VOID NTAPI queue_unlock(PIO_CSQ csq, KIRQL irql)
{
    (void)csq;
    KeReleaseSpinLock(&pending_lock, irql);
}

static VOID NTAPI queue_cancelled(PIO_CSQ csq, PIRP irp)
{
    (void)csq;
    irp->IoStatus.Status = STATUS_CANCELLED;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
}

/* --- the checks of the other compat routines --- */

static KGUARDED_MUTEX counter_mutex;
static LONG counter;
static volatile LONG threads_done;

static VOID NTAPI count_thread(PVOID context)
{
    int i;

    (void)context;
    for (i = 0; i < 20000; i++) {
        KeAcquireGuardedMutex(&counter_mutex);
        counter++; /* not atomic: only the mutex keeps the sum right */
        KeReleaseGuardedMutex(&counter_mutex);
    }
    InterlockedIncrement(&threads_done);
}

static unsigned check(int ok, const char *what)
{
    say("%s: %s\n", ok ? "ok" : "FAILED", what);
    return ok ? 0 : 1;
}

static unsigned check_guarded_mutex(void)
{
    LARGE_INTEGER pause = {.QuadPart = -10LL * 1000 * 10};
    unsigned failed = 0;
    HANDLE threads[2];
    int i;

    KeInitializeGuardedMutex(&counter_mutex);
    failed += check(KeTryToAcquireGuardedMutex(&counter_mutex), "KeTryToAcquireGuardedMutex on a free mutex");
    failed += check(!KeTryToAcquireGuardedMutex(&counter_mutex), "and not again while held");
    KeReleaseGuardedMutex(&counter_mutex);
    KeAcquireGuardedMutexUnsafe(&counter_mutex);
    KeReleaseGuardedMutexUnsafe(&counter_mutex);
    counter = 0;
    threads_done = 0;
    for (i = 0; i < 2; i++) {
        NTSTATUS status = IoCreateSystemThread(device, &threads[i], THREAD_ALL_ACCESS, NULL, NULL,
                                               NULL, count_thread, NULL);
        failed += check(NT_SUCCESS(status), "IoCreateSystemThread");
        if (NT_SUCCESS(status))
            ZwClose(threads[i]);
        else
            InterlockedIncrement(&threads_done);
    }
    for (i = 0; i < 1000 && threads_done < 2; i++)
        KeDelayExecutionThread(KernelMode, FALSE, &pause);
    say("two threads counted to %ld under a guarded mutex\n", counter);
    failed += check(threads_done == 2 && counter == 40000, "40000 increments, none lost");
    return failed;
}

static unsigned check_resource(void)
{
    ERESOURCE resource;
    unsigned failed = 0;

    if (!NT_SUCCESS(ExInitializeResourceLite(&resource)))
        return check(0, "ExInitializeResourceLite");
    ExEnterCriticalRegionAndAcquireResourceExclusive(&resource);
    failed += check(ExIsResourceAcquiredExclusiveLite(&resource), "held exclusively");
    ExReleaseResourceAndLeaveCriticalRegion(&resource);
    ExEnterCriticalRegionAndAcquireResourceShared(&resource);
    failed += check(ExIsResourceAcquiredSharedLite(&resource) == 1, "held shared");
    ExReleaseResourceAndLeaveCriticalRegion(&resource);
    ExEnterCriticalRegionAndAcquireSharedWaitForExclusive(&resource);
    failed += check(ExIsResourceAcquiredSharedLite(&resource) == 1, "held shared, waiting for exclusive");
    ExReleaseResourceAndLeaveCriticalRegion(&resource);
    failed += check(ExIsResourceAcquiredSharedLite(&resource) == 0, "released");
    ExDeleteResourceLite(&resource);
    return failed;
}

#ifdef __clang__ /* MinGW GCC has no __try */
static __declspec(noinline) void raise_it(void)
{
    ExRaiseStatus(STATUS_INVALID_PARAMETER_3);
}

static unsigned check_raise(void)
{
    NTSTATUS caught = STATUS_SUCCESS;

    __try {
        raise_it();
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        caught = STATUS_UNSUCCESSFUL;
    }
    return check(caught == STATUS_UNSUCCESSFUL, "ExRaiseStatus caught by __except");
}
#else
static unsigned check_raise(void)
{
    return 0;
}
#endif

/* --- requests --- */

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS NTAPI on_create_close(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI on_ioctl(PDEVICE_OBJECT dev, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG in = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out = stack->Parameters.DeviceIoControl.OutputBufferLength;
    ULONG *buffer = irp->AssociatedIrp.SystemBuffer;
    NTSTATUS status;
    PIRP next;

    (void)dev;
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_COMPAT_QUEUE_WAIT:
        if (in < sizeof(ULONG) || out < sizeof(ULONG))
            return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
        status = IoCsqInsertIrpEx(&queue, irp, NULL, NULL);
        if (!NT_SUCCESS(status))
            return complete(irp, status, 0);
        return STATUS_PENDING;
    case IOCTL_COMPAT_QUEUE_COMPLETE_NEXT:
        if (out < sizeof(ULONG))
            return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
        next = IoCsqRemoveNextIrp(&queue, NULL);
        if (next) {
            ULONG *data = next->AssociatedIrp.SystemBuffer;
            data[0] *= 2;
            complete(next, STATUS_SUCCESS, sizeof(ULONG));
        }
        buffer[0] = next != NULL;
        return complete(irp, STATUS_SUCCESS, sizeof(ULONG));
    case IOCTL_COMPAT_QUEUE_CHECKS:
        if (out < sizeof(ULONG))
            return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
        buffer[0] = check_guarded_mutex() + check_resource() + check_raise();
        say("checks: %lu failed\n", buffer[0]);
        return complete(irp, STATUS_SUCCESS, sizeof(ULONG));
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

static VOID NTAPI on_unload(PDRIVER_OBJECT driver)
{
    PIRP irp;

    (void)driver;
    while ((irp = IoCsqRemoveNextIrp(&queue, NULL)) != NULL)
        queue_cancelled(&queue, irp);
    IoDeleteSymbolicLink(&link_name);
    IoDeleteDevice(device);
    say("unloaded, %lu left queued\n", pending_count);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\compat_queue");
    NTSTATUS status;

    (void)registry;
    InitializeListHead(&pending);
    KeInitializeSpinLock(&pending_lock);
    status = IoCsqInitializeEx(&queue, queue_insert, queue_remove, queue_peek, queue_lock,
                               queue_unlock, queue_cancelled);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateDevice(driver, 0, &name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE,
                            &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link_name, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = on_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = on_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = on_ioctl;
    driver->DriverUnload = on_unload;
    say("loaded\n");
    return STATUS_SUCCESS;
}
