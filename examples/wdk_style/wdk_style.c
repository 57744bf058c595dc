/*
 * wdk_style: a driver written the way the WDK samples write them: role-type declarations, SAL
 * annotations, PAGED_CODE(), #pragma alloc_text, multi-character pool tags, ExAllocatePool2,
 * an MDL mapped with MdlMappingNoExecute and __try/__except around a probe of a caller's buffer.
 * It builds with minwdm's clang toolchain unchanged: what mingw-w64's DDK lacks comes from
 * <minwdm/wdm_compat.h>, which <ntddk.h> brings in. MinGW GCC cannot compile __try/__except.
 *
 * Its device, \\.\wdk_style, answers one METHOD_NEITHER request, IOCTL_WDK_STYLE_SUM: the input
 * is an array of ULONGs in the caller's memory; the output, a ULONG, their sum.
 */
#include <ntddk.h>

#define WDK_STYLE_TAG 'ksdW' /* shows as "Wdsk" in pool tools */
#define IOCTL_WDK_STYLE_SUM CTL_CODE(0x8158u, 0x800, METHOD_NEITHER, FILE_READ_ACCESS)
#define WDK_STYLE_MAX_BYTES 4096

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD WdkStyleUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH WdkStyleCreateClose;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH WdkStyleDeviceControl;

/* The WDK places code with alloc_text; minwdm's compilers do not know it, so minwdm's drivers use
 * the compat header's MINWDM_INIT_CODE and MINWDM_PAGED_CODE, which the WDK ignores. */
#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, WdkStyleUnload)
#pragma alloc_text(PAGE, WdkStyleCreateClose)
#pragma alloc_text(PAGE, WdkStyleDeviceControl)
#endif

static UNICODE_STRING DeviceName = RTL_CONSTANT_STRING(L"\\Device\\wdk_style");
static UNICODE_STRING LinkName = RTL_CONSTANT_STRING(L"\\DosDevices\\wdk_style");

/* Copies the caller's array into pool memory through an MDL: probe and lock (which raises on a
 * bad address, hence __try), map without execute rights, copy, unlock. */
_IRQL_requires_max_(PASSIVE_LEVEL)
static NTSTATUS
WdkStyleCaptureUserBuffer(_In_reads_bytes_(Length) PVOID UserBuffer, _In_ ULONG Length,
                          _Outptr_result_bytebuffer_(Length) PULONG *Captured)
{
    NTSTATUS status = STATUS_SUCCESS;
    PMDL mdl;
    PVOID mapped;
    PULONG copy;

    PAGED_CODE();
    *Captured = NULL;
    mdl = IoAllocateMdl(UserBuffer, Length, FALSE, FALSE, NULL);
    if (mdl == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    __try {
        ProbeForRead(UserBuffer, Length, sizeof(ULONG));
        MmProbeAndLockPages(mdl, UserMode, IoReadAccess);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
    }
    if (!NT_SUCCESS(status)) {
        IoFreeMdl(mdl);
        return status;
    }
    mapped = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
    copy = mapped ? ExAllocatePool2(POOL_FLAG_NON_PAGED, Length, WDK_STYLE_TAG) : NULL;
    if (copy != NULL) {
        RtlCopyMemory(copy, mapped, Length);
        *Captured = copy;
    } else {
        status = STATUS_INSUFFICIENT_RESOURCES;
    }
    MmUnlockPages(mdl);
    IoFreeMdl(mdl);
    return status;
}

_Use_decl_annotations_
MINWDM_PAGED_CODE NTSTATUS
WdkStyleDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    NTSTATUS status;
    PULONG values;
    ULONG sum = 0;

    UNREFERENCED_PARAMETER(DeviceObject);
    PAGED_CODE();
    Irp->IoStatus.Information = 0;
    if (stack->Parameters.DeviceIoControl.IoControlCode != IOCTL_WDK_STYLE_SUM) {
        status = STATUS_INVALID_DEVICE_REQUEST;
    } else if (inLength == 0 || inLength > WDK_STYLE_MAX_BYTES || inLength % sizeof(ULONG) != 0) {
        status = STATUS_INVALID_PARAMETER;
    } else if (outLength < sizeof(ULONG)) {
        status = STATUS_BUFFER_TOO_SMALL;
    } else {
        status = WdkStyleCaptureUserBuffer(stack->Parameters.DeviceIoControl.Type3InputBuffer,
                                           inLength, &values);
        if (NT_SUCCESS(status)) {
            for (ULONG i = 0; i < inLength / sizeof(ULONG); i++) {
                sum += values[i];
            }
            ExFreePoolWithTag(values, WDK_STYLE_TAG);
            __try {
                ProbeForWrite(Irp->UserBuffer, sizeof(ULONG), sizeof(ULONG));
                *(PULONG)Irp->UserBuffer = sum;
                Irp->IoStatus.Information = sizeof(ULONG);
            } __except (EXCEPTION_EXECUTE_HANDLER) {
                status = GetExceptionCode();
            }
        }
    }
    Irp->IoStatus.Status = status;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

_Use_decl_annotations_
MINWDM_PAGED_CODE NTSTATUS
WdkStyleCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    PAGED_CODE();
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
MINWDM_PAGED_CODE VOID
WdkStyleUnload(PDRIVER_OBJECT DriverObject)
{
    PAGED_CODE();
    IoDeleteSymbolicLink(&LinkName);
    IoDeleteDevice(DriverObject->DeviceObject);
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "wdk_style: unloaded\n");
}

_Use_decl_annotations_
MINWDM_INIT_CODE NTSTATUS
DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT device = NULL;
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    status = IoCreateDevice(DriverObject, 0, &DeviceName, FILE_DEVICE_UNKNOWN,
                            FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = IoCreateSymbolicLink(&LinkName, &DeviceName);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    DriverObject->MajorFunction[IRP_MJ_CREATE] = WdkStyleCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = WdkStyleCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = WdkStyleDeviceControl;
    DriverObject->DriverUnload = WdkStyleUnload;
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "wdk_style: loaded\n");
    return STATUS_SUCCESS;
}
