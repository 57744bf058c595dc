/*
 * A RUNTIME driver that crashes its host on request, for the crash reports of the Wine harness
 * (tests/wine/crash_report.sh): each request of its device \\.\minwdm_faults ends in one kind of
 * fault inside faults_control, the request handler, or in what it calls (a copy to NULL inside
 * the system's memcpy or the kit's formatter, a recursion without end). Built twice: `faults`, and `faults_imports`
 * (FAULTS_MISSING_IMPORTS), which also imports functions Wine 8 lacks (CmRegisterCallbackEx,
 * CmGetBoundTransaction, CmGetCallbackVersion) or only stubs (ExAllocatePoolWithTagPriority),
 * and calls CmRegisterCallbackEx on request (guarded mutexes, which Wine 8 lacks too, come from
 * the kit's compat library: they work). Its test build (faults.special) puts every block in
 * the special pool: a 1-byte overrun and a write after free then fault at the writing line.
 */
#include <minwdm/runtime.h>

#define FAULTS_DEVICE_TYPE 0x815Au
#define FAULTS_CODE(function) ((FAULTS_DEVICE_TYPE << 16) | ((function) << 2)) /* buffered */
#define IOCTL_FAULTS_NULL FAULTS_CODE(0x800)          /* 0x815A2000 */
#define IOCTL_FAULTS_BREAKPOINT FAULTS_CODE(0x801)    /* 0x815A2004 */
#define IOCTL_FAULTS_BUG_CHECK FAULTS_CODE(0x802)     /* 0x815A2008 */
#define IOCTL_FAULTS_UNIMPLEMENTED FAULTS_CODE(0x803) /* 0x815A200C */
#define IOCTL_FAULTS_OTHER_IMPORTS FAULTS_CODE(0x804) /* 0x815A2010 */
#define IOCTL_FAULTS_MEMCPY_NULL FAULTS_CODE(0x805)   /* 0x815A2014 */
#define IOCTL_FAULTS_RECURSION FAULTS_CODE(0x806)     /* 0x815A2018 */
#define IOCTL_FAULTS_FORMAT FAULTS_CODE(0x807)        /* 0x815A201C */
#define IOCTL_FAULTS_OVERRUN FAULTS_CODE(0x808)       /* 0x815A2020 */
#define IOCTL_FAULTS_USE_AFTER_FREE FAULTS_CODE(0x809) /* 0x815A2024 */
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

/* Read at run time: the compiler cannot see the bad write coming and drop or move it. */
static volatile size_t block_size = 40, written_after_free = 5;

/* A 1-byte overrun of a 40-byte block of the kit's allocator. */
static __attribute__((noinline)) NTSTATUS overrun(void)
{
    volatile char *block = POOL_ALLOC(block_size, FAULTS_TAG);

    if (!block)
        return STATUS_INSUFFICIENT_RESOURCES;
    block[block_size] = 'x'; /* one byte past the end */
    POOL_FREE((void *)block, FAULTS_TAG);
    return STATUS_SUCCESS;
}

/* A write after free of a 40-byte block of the kit's allocator. */
static __attribute__((noinline)) NTSTATUS use_after_free(void)
{
    volatile char *block = POOL_ALLOC(block_size, FAULTS_TAG);

    if (!block)
        return STATUS_INSUFFICIENT_RESOURCES;
    POOL_FREE((void *)block, FAULTS_TAG);
    block[written_after_free] = 'x'; /* after free */
    return STATUS_SUCCESS;
}

/* Recursion without end: each level keeps a buffer the compiler cannot drop, until the stack is
 * gone (on Windows a bug check, UNEXPECTED_KERNEL_MODE_TRAP 0x7F). */
static ULONG volatile deepest = ~0u; /* never reached: read at run time */

static __attribute__((noinline)) ULONG recurse(volatile UCHAR *previous, ULONG depth)
{
    volatile UCHAR frame[256];

    frame[0] = (UCHAR)depth;
    frame[255] = previous ? previous[0] : 0;
    if (depth == deepest)
        return frame[255];
    return recurse(frame, depth + 1) + frame[255];
}

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
    case IOCTL_FAULTS_MEMCPY_NULL:
        /* The fault is inside the system's memcpy (msvcrt under Wine), the mistake here. */
        memcpy(*(void *volatile *)&nowhere, "8 bytes", 8);
        return complete(irp, STATUS_SUCCESS);
    case IOCTL_FAULTS_FORMAT: {
        /* A bad %wZ argument: the fault is in the kit's formatter, the mistake on this line. */
        static UNICODE_STRING *volatile bad = (UNICODE_STRING *)16;
        LOG_INFO("name %wZ", bad);
        return complete(irp, STATUS_SUCCESS);
    }
    case IOCTL_FAULTS_RECURSION:
        return complete(irp, recurse(NULL, 0) ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL);
    case IOCTL_FAULTS_UNIMPLEMENTED:
    case IOCTL_FAULTS_OTHER_IMPORTS:
        return complete(irp, missing_imports(code));
    case IOCTL_FAULTS_OVERRUN:
        return complete(irp, overrun());
    case IOCTL_FAULTS_USE_AFTER_FREE:
        return complete(irp, use_after_free());
    case FAULTS_CODE(0x80A): { /* 0x815A2028: an overrun of an ExAllocatePoolWithTag block */
        NTSTATUS faults_pool_overrun(void); /* below: the lines the docs quote stay where they are */
        return complete(irp, faults_pool_overrun());
    }
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

/* A 1-byte overrun of a 40-byte block from ExAllocatePoolWithTag, as a WDK driver makes it: the
 * verifier's pool routine of a verified build serves it from the special pool too. */
__attribute__((noinline)) NTSTATUS faults_pool_overrun(void)
{
    volatile char *block = ExAllocatePoolWithTag(NonPagedPoolNx, block_size, FAULTS_TAG);

    if (!block)
        return STATUS_INSUFFICIENT_RESOURCES;
    block[block_size] = 'x'; /* a pool block's byte past the end */
    ExFreePoolWithTag((void *)block, FAULTS_TAG);
    return STATUS_SUCCESS;
}
