/*
 * A plain WDK-style driver (no kit header) with one planted bug per request, each a bug Wine lets
 * pass and Windows punishes. The verifier must report each with its rule's name and the line
 * marked "plant: <bug>" (or the line after a "plant: <bug> (the next line)" comment); for a rule
 * judged when a routine returns, that routine (device_control, lock_dpc_routine, the completion
 * routines). Request `clean` does everything right. tests/wine/verifier.sh checks it.
 */
#include <ntddk.h>

#include "planted_wdk.h"

#define TAG 'tnlP'

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD driver_unload;
static DRIVER_DISPATCH create_close;
static DRIVER_DISPATCH device_control;

static PDEVICE_OBJECT device;
static KSPIN_LOCK lock_a, lock_b;
static KTIMER timer, lock_timer;
static KDPC timer_dpc, lock_dpc;
static KEVENT lock_dpc_ran;
static KEVENT never;
static UNICODE_STRING registry_path;
static WCHAR registry_path_buffer[260];
static volatile LONG thread_stop;
static PVOID leaked; /* pool_leak: never freed */

static VOID timer_routine(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    UNREFERENCED_PARAMETER(dpc);
    UNREFERENCED_PARAMETER(context);
    UNREFERENCED_PARAMETER(a1);
    UNREFERENCED_PARAMETER(a2);
}

static VOID lock_dpc_routine(PKDPC dpc, PVOID context, PVOID a1, PVOID a2)
{
    UNREFERENCED_PARAMETER(dpc);
    UNREFERENCED_PARAMETER(context);
    UNREFERENCED_PARAMETER(a1);
    UNREFERENCED_PARAMETER(a2);
    KeAcquireSpinLockAtDpcLevel(&lock_b); /* and returns holding it: judged at its return */
    KeSetEvent(&lock_dpc_ran, IO_NO_INCREMENT, FALSE);
}

static VOID thread_notify(HANDLE process, HANDLE thread, BOOLEAN create)
{
    UNREFERENCED_PARAMETER(process);
    UNREFERENCED_PARAMETER(thread);
    UNREFERENCED_PARAMETER(create);
}

static KEVENT worker_done;

static VOID worker(PDEVICE_OBJECT device_object, PVOID context)
{
    UNREFERENCED_PARAMETER(device_object);
    IoFreeWorkItem((PIO_WORKITEM)context);
    KeSetEvent(&worker_done, IO_NO_INCREMENT, FALSE);
}

static VOID system_thread(PVOID context)
{
    LARGE_INTEGER interval;

    UNREFERENCED_PARAMETER(context);
    interval.QuadPart = -200000LL; /* 20 ms */
    while (!thread_stop)
        KeDelayExecutionThread(KernelMode, FALSE, &interval);
    /* Still running a while after DriverUnload returned, which did not wait for it: the bug. */
    interval.QuadPart = -5000000LL; /* 500 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &interval);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Completion routines: the driver sends itself a request (completion_target, completed at once
 * by device_control) with one of these set, as a driver passing an IRP down does. */
static KIRQL completion_irql_seen;

static NTSTATUS completion_clean(PDEVICE_OBJECT device_object, PIRP irp, PVOID context)
{
    KIRQL old;
    PVOID p;

    UNREFERENCED_PARAMETER(device_object);
    UNREFERENCED_PARAMETER(irp);
    UNREFERENCED_PARAMETER(context);
    completion_irql_seen = KeGetCurrentIrql(); /* DISPATCH_LEVEL: what the verifier runs it at */
    KeAcquireSpinLock(&lock_a, &old);
    p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, TAG);
    KeReleaseSpinLock(&lock_a, old);
    if (p)
        ExFreePoolWithTag(p, TAG);
    return STATUS_SUCCESS;
}

static NTSTATUS completion_passive_call(PDEVICE_OBJECT device_object, PIRP irp, PVOID context)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"KeQueryTimeIncrement");

    UNREFERENCED_PARAMETER(device_object);
    UNREFERENCED_PARAMETER(irp);
    UNREFERENCED_PARAMETER(context);
    MmGetSystemRoutineAddress(&name); /* plant: completion_irql */
    return STATUS_SUCCESS;
}

