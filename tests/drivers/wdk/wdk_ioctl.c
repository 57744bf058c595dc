/*
 * wdk_ioctl: a driver written in MSVC's C, the way WDK code is (Microsoft's ioctl sample among
 * others), built with add_wdm_driver(... WDK_COMPAT) and nothing changed: try/except/finally/
 * leave without underscores, L#x, "lit" ## x pasting, a comma before an empty __VA_ARGS__,
 * __annotation, #pragma prefast and warning, SAL role annotations, DWORD, POOL_NX_OPTIN with
 * ExInitializeDriverRuntime and ExAllocatePoolZero, IoCreateDeviceSecure with an SDDL string
 * of <wdmsec.h>. Its device answers a request per transfer method; tests/wine/wdk.sh sends them.
 */
#include <ntddk.h>
#include <wdmsec.h>

#include "wdk_ioctl.h"

#define WDK_TAG 'tIdW'

/* MSVC's preprocessor: a comma before an empty __VA_ARGS__ disappears, and "lit" ## fmt gives
 * the two string literals side by side. */
#define WdkPrint(fmt, ...) \
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "wdk_ioctl: " ## fmt "\n", __VA_ARGS__)
/* Wide stringizing, as NT_ASSERT writes it. */
#define WdkAssert(e) ((!(e)) ? (__annotation(L"Debug", L"AssertFail", L#e), FALSE) : TRUE)
#define WIDEN(x) L#x

#if defined(POOL_NX_OPTIN)
C_ASSERT(NonPagedPool == NonPagedPoolNx);
#endif

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD WdkUnload;
_Dispatch_type_(IRP_MJ_CREATE) _Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH WdkCreateClose;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH WdkDeviceControl;

static UNICODE_STRING DeviceName = RTL_CONSTANT_STRING(L"\\Device\\wdk_ioctl");
static UNICODE_STRING LinkName = RTL_CONSTANT_STRING(L"\\DosDevices\\wdk_ioctl");

/* "<tag> <INPUT IN CAPITALS>" into out; returns the bytes written. */
static ULONG WdkReply(const char *tag, const UCHAR *in, ULONG inLength, PUCHAR out,
                      ULONG outLength)
{
    ULONG used = 0;

    while (*tag && used < outLength)
        out[used++] = (UCHAR)*tag++;
    if (used < outLength)
        out[used++] = ' ';
    for (ULONG i = 0; i < inLength && used < outLength; i++)
        out[used++] = (in[i] >= 'a' && in[i] <= 'z') ? (UCHAR)(in[i] - 'a' + 'A') : in[i];
    return used;
}

/* Reads through a pointer in a function of its own: clang's structured exception handling is
 * synchronous, so the fault must happen in a call made from the try block. The pointer is read
 * from memory, so that the compiler cannot see the NULL and drop the read. */
static volatile DWORD *volatile WdkNowhere;

static __declspec(noinline) DWORD WdkRead(volatile DWORD *where)
{
    return *where;
}

/* try/except around a fault, try/finally around a leave and around the except: what MSVC's C
 * spells without underscores. result[0]: the code the except filter saw; [1]: how many finally
 * blocks ran; [2]: the code GetExceptionCode() gives in the except block itself, which Wine 8
 * leaves at 0 (its __C_specific_handler passes RtlUnwindEx no return value; Windows passes the
 * exception code, which clang's except block reads). */
static VOID WdkStructuredExceptions(ULONG result[3])
{
    NTSTATUS filtered = STATUS_SUCCESS;

    result[1] = 0;
    result[2] = 0;
    try {
        try {
            WdkRead(WdkNowhere);
        } finally {
            result[1]++;
        }
    } except (filtered = GetExceptionCode(), EXCEPTION_EXECUTE_HANDLER) {
        result[2] = (ULONG)GetExceptionCode();
    }
    try {
        if (filtered != STATUS_SUCCESS) {
            leave;
        }
        filtered = STATUS_UNSUCCESSFUL;
    } finally {
        result[1]++;
    }
    result[0] = (ULONG)filtered;
}

_IRQL_requires_max_(PASSIVE_LEVEL)
static NTSTATUS WdkNeither(PIO_STACK_LOCATION stack, PIRP Irp, PULONG written)
{
    PVOID in = stack->Parameters.DeviceIoControl.Type3InputBuffer;
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    UCHAR copy[WDK_IOCTL_MAX_INPUT];
    NTSTATUS status = STATUS_SUCCESS;

    *written = 0;
    if (inLength > sizeof(copy)) {
        return STATUS_INVALID_PARAMETER;
    }
    try {
        ProbeForRead(in, inLength, sizeof(UCHAR));
        RtlCopyMemory(copy, in, inLength);
        ProbeForWrite(Irp->UserBuffer, outLength, sizeof(UCHAR));
        *written = WdkReply("NEITHER", copy, inLength, Irp->UserBuffer, outLength);
    } except (EXCEPTION_EXECUTE_HANDLER) {
        status = GetExceptionCode();
        *written = 0;
    }
    return status;
}

