/*
 * seh_wdk: a plain WDK-style driver (no kit header) whose METHOD_NEITHER request reads the
 * caller's pointer inside __try with no call in the body, in C and C++, optimised and not
 * (seh_reads.inc); its own __except answers (add_wdm_test seh.wdk). The same read with no
 * __try: escape.c.
 */
#include <ntddk.h>

#include "seh_wdk.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD SehUnload;
static DRIVER_DISPATCH SehCreateClose;
static DRIVER_DISPATCH SehDeviceControl;

#define SEH_VARIANT_FUNCTIONS(suffix)                                                              \
    VOID seh_read_except_##suffix(ULONG_PTR address, struct seh_answer *answer);                  \
    VOID seh_read_finally_##suffix(ULONG_PTR address, struct seh_answer *answer);
SEH_VARIANT_FUNCTIONS(c_optimised)
SEH_VARIANT_FUNCTIONS(c_debug)
#ifdef SEH_WDK_C_ONLY /* a compiler that refuses C++ __try (tests/drivers/seh/CMakeLists.txt) */
#define seh_read_except_cxx_optimised seh_read_except_c_optimised
#define seh_read_finally_cxx_optimised seh_read_finally_c_optimised
#define seh_read_except_cxx_debug seh_read_except_c_debug
#define seh_read_finally_cxx_debug seh_read_finally_c_debug
#else
SEH_VARIANT_FUNCTIONS(cxx_optimised)
SEH_VARIANT_FUNCTIONS(cxx_debug)
#endif

typedef VOID SEH_READ(ULONG_PTR address, struct seh_answer *answer);
static SEH_READ *const SehReads[SEH_VARIANTS][SEH_KINDS] = {
    {seh_read_except_c_optimised, seh_read_finally_c_optimised},
    {seh_read_except_c_debug, seh_read_finally_c_debug},
    {seh_read_except_cxx_optimised, seh_read_finally_cxx_optimised},
    {seh_read_except_cxx_debug, seh_read_finally_cxx_debug},
};

static UNICODE_STRING DeviceName = RTL_CONSTANT_STRING(L"\\Device\\seh_wdk");
static UNICODE_STRING LinkName = RTL_CONSTANT_STRING(L"\\DosDevices\\seh_wdk");

static NTSTATUS SehComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* The request, copied from the caller's buffer under __try as WDK code does. */
static NTSTATUS SehReadRequest(PIO_STACK_LOCATION Stack, PIRP Irp, struct seh_request *Request)
{
    NTSTATUS Status = STATUS_SUCCESS;
    PVOID Input = Stack->Parameters.DeviceIoControl.Type3InputBuffer;

    if (Stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(*Request))
        return STATUS_INVALID_PARAMETER;
    __try {
        if (Irp->RequestorMode == UserMode)
            ProbeForRead(Input, sizeof(*Request), 1);
        RtlCopyMemory(Request, Input, sizeof(*Request));
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = STATUS_ACCESS_VIOLATION;
    }
    return Status;
}

static NTSTATUS SehWriteAnswer(PIO_STACK_LOCATION Stack, PIRP Irp, const struct seh_answer *Answer)
{
    NTSTATUS Status = STATUS_SUCCESS;

    if (Stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(*Answer))
        return STATUS_BUFFER_TOO_SMALL;
    __try {
        if (Irp->RequestorMode == UserMode)
            ProbeForWrite(Irp->UserBuffer, sizeof(*Answer), 1);
        RtlCopyMemory(Irp->UserBuffer, Answer, sizeof(*Answer));
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        Status = STATUS_ACCESS_VIOLATION;
    }
    return Status;
}

static NTSTATUS SehDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack = IoGetCurrentIrpStackLocation(Irp);
    struct seh_request Request;
    struct seh_answer Answer = {0, 0, 0, 0};
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(DeviceObject);
    Status = SehReadRequest(Stack, Irp, &Request);
    if (!NT_SUCCESS(Status))
        return SehComplete(Irp, Status, 0);
    switch (Stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_SEH_WDK_READ:
        if (Request.variant >= SEH_VARIANTS || Request.kind >= SEH_KINDS)
            return SehComplete(Irp, STATUS_INVALID_PARAMETER, 0);
        SehReads[Request.variant][Request.kind]((ULONG_PTR)Request.address, &Answer);
        break;
    default:
        return SehComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
               "seh_wdk: variant %u kind %u: handled 0x%08X, code 0x%08X, finally %u\n",
               Request.variant, Request.kind, Answer.handled, Answer.code, Answer.finally_runs);
    Status = SehWriteAnswer(Stack, Irp, &Answer);
    return SehComplete(Irp, Status, NT_SUCCESS(Status) ? sizeof(Answer) : 0);
}

static NTSTATUS SehCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return SehComplete(Irp, STATUS_SUCCESS, 0);
}

static VOID SehUnload(PDRIVER_OBJECT DriverObject)
{
    IoDeleteSymbolicLink(&LinkName);
    IoDeleteDevice(DriverObject->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(RegistryPath);
    Status = IoCreateDevice(DriverObject, 0, &DeviceName, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoCreateSymbolicLink(&LinkName, &DeviceName);
    if (!NT_SUCCESS(Status)) {
        IoDeleteDevice(Device);
        return Status;
    }
    Device->Flags |= DO_BUFFERED_IO;
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = SehCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = SehCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = SehDeviceControl;
    DriverObject->DriverUnload = SehUnload;
    return STATUS_SUCCESS;
}
