/*
 * A RUNTIME driver that crashes its host on request, for the crash reports of the Wine harness
 * (tests/wine/crash_report.sh): each request of its device \\.\minwdm_faults ends in one kind of
 * fault inside faults_control, the request handler. Built twice: `faults`, and `faults_imports`
 * (FAULTS_MISSING_IMPORTS), which also imports functions Wine 8 lacks (CmRegisterCallbackEx,
 * CmGetBoundTransaction, CmGetCallbackVersion) or only stubs (ExAllocatePoolWithTagPriority),
 * and calls CmRegisterCallbackEx on request. (Guarded mutexes, which Wine 8 lacks too, come from
 * the kit's compat library: they work.)
 */
#include <minwdm/runtime.h>

#define FAULTS_DEVICE_TYPE 0x815Au
#define FAULTS_CODE(function) ((FAULTS_DEVICE_TYPE << 16) | ((function) << 2)) /* buffered */
#define IOCTL_FAULTS_NULL FAULTS_CODE(0x800)          /* 0x815A2000 */
#define IOCTL_FAULTS_BREAKPOINT FAULTS_CODE(0x801)    /* 0x815A2004 */
#define IOCTL_FAULTS_BUG_CHECK FAULTS_CODE(0x802)     /* 0x815A2008 */
#define IOCTL_FAULTS_UNIMPLEMENTED FAULTS_CODE(0x803) /* 0x815A200C */
#define IOCTL_FAULTS_OTHER_IMPORTS FAULTS_CODE(0x804) /* 0x815A2010 */
#define FAULTS_TAG MEM_TAG('F', 'l', 't', 's')

static DRIVER_UNLOAD faults_unload;
static DRIVER_DISPATCH faults_open_close;
static DRIVER_DISPATCH faults_control;

static NTSTATUS complete(PIRP irp, NTSTATUS status)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS faults_open_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS);
}

#ifdef FAULTS_MISSING_IMPORTS
static LARGE_INTEGER cookie;

static NTSTATUS missing_imports(ULONG code)
{
    ULONG major, minor;

    if (code == IOCTL_FAULTS_OTHER_IMPORTS) {
        void *block = ExAllocatePoolWithTagPriority(NonPagedPoolNx, 16, FAULTS_TAG,
                                                    NormalPoolPriority);
        if (block)
            ExFreePoolWithTag(block, FAULTS_TAG);
        CmGetCallbackVersion(&major, &minor);
        return STATUS_SUCCESS;
    }
    CmRegisterCallbackEx(NULL, NULL, NULL, NULL, &cookie, NULL);
    CmGetBoundTransaction(&cookie, NULL);
    return STATUS_SUCCESS;
}
#else
static NTSTATUS missing_imports(ULONG code)
{
    (void)code;
    return STATUS_INVALID_DEVICE_REQUEST;
}
#endif

static NTSTATUS faults_control(PDEVICE_OBJECT device, PIRP irp)
{
    ULONG code = IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.IoControlCode;
    static volatile int *nowhere;

    (void)device;
    LOG_INFO("request 0x%lx", (unsigned long)code);
    switch (code) {
    case IOCTL_FAULTS_NULL:
        return complete(irp, *nowhere ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL);
    case IOCTL_FAULTS_BREAKPOINT:
        __debugbreak();
        return complete(irp, STATUS_SUCCESS);
    case IOCTL_FAULTS_BUG_CHECK:
        KeBugCheckEx(0xE2 /* MANUALLY_INITIATED_CRASH */, 1, 2, 3, 4);
    case IOCTL_FAULTS_UNIMPLEMENTED:
    case IOCTL_FAULTS_OTHER_IMPORTS:
        return complete(irp, missing_imports(code));
    default:
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST);
    }
}

static void faults_unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\DosDevices\\minwdm_faults");

    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(driver->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\minwdm_faults");
    UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\DosDevices\\minwdm_faults");
    PDEVICE_OBJECT device;
    NTSTATUS status;

    (void)registry_path;
    status = IoCreateDevice(driver, 0, &name, FAULTS_DEVICE_TYPE, FILE_DEVICE_SECURE_OPEN, FALSE,
                            &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = faults_open_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = faults_open_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = faults_control;
    driver->DriverUnload = faults_unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
