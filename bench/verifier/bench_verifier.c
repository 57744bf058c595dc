/* Times, inside the driver, pool alloc+free pairs and spin lock acquire+release pairs; completes
 * BENCH_NOTHING at once for the client to time IRPs. Plain WDK, built with and without VERIFY. */
#include <ntddk.h>

#include "bench_verifier.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD unload;
static DRIVER_DISPATCH dispatch;
static PDEVICE_OBJECT device;
static KSPIN_LOCK lock;

static ULONG64 ns_since(LARGE_INTEGER start, ULONG iterations)
{
    LARGE_INTEGER frequency, end = KeQueryPerformanceCounter(&frequency);

    if (frequency.QuadPart <= 0 || !iterations)
        return 0;
    return (ULONG64)(end.QuadPart - start.QuadPart) * 1000000000ull /
           (ULONG64)frequency.QuadPart / iterations;
}

static void bench(ULONG iterations, ULONG64 *out)
{
    LARGE_INTEGER start = KeQueryPerformanceCounter(NULL);
    KIRQL old;

    for (ULONG i = 0; i < iterations; i++) {
        PVOID p = ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'hcnB');
        if (p)
            ExFreePoolWithTag(p, 'hcnB');
    }
    out[0] = ns_since(start, iterations);
    start = KeQueryPerformanceCounter(NULL);
    for (ULONG i = 0; i < iterations; i++) {
        KeAcquireSpinLock(&lock, &old);
        KeReleaseSpinLock(&lock, old);
    }
    out[1] = ns_since(start, iterations);
}

static NTSTATUS dispatch(PDEVICE_OBJECT device_object, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    NTSTATUS status = STATUS_SUCCESS;
    ULONG_PTR information = 0;

    UNREFERENCED_PARAMETER(device_object);
    if (stack->MajorFunction == IRP_MJ_DEVICE_CONTROL &&
        stack->Parameters.DeviceIoControl.IoControlCode == BENCH_KERNEL) {
        ULONG *in = irp->AssociatedIrp.SystemBuffer;
        if (stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(ULONG) ||
            stack->Parameters.DeviceIoControl.OutputBufferLength < 2 * sizeof(ULONG64) || !*in ||
            *in > 10000000) {
            status = STATUS_INVALID_PARAMETER;
        } else {
            ULONG64 results[2];
            bench(*in, results);
            RtlCopyMemory(irp->AssociatedIrp.SystemBuffer, results, sizeof(results));
            information = sizeof(results);
        }
    }
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static VOID unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\DosDevices\\BenchVerifier");

    UNREFERENCED_PARAMETER(driver);
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(device);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\BenchVerifier");
    UNICODE_STRING link = RTL_CONSTANT_STRING(L"\\DosDevices\\BenchVerifier");
    NTSTATUS status;

    UNREFERENCED_PARAMETER(path);
    KeInitializeSpinLock(&lock);
    status = IoCreateDevice(driver, 0, &name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE,
                            &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (!NT_SUCCESS(status)) {
        IoDeleteDevice(device);
        return status;
    }
    for (ULONG i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        driver->MajorFunction[i] = dispatch;
    driver->DriverUnload = unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
