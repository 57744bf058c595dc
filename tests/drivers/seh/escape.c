/*
 * seh_escape: a plain WDK-style driver (no kit header, no __try: it builds with every compiler)
 * that reads a bad address with nothing around the load: in its METHOD_NEITHER dispatch routine,
 * its DriverUnload, its DriverEntry (the address in a value of its service key), or in a routine
 * the kernel calls back: a DPC, a timer's DPC, a work item, a completion routine, a system thread
 * (IOCTL_SEH_WDK_ESCAPE_IN). On Windows each is a bug check (0x3B, 0x7E or 0x1E); in the kit's
 * test build, a failed run naming the exception, the routine and the line
 * (tests/wine/seh_escape.sh).
 */
#include <ntddk.h>

#include "seh_wdk.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD EscapeUnload;
static DRIVER_DISPATCH EscapeCreateClose;
static DRIVER_DISPATCH EscapeDeviceControl;
static DRIVER_DISPATCH EscapeInternalControl;
static KDEFERRED_ROUTINE EscapeDpc;
static KDEFERRED_ROUTINE EscapeTimerDpc;
static IO_WORKITEM_ROUTINE EscapeWorkItem;
static IO_COMPLETION_ROUTINE EscapeCompletion;
static KSTART_ROUTINE EscapeThread;

static UNICODE_STRING DeviceName = RTL_CONSTANT_STRING(L"\\Device\\seh_escape");
static UNICODE_STRING LinkName = RTL_CONSTANT_STRING(L"\\DosDevices\\seh_escape");
static ULONG_PTR UnloadAddress; /* what DriverUnload reads (IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD) */
static volatile ULONG Sink;     /* what the routines read, when they can */
static KDPC Dpc, TimerDpc;
static KTIMER Timer;
static PIO_WORKITEM WorkItem;

static NTSTATUS EscapeComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* The routines the kernel calls back, each reading the address it was given. */
static VOID EscapeDpc(PKDPC ThisDpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(ThisDpc);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Argument2);
    Sink = *(volatile ULONG *)Argument1; /* SEH_ESCAPE_DPC_LINE */
}

static VOID EscapeTimerDpc(PKDPC ThisDpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    UNREFERENCED_PARAMETER(ThisDpc);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    Sink = *(volatile ULONG *)Context; /* SEH_ESCAPE_TIMER_LINE */
}

static VOID EscapeWorkItem(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Sink = *(volatile ULONG *)Context; /* SEH_ESCAPE_WORK_ITEM_LINE */
}

static NTSTATUS EscapeCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Sink = *(volatile ULONG *)Context; /* SEH_ESCAPE_COMPLETION_LINE */
    IoFreeIrp(Irp);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static VOID EscapeThread(PVOID Context)
{
    Sink = *(volatile ULONG *)Context; /* SEH_ESCAPE_THREAD_LINE */
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* An IRP of the driver's own, sent to its own device: the completion routine runs when
 * EscapeInternalControl completes it. */
static NTSTATUS SendToSelf(PDEVICE_OBJECT DeviceObject, PVOID Address)
{
    PIRP Inner = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    PIO_STACK_LOCATION Next;

    if (!Inner)
        return STATUS_INSUFFICIENT_RESOURCES;
    Next = IoGetNextIrpStackLocation(Inner);
    Next->MajorFunction = IRP_MJ_INTERNAL_DEVICE_CONTROL;
    IoSetCompletionRoutine(Inner, EscapeCompletion, Address, TRUE, TRUE, TRUE);
    IoCallDriver(DeviceObject, Inner);
    return STATUS_SUCCESS;
}

static NTSTATUS StartThread(PVOID Address)
{
    HANDLE Thread;
    NTSTATUS Status = PsCreateSystemThread(&Thread, THREAD_ALL_ACCESS, NULL, NULL, NULL,
                                           EscapeThread, Address);

    if (NT_SUCCESS(Status))
        ZwClose(Thread);
    return Status;
}

/* Hands the address to the routine the request names; the routine runs later, or at once. */
static NTSTATUS EscapeIn(PDEVICE_OBJECT DeviceObject, ULONG Site, PVOID Address)
{
    LARGE_INTEGER Due;

    switch (Site) {
    case SEH_ESCAPE_DPC:
        KeInsertQueueDpc(&Dpc, Address, NULL);
        return STATUS_SUCCESS;
    case SEH_ESCAPE_TIMER:
        KeInitializeDpc(&TimerDpc, EscapeTimerDpc, Address);
        Due.QuadPart = -100000LL; /* 10 ms from now (100 ns units) */
        KeSetTimer(&Timer, Due, &TimerDpc);
        return STATUS_SUCCESS;
    case SEH_ESCAPE_WORK_ITEM:
        IoQueueWorkItem(WorkItem, EscapeWorkItem, DelayedWorkQueue, Address);
        return STATUS_SUCCESS;
    case SEH_ESCAPE_COMPLETION:
        return SendToSelf(DeviceObject, Address);
    case SEH_ESCAPE_THREAD:
        return StartThread(Address);
    case SEH_ESCAPE_BREAKPOINT: /* no kernel debugger: an exception raised in the kernel */
        DbgBreakPoint(); /* SEH_ESCAPE_BREAKPOINT_LINE */
        return STATUS_SUCCESS;
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

static NTSTATUS EscapeDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    const struct seh_request *Request = Stack->Parameters.DeviceIoControl.Type3InputBuffer;
    struct seh_answer *Answer = Irp->UserBuffer;

    ULONG Code = Stack->Parameters.DeviceIoControl.IoControlCode;
    if (Code == IOCTL_SEH_WDK_ESCAPE_IN) {
        Request = Irp->AssociatedIrp.SystemBuffer;
        if (Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(*Request))
            return EscapeComplete(Irp, STATUS_INVALID_PARAMETER, 0);
        return EscapeComplete(Irp, EscapeIn(DeviceObject, Request->kind,
                                            (PVOID)(ULONG_PTR)Request->address), 0);
    }
    if ((Code != IOCTL_SEH_WDK_ESCAPE && Code != IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD) ||
        Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(*Request) ||
        Stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(*Answer))
        return EscapeComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (Code == IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD) {
        UnloadAddress = (ULONG_PTR)Request->address;
        RtlZeroMemory(Answer, sizeof(*Answer));
        return EscapeComplete(Irp, STATUS_SUCCESS, sizeof(*Answer));
    }
    /* Wine passes copies of the buffers themselves: only the address inside is bad. */
    Answer->value = *(volatile ULONG *)(ULONG_PTR)Request->address; /* SEH_ESCAPE_LINE */
    return EscapeComplete(Irp, STATUS_SUCCESS, sizeof(*Answer));
}

static NTSTATUS EscapeCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return EscapeComplete(Irp, STATUS_SUCCESS, 0);
}

/* The driver's own IRPs (SendToSelf): completed at once. */
static NTSTATUS EscapeInternalControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return EscapeComplete(Irp, STATUS_SUCCESS, 0);
}