static NTSTATUS completion_lowers_irql(PDEVICE_OBJECT device_object, PIRP irp, PVOID context)
{
    UNREFERENCED_PARAMETER(device_object);
    UNREFERENCED_PARAMETER(irp);
    UNREFERENCED_PARAMETER(context);
    KeLowerIrql(PASSIVE_LEVEL); /* and returns there: judged at its return */
    return STATUS_SUCCESS;
}

static NTSTATUS completion_keeps_lock(PDEVICE_OBJECT device_object, PIRP irp, PVOID context)
{
    UNREFERENCED_PARAMETER(device_object);
    UNREFERENCED_PARAMETER(irp);
    UNREFERENCED_PARAMETER(context);
    KeAcquireSpinLockAtDpcLevel(&lock_b); /* and returns holding it: judged at its return */
    return STATUS_SUCCESS;
}

/* Sends completion_target to the driver's own device with `routine` as its completion routine. */
static NTSTATUS send_with_completion(PIO_COMPLETION_ROUTINE routine)
{
    IO_STATUS_BLOCK io;
    KEVENT done;
    PIRP irp;

    KeInitializeEvent(&done, NotificationEvent, FALSE);
    irp = IoBuildDeviceIoControlRequest(PLANTED_CODE(31), device, NULL, 0, NULL, 0, FALSE, &done,
                                        &io);
    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    IoSetCompletionRoutine(irp, routine, NULL, TRUE, TRUE, TRUE);
    if (IoCallDriver(device, irp) == STATUS_PENDING)
        KeWaitForSingleObject(&done, Executive, KernelMode, FALSE, NULL);
    return STATUS_SUCCESS;
}

static void paged_helper(void)
{
    PAGED_CODE(); /* plant: paged_code */
}

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

