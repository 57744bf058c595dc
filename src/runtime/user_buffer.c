/* A request's buffers for every transfer method (<minwdm/user_buffer.h>). */
#include <minwdm/user_buffer.h>

#include <minwdm/wdm_compat.h>

static ULONG method_of(PIO_STACK_LOCATION stack)
{
    return METHOD_FROM_CTL_CODE(stack->Parameters.DeviceIoControl.IoControlCode);
}

#ifdef __clang__
/*
 * clang's SEH is synchronous: it catches a fault in a function called from the __try body, not
 * a load written in the body itself. So every touch of a caller's memory is in these helpers,
 * never inlined into their __try.
 */
__attribute__((noinline)) static void probe_and_read(void *to, const void *user, SIZE_T length,
                                                     ULONG alignment, BOOLEAN probe)
{
    if (probe)
        ProbeForRead((PVOID)user, length, alignment);
    RtlCopyMemory(to, user, length);
}

__attribute__((noinline)) static void probe_and_write(void *user, const void *from,
                                                      SIZE_T length, ULONG alignment,
                                                      BOOLEAN probe)
{
    if (probe)
        ProbeForWrite(user, length, alignment);
    RtlCopyMemory(user, from, length);
}

/* The filter records the exception's code: Wine 8 hands an __except block 0 for it (its
 * __C_specific_handler unwinds with 0 as the return value), where Windows hands the code. */
static int record(NTSTATUS *status, NTSTATUS code)
{
    *status = code;
    return EXCEPTION_EXECUTE_HANDLER;
}

__attribute__((noinline)) static void probe_and_lock(PMDL mdl, KPROCESSOR_MODE mode,
                                                     LOCK_OPERATION operation)
{
    MmProbeAndLockPages(mdl, mode, operation);
}

NTSTATUS user_buffer_copy_from_user(void *to, const void *user, SIZE_T length, ULONG alignment,
                                    BOOLEAN probe)
{
    NTSTATUS status = STATUS_SUCCESS;

    if (!length)
        return STATUS_SUCCESS;
    __try {
        probe_and_read(to, user, length, alignment, probe);
    } __except (record(&status, GetExceptionCode())) {
    }
    return status;
}

NTSTATUS user_buffer_copy_to_user(void *user, const void *from, SIZE_T length, ULONG alignment,
                                  BOOLEAN probe)
{
    NTSTATUS status = STATUS_SUCCESS;

    if (!length)
        return STATUS_SUCCESS;
    __try {
        probe_and_write(user, from, length, alignment, probe);
    } __except (record(&status, GetExceptionCode())) {
    }
    return status;
}

NTSTATUS user_buffer_lock(const void *user, ULONG length, BOOLEAN write, KPROCESSOR_MODE mode,
                          struct user_buffer_lock *lock)
{
    NTSTATUS status = STATUS_SUCCESS;

    lock->mdl = NULL;
    lock->address = NULL;
    lock->length = 0;
    if (!length)
        return STATUS_SUCCESS;
    PMDL mdl = IoAllocateMdl((PVOID)user, length, FALSE, FALSE, NULL);
    if (!mdl)
        return STATUS_INSUFFICIENT_RESOURCES;
    __try {
        probe_and_lock(mdl, mode, write ? IoWriteAccess : IoReadAccess);
    } __except (record(&status, GetExceptionCode())) {
    }
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
#else
/* MinGW GCC cannot compile __try/__except for C: no caller's pointer is touched. */
NTSTATUS user_buffer_copy_from_user(void *to, const void *user, SIZE_T length, ULONG alignment,
                                    BOOLEAN probe)
{
    (void)to, (void)user, (void)alignment, (void)probe;
    return length ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
}

NTSTATUS user_buffer_copy_to_user(void *user, const void *from, SIZE_T length, ULONG alignment,
                                  BOOLEAN probe)
{
    (void)user, (void)from, (void)alignment, (void)probe;
    return length ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
}

NTSTATUS user_buffer_lock(const void *user, ULONG length, BOOLEAN write, KPROCESSOR_MODE mode,
                          struct user_buffer_lock *lock)
{
    (void)user, (void)write, (void)mode;
    lock->mdl = NULL;
    lock->address = NULL;
    lock->length = 0;
    return length ? STATUS_NOT_SUPPORTED : STATUS_SUCCESS;
}

void user_buffer_unlock(struct user_buffer_lock *lock)
{
    lock->mdl = NULL;
    lock->address = NULL;
    lock->length = 0;
}
#endif

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