static VOID EscapeUnload(PDRIVER_OBJECT DriverObject)
{
    if (UnloadAddress)
        UnloadAddress = *(volatile ULONG *)UnloadAddress; /* SEH_ESCAPE_UNLOAD_LINE */
    KeCancelTimer(&Timer);
    IoFreeWorkItem(WorkItem);
    IoDeleteSymbolicLink(&LinkName);
    IoDeleteDevice(DriverObject->DeviceObject);
}

/* The REG_DWORD SEH_ESCAPE_ENTRY_VALUE of the service key, 0 when there is none. */
static ULONG EntryAddress(PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(SEH_ESCAPE_ENTRY_VALUE);
    OBJECT_ATTRIBUTES Attributes;
    UCHAR Buffer[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    PKEY_VALUE_PARTIAL_INFORMATION Value = (PKEY_VALUE_PARTIAL_INFORMATION)Buffer;
    ULONG Length, Address = 0;
    HANDLE Key;

    InitializeObjectAttributes(&Attributes, RegistryPath, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
                               NULL, NULL);
    if (!NT_SUCCESS(ZwOpenKey(&Key, KEY_READ, &Attributes)))
        return 0;
    if (NT_SUCCESS(ZwQueryValueKey(Key, &Name, KeyValuePartialInformation, Value, sizeof(Buffer),
                                   &Length)) &&
        Value->Type == REG_DWORD && Value->DataLength == sizeof(ULONG))
        RtlCopyMemory(&Address, Value->Data, sizeof(Address));
    ZwClose(Key);
    return Address;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    ULONG Address = EntryAddress(RegistryPath);

    if (Address)
        Sink = *(volatile ULONG *)(ULONG_PTR)Address; /* SEH_ESCAPE_ENTRY_LINE */
    Status = IoCreateDevice(DriverObject, 0, &DeviceName, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    WorkItem = IoAllocateWorkItem(Device);
    if (!WorkItem) {
        IoDeleteDevice(Device);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Status = IoCreateSymbolicLink(&LinkName, &DeviceName);
    if (!NT_SUCCESS(Status)) {
        IoFreeWorkItem(WorkItem);
        IoDeleteDevice(Device);
        return Status;
    }
    KeInitializeDpc(&Dpc, EscapeDpc, NULL);
    KeInitializeTimer(&Timer);
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = EscapeCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = EscapeCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = EscapeDeviceControl;
    DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = EscapeInternalControl;
    DriverObject->DriverUnload = EscapeUnload;
    return STATUS_SUCCESS;
}