/* Bugs that need no IRP trick: each returns the status to complete the request with. */
static NTSTATUS plant_simple(ULONG bug)
{
    KIRQL old;
    PVOID p;

    switch (bug) {
    case 0: { /* clean: the same calls, right */
        PIO_WORKITEM item = IoAllocateWorkItem(device);
        if (item) {
            KeClearEvent(&worker_done);
            IoQueueWorkItem(item, worker, DelayedWorkQueue, item);
            KeWaitForSingleObject(&worker_done, Executive, KernelMode, FALSE, NULL);
        }
        KeAcquireSpinLock(&lock_a, &old);
        p = ExAllocatePoolWithTag(NonPagedPoolNx, 32, TAG);
        KeReleaseSpinLock(&lock_a, old);
        if (p)
            ExFreePoolWithTag(p, TAG);
        paged_helper();
        completion_irql_seen = PASSIVE_LEVEL;
        send_with_completion(completion_clean);
        /* The request fails when its completion routine ran at another IRQL than Windows'. */
        return completion_irql_seen == DISPATCH_LEVEL ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
    }
    case 1:
        KeAcquireSpinLock(&lock_a, &old);
        p = ExAllocatePoolWithTag(PagedPool, 32, TAG); /* plant: irql */
        KeReleaseSpinLock(&lock_a, old);
        if (p)
            ExFreePoolWithTag(p, TAG);
        return STATUS_SUCCESS;
    case 2: {
        LARGE_INTEGER timeout;
        timeout.QuadPart = -10; /* 1 us: a real wait */
        KeAcquireSpinLock(&lock_a, &old);
        KeWaitForSingleObject(&never, Executive, KernelMode, FALSE, &timeout); /* plant: irql_wait */
        KeReleaseSpinLock(&lock_a, old);
        return STATUS_SUCCESS;
    }
    case 3:
        KeAcquireSpinLock(&lock_a, &old);
        paged_helper();
        KeReleaseSpinLock(&lock_a, old);
        return STATUS_SUCCESS;
    case 4:
        KeRaiseIrql(DISPATCH_LEVEL, &old); /* never lowered: judged at device_control's return */
        return STATUS_SUCCESS;
    case 5:
        leaked = ExAllocatePoolWithTag(NonPagedPoolNx, 48, TAG); /* plant: pool_leak */
        return STATUS_SUCCESS;
    case 6:
        p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, TAG);
        if (p) {
            ExFreePoolWithTag(p, TAG);
            ExFreePoolWithTag(p, TAG); /* plant: pool_double_free */
        }
        return STATUS_SUCCESS;
    case 7:
        p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, TAG);
        if (p)
            ExFreePoolWithTag(p, 'gnrW'); /* plant: pool_tag */
        return STATUS_SUCCESS;
    case 8:
        p = ExAllocatePoolWithTag(NonPagedPool, 16, TAG); /* plant: pool_executable */
        if (p)
            ExFreePoolWithTag(p, TAG);
        return STATUS_SUCCESS;
    case 9:
        KeAcquireSpinLock(&lock_a, &old); /* never released: judged at device_control's return */
        return STATUS_SUCCESS;
    case 10:
        KeAcquireSpinLock(&lock_a, &old);
        KeAcquireSpinLockAtDpcLevel(&lock_a); /* plant: lock_recursive */
        KeReleaseSpinLockFromDpcLevel(&lock_a);
        KeReleaseSpinLock(&lock_a, old);
        return STATUS_SUCCESS;
    case 11:
        KeAcquireSpinLock(&lock_a, &old);
        KeReleaseSpinLock(&lock_a, DISPATCH_LEVEL); /* plant: lock_not_owner */
        KeLowerIrql(old);
        return STATUS_SUCCESS;
    case 12:
        KeAcquireSpinLock(&lock_a, &old);
        KeAcquireSpinLockAtDpcLevel(&lock_b);
        KeReleaseSpinLockFromDpcLevel(&lock_b);
        KeReleaseSpinLock(&lock_a, old);
        KeAcquireSpinLock(&lock_b, &old);
        KeAcquireSpinLockAtDpcLevel(&lock_a); /* plant: lock_order */
        KeReleaseSpinLockFromDpcLevel(&lock_a);
        KeReleaseSpinLock(&lock_b, old);
        return STATUS_SUCCESS;
    case 19:
        return PsSetCreateThreadNotifyRoutine(thread_notify); /* plant: unload_callback */
    case 20: {
        LARGE_INTEGER due;
        due.QuadPart = -10LL * 1000 * 1000 * 3600; /* an hour */
        KeSetTimer(&timer, due, &timer_dpc); /* plant: unload_timer */
        return STATUS_SUCCESS;
    }
    case 21:
        return IoAllocateWorkItem(device) ? STATUS_SUCCESS /* plant: unload_workitem */
                                          : STATUS_INSUFFICIENT_RESOURCES;
    case 22: {
        HANDLE thread;
        /* plant: unload_thread (the next line) */
        NTSTATUS status = PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                               system_thread, NULL);
        if (NT_SUCCESS(status))
            ZwClose(thread);
        return status;
    }
    case 23: {
        PDEVICE_OBJECT extra;
        /* plant: unload_device (the next line) */
        return IoCreateDevice(device->DriverObject, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE,
                              &extra);
    }
    case 24: {
        UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\DosDevices\\PlantedWdkExtra");
        UNICODE_STRING target = RTL_CONSTANT_STRING(PLANTED_DEVICE_NAME);
        return IoCreateSymbolicLink(&link, &target); /* plant: unload_symlink */
    }
    case 25: {
        static UCHAR buffer[64];
        return IoAllocateMdl(buffer, sizeof(buffer), FALSE, FALSE, NULL) /* plant: unload_mdl */
                   ? STATUS_SUCCESS
                   : STATUS_INSUFFICIENT_RESOURCES;
    }
    case 26:
        ObReferenceObject(device); /* plant: unload_reference */
        return STATUS_SUCCESS;
    case 27: {
        OBJECT_ATTRIBUTES attributes;
        HANDLE key;
        InitializeObjectAttributes(&attributes, &registry_path,
                                   OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
        return ZwOpenKey(&key, KEY_READ, &attributes); /* plant: unload_handle */
    }
    case 29: {
        LARGE_INTEGER due, wait;
        due.QuadPart = -10000LL; /* 1 ms */
        wait.QuadPart = -10LL * 1000 * 1000 * 5;
        KeSetTimer(&lock_timer, due, &lock_dpc);
        return KeWaitForSingleObject(&lock_dpc_ran, Executive, KernelMode, FALSE, &wait);
    }
    case 30:
        p = ExAllocatePoolWithQuotaTag(NonPagedPoolNx, 16, TAG);
        if (!p)
            return STATUS_INSUFFICIENT_RESOURCES;
        ExFreePoolWithTag(p, TAG);
        return STATUS_SUCCESS;
    case 31:
        return STATUS_SUCCESS;
    case 32:
        return send_with_completion(completion_passive_call);
    case 33:
        return send_with_completion(completion_lowers_irql);
    case 34:
        return send_with_completion(completion_keeps_lock);
    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}