_Use_decl_annotations_
NTSTATUS WdkDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(Irp);
    ULONG inLength = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG outLength = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PUCHAR system = Irp->AssociatedIrp.SystemBuffer;
    NTSTATUS status = STATUS_SUCCESS;
    ULONG written = 0;
    PUCHAR mapped;

    UNREFERENCED_PARAMETER(DeviceObject);
    if (inLength > WDK_IOCTL_MAX_INPUT) {
        status = STATUS_INVALID_PARAMETER;
        goto done;
    }
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_WDK_BUFFERED: {
        /* One buffer both ways: the input is read whole before the reply overwrites it. */
        UCHAR copy[WDK_IOCTL_MAX_INPUT];
        if (inLength) {
            RtlCopyMemory(copy, system, inLength);
        }
        written = WdkReply("BUFFERED", copy, inLength, system, outLength);
        break;
    }
    case IOCTL_WDK_IN_DIRECT:
    case IOCTL_WDK_OUT_DIRECT:
        /* The second buffer comes locked and described by an MDL: data for the driver (IN)
         * or for the caller (OUT). */
        mapped = Irp->MdlAddress ? MmGetSystemAddressForMdlSafe(Irp->MdlAddress,
                                                                NormalPagePriority |
                                                                    MdlMappingNoExecute)
                                 : NULL;
        if (mapped == NULL) {
            status = outLength ? STATUS_INSUFFICIENT_RESOURCES : STATUS_BUFFER_TOO_SMALL;
        } else if (stack->Parameters.DeviceIoControl.IoControlCode == IOCTL_WDK_IN_DIRECT) {
            /* The caller's data, read where it lies: the bytes read are the bytes reported. */
            DWORD sum = 0;
            for (ULONG i = 0; i < outLength; i++) {
                sum += mapped[i];
            }
            WdkPrint("IN_DIRECT: %lu bytes read, their sum %lu", (unsigned long)outLength,
                     (unsigned long)sum);
            written = outLength;
        } else {
            written = WdkReply("OUT_DIRECT", system, inLength, mapped, outLength);
        }
        break;
    case IOCTL_WDK_NEITHER:
        status = WdkNeither(stack, Irp, &written);
        break;
    case IOCTL_WDK_SEH:
        if (outLength < 3 * sizeof(ULONG)) {
            status = STATUS_BUFFER_TOO_SMALL;
            break;
        }
        WdkStructuredExceptions((PULONG)system);
        written = 3 * sizeof(ULONG);
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
done:
    Irp->IoStatus.Status = status;
    Irp->IoStatus.Information = NT_SUCCESS(status) ? written : 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return status;
}

_Use_decl_annotations_
NTSTATUS WdkCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_SUCCESS;
}

_Use_decl_annotations_
VOID WdkUnload(PDRIVER_OBJECT DriverObject)
{
    IoDeleteSymbolicLink(&LinkName);
    IoDeleteDevice(DriverObject->DeviceObject);
    WdkPrint("unloaded");
}

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING badSddl = RTL_CONSTANT_STRING(L"D:(A;;GA;;;WD)"); /* not protected */
    UNICODE_STRING wide = RTL_CONSTANT_STRING(WIDEN(stringized wide));
    PDEVICE_OBJECT device = NULL;
    NTSTATUS status;
    PVOID scratch;

    UNREFERENCED_PARAMETER(RegistryPath);
    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);
#pragma warning(push)
#pragma warning(disable : 4127)
#pragma prefast(suppress : 28197, "freed below")
    scratch = ExAllocatePoolZero(NonPagedPool, 64, WDK_TAG);
#pragma warning(pop)
    if (scratch == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    WdkPrint("zeroed pool: %d", ((PUCHAR)scratch)[63] == 0 && ((PUCHAR)scratch)[0] == 0);
    ExFreePoolWithTag(scratch, WDK_TAG);
    WdkPrint("L#x: %ws, %u bytes", wide.Buffer, (unsigned)wide.Length);
    WdkAssert(wide.Length == sizeof(L"stringized wide") - sizeof(WCHAR));

    /* A string outside IoCreateDeviceSecure's subset: refused, and no device made. */
    status = IoCreateDeviceSecure(DriverObject, 0, &DeviceName, WDK_IOCTL_TYPE,
                                  FILE_DEVICE_SECURE_OPEN, FALSE, &badSddl, NULL, &device);
    WdkPrint("unprotected SDDL refused: 0x%08x, device %p", (unsigned)status, (PVOID)device);
    status = IoCreateDeviceSecure(DriverObject, 0, &DeviceName, WDK_IOCTL_TYPE,
                                  FILE_DEVICE_SECURE_OPEN, FALSE, &SDDL_DEVOBJ_SYS_ALL_ADM_ALL,
                                  NULL, &device);
    if (!NT_SUCCESS(status)) {
        WdkPrint("IoCreateDeviceSecure failed: 0x%08x", (unsigned)status);
        return status;
    }
    status = IoCreateSymbolicLink(&LinkName, &DeviceName);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    DriverObject->MajorFunction[IRP_MJ_CREATE] = WdkCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = WdkCreateClose;
    DriverObject->MajorFunction[IRP_MJ_DEVICE_CONTROL] = WdkDeviceControl;
    DriverObject->DriverUnload = WdkUnload;
#if defined(__clang_major__) && __clang_major__ >= 18
    WdkPrint("loaded by " __FUNCTION__); /* a string literal only from clang 18 on */
#else
    WdkPrint("loaded by %s", __FUNCTION__);
#endif
    WdkPrint("loaded");
    return STATUS_SUCCESS;
}
