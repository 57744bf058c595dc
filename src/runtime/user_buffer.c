/* A request's buffers for every transfer method (<minwdm/user_buffer.h>). */
#include <minwdm/user_buffer.h>

#include <minwdm/wdm_compat.h>

#include "seh_call.h"

static ULONG method_of(PIO_STACK_LOCATION stack)
{
    return METHOD_FROM_CTL_CODE(stack->Parameters.DeviceIoControl.IoControlCode);
}

/*
 * Every touch of a caller's memory runs in one of these routines, called through seh_call: a
 * scope written in assembly, the same with clang and MinGW GCC, so that a fault or a failed
 * probe is the exception's status and never a crash (a compiler's own __try may leave a body
 * with no call unprotected: docs/debugging.md).
 */
/* The alignment and the probe flag share one argument: four registers are all a call passes. */
#define PROBE_ARGUMENT(alignment, probe) (((ULONG_PTR)(alignment) << 1) | ((probe) ? 1 : 0))

static void probe_and_read(void *to, const void *user, SIZE_T length, ULONG_PTR probe)
{
    if (probe & 1)
        ProbeForRead((PVOID)user, length, (ULONG)(probe >> 1));
    RtlCopyMemory(to, user, length);
}

static void probe_and_write(void *user, const void *from, SIZE_T length, ULONG_PTR probe)
{
    if (probe & 1)
        ProbeForWrite(user, length, (ULONG)(probe >> 1));
    RtlCopyMemory(user, from, length);
}

static void probe_and_lock(PMDL mdl, ULONG_PTR mode, ULONG_PTR operation)
{
    MmProbeAndLockPages(mdl, (KPROCESSOR_MODE)mode, (LOCK_OPERATION)operation);
}

/* The exception's status, or STATUS_SUCCESS. (The filter records it: Wine 8 hands the handler
 * 0 for it, where Windows hands the code.) */
static NTSTATUS guarded(seh_routine routine, ULONG_PTR a1, ULONG_PTR a2, ULONG_PTR a3,
                        ULONG_PTR a4)
{
    struct seh_call call = {routine, {a1, a2, a3, a4}, 0, NULL, NULL, 0};

    return seh_call(&call) ? call.code : STATUS_SUCCESS;
}

NTSTATUS user_buffer_copy_from_user(void *to, const void *user, SIZE_T length, ULONG alignment,
                                    BOOLEAN probe)
{
    if (!length)
        return STATUS_SUCCESS;
    return guarded((seh_routine)probe_and_read, (ULONG_PTR)to, (ULONG_PTR)user, length,
                   PROBE_ARGUMENT(alignment, probe));
}

NTSTATUS user_buffer_copy_to_user(void *user, const void *from, SIZE_T length, ULONG alignment,
                                  BOOLEAN probe)
{
    if (!length)
        return STATUS_SUCCESS;
    return guarded((seh_routine)probe_and_write, (ULONG_PTR)user, (ULONG_PTR)from, length,
                   PROBE_ARGUMENT(alignment, probe));
}

NTSTATUS user_buffer_lock(const void *user, ULONG length, BOOLEAN write, KPROCESSOR_MODE mode,
                          struct user_buffer_lock *lock)
{
    NTSTATUS status;

    lock->mdl = NULL;
    lock->address = NULL;
    lock->length = 0;
    if (!length)
        return STATUS_SUCCESS;
    PMDL mdl = IoAllocateMdl((PVOID)user, length, FALSE, FALSE, NULL);
    if (!mdl)
        return STATUS_INSUFFICIENT_RESOURCES;
    status = guarded((seh_routine)probe_and_lock, (ULONG_PTR)mdl, (ULONG_PTR)mode,
                     (ULONG_PTR)(write ? IoWriteAccess : IoReadAccess), 0);
    if (!NT_SUCCESS(status)) {
        IoFreeMdl(mdl);
        return status;
    }
    void *address = MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority | MdlMappingNoExecute);
    if (!address) {
        MmUnlockPages(mdl);
        IoFreeMdl(mdl);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    lock->mdl = mdl;
    lock->address = address;
    lock->length = length;
    return STATUS_SUCCESS;
}

void user_buffer_unlock(struct user_buffer_lock *lock)
{
    if (lock->mdl) {
        MmUnlockPages(lock->mdl); /* also unmaps what MmGetSystemAddressForMdlSafe mapped */
        IoFreeMdl(lock->mdl);
    }
    lock->mdl = NULL;
    lock->address = NULL;
    lock->length = 0;
}

/* A request's pointers are probed when it came from user mode. */
static BOOLEAN from_user(PIRP irp)
{
    return irp->RequestorMode == UserMode;
}

NTSTATUS user_buffer_map_output(PIRP irp, void **address, ULONG *length)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG method = method_of(stack), size = stack->Parameters.DeviceIoControl.OutputBufferLength;

    *address = NULL;
    *length = 0;
    if (method != METHOD_IN_DIRECT && method != METHOD_OUT_DIRECT)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (!size)
        return STATUS_SUCCESS;
    if (!irp->MdlAddress || MmGetMdlByteCount(irp->MdlAddress) < size)
        return STATUS_INVALID_PARAMETER;
    void *mapped =
        MmGetSystemAddressForMdlSafe(irp->MdlAddress, NormalPagePriority | MdlMappingNoExecute);
    if (!mapped)
        return STATUS_INSUFFICIENT_RESOURCES;
    *address = mapped;
    *length = size;
    return STATUS_SUCCESS;
}

NTSTATUS user_buffer_read_input(PIRP irp, void *to, ULONG size, ULONG *length)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG in = stack->Parameters.DeviceIoControl.InputBufferLength;
    NTSTATUS status = STATUS_SUCCESS;

    *length = 0;
    if (in > size)
        return STATUS_INVALID_PARAMETER;
    if (!in)
        return STATUS_SUCCESS;
    if (method_of(stack) == METHOD_NEITHER) {
        const void *user = stack->Parameters.DeviceIoControl.Type3InputBuffer;
        status = user ? user_buffer_copy_from_user(to, user, in, 1, from_user(irp))
                      : STATUS_INVALID_PARAMETER;
    } else if (irp->AssociatedIrp.SystemBuffer) {
        RtlCopyMemory(to, irp->AssociatedIrp.SystemBuffer, in);
    } else {
        status = STATUS_INVALID_PARAMETER;
    }
    if (NT_SUCCESS(status))
        *length = in;
    return status;
}

NTSTATUS user_buffer_write_output(PIRP irp, const void *from, ULONG length)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG method = method_of(stack);
    void *mapped;
    ULONG mapped_length;

    if (length > stack->Parameters.DeviceIoControl.OutputBufferLength)
        return STATUS_BUFFER_TOO_SMALL;
    if (!length)
        return STATUS_SUCCESS;
    switch (method) {
    case METHOD_BUFFERED:
        if (!irp->AssociatedIrp.SystemBuffer)
            return STATUS_INVALID_PARAMETER;
        RtlMoveMemory(irp->AssociatedIrp.SystemBuffer, from, length); /* from may be in it */
        return STATUS_SUCCESS;
    case METHOD_NEITHER:
        if (!irp->UserBuffer)
            return STATUS_INVALID_PARAMETER;
        return user_buffer_copy_to_user(irp->UserBuffer, from, length, 1, from_user(irp));
    default: {
        NTSTATUS status = user_buffer_map_output(irp, &mapped, &mapped_length);
        if (NT_SUCCESS(status))
            RtlCopyMemory(mapped, from, length);
        return status;
    }
    }
}