static NTSTATUS device_control(PDEVICE_OBJECT device_object, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG code = stack->Parameters.DeviceIoControl.IoControlCode;
    ULONG bug = (code >> 2 & 0xFFF) - 0x800;

    UNREFERENCED_PARAMETER(device_object);
    if (code != PLANTED_CODE(bug))
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    switch (bug) {
    case 13: /* completed, then STATUS_PENDING without IoMarkIrpPending */
        complete(irp, STATUS_SUCCESS, 0);
        return STATUS_PENDING;
    case 14:
        irp->IoStatus.Status = STATUS_SUCCESS;
        irp->IoStatus.Information = 0;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
        IoCompleteRequest(irp, IO_NO_INCREMENT); /* plant: irp_completed_twice */
        return STATUS_SUCCESS;
    case 15:
        complete(irp, STATUS_SUCCESS, 0);
        return STATUS_UNSUCCESSFUL; /* not what the IRP was completed with */
    case 16:
        irp->IoStatus.Status = STATUS_SUCCESS;
        irp->IoStatus.Information = 4096; /* the output buffer has 16 bytes */
        IoCompleteRequest(irp, IO_NO_INCREMENT); /* plant: irp_information */
        return STATUS_SUCCESS;
    case 17:
        return STATUS_SUCCESS; /* neither completed nor pending */
    case 18:
        irp->IoStatus.Status = STATUS_PENDING;
        IoCompleteRequest(irp, IO_NO_INCREMENT); /* plant: irp_completed_pending */
        return STATUS_PENDING;
    case 28:
        IoMarkIrpPending(irp); /* and never completed, with no cancel routine */
        return STATUS_PENDING;
    default:
        return complete(irp, plant_simple(bug), 0);
    }
}

static NTSTATUS create_close(PDEVICE_OBJECT device_object, PIRP irp)
{
    UNREFERENCED_PARAMETER(device_object);
    return complete(irp, STATUS_SUCCESS, 0);
}

static VOID driver_unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(PLANTED_LINK_NAME);

    UNREFERENCED_PARAMETER(driver);
    thread_stop = 1; /* and not waited for: unload_thread */
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(device);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(PLANTED_DEVICE_NAME);
    UNICODE_STRING link = RTL_CONSTANT_STRING(PLANTED_LINK_NAME);
    NTSTATUS status;

    registry_path.Buffer = registry_path_buffer;
    registry_path.MaximumLength = sizeof(registry_path_buffer);
    RtlCopyUnicodeString(&registry_path, path);
    KeInitializeSpinLock(&lock_a);
    KeInitializeSpinLock(&lock_b);
    KeInitializeTimer(&timer);
    KeInitializeTimer(&lock_timer);
    KeInitializeEvent(&lock_dpc_ran, NotificationEvent, FALSE);
    KeInitializeEvent(&worker_done, NotificationEvent, FALSE);
    KeInitializeDpc(&timer_dpc, timer_routine, NULL);
    KeInitializeDpc(&lock_dpc, lock_dpc_routine, NULL);
    KeInitializeEvent(&never, NotificationEvent, FALSE);
    status = IoCreateDevice(driver, 0, &name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE,
                            &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = device_control;
    driver->DriverUnload = driver_unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
