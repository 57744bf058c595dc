/*
 * A device-control request's buffers, whatever its transfer method, with every length checked.
 * Kernel mode, at PASSIVE_LEVEL in the requesting thread (where METHOD_NEITHER pointers mean
 * something); a driver's IRP_MJ_DEVICE_CONTROL routine is called there.
 *
 *   METHOD_BUFFERED     the I/O manager copies both ways through Irp->AssociatedIrp.SystemBuffer
 *   METHOD_IN_DIRECT,   input through the system buffer; the output buffer locked by the I/O
 *   METHOD_OUT_DIRECT   manager and described by Irp->MdlAddress, mapped here (not executable:
 *                       MdlMappingNoExecute, as HVCI wants); a failed mapping is
 *                       STATUS_INSUFFICIENT_RESOURCES
 *   METHOD_NEITHER      the caller's own pointers: probed (when the request came from user mode)
 *                       and touched only inside a structured exception handling scope, so that
 *                       a bad pointer is STATUS_ACCESS_VIOLATION and not a crash
 *
 * That scope is the runtime's own, written in assembly (src/runtime/seh_call.c): every method
 * works the same with clang and MinGW GCC, at every optimisation level. USER_BUFFER_NEITHER is 1
 * with both (it was 0 with GCC, whose builds once returned STATUS_NOT_SUPPORTED instead).
 */
#ifndef MINWDM_USER_BUFFER_H
#define MINWDM_USER_BUFFER_H

#include <ntddk.h>

#define USER_BUFFER_NEITHER 1

/*
 * Copies the request's input into `to` (size bytes) and sets *length to its size. The input
 * (InputBufferLength) larger than size, or announced without a buffer: STATUS_INVALID_PARAMETER.
 */
NTSTATUS user_buffer_read_input(PIRP irp, void *to, ULONG size, ULONG *length);

/*
 * Copies length bytes to the request's output: the system buffer, the mapped MDL, or the
 * caller's pointer. More than OutputBufferLength: STATUS_BUFFER_TOO_SMALL, nothing written.
 * The caller still sets IoStatus.Information to length.
 */
NTSTATUS user_buffer_write_output(PIRP irp, const void *from, ULONG length);

/*
 * The output buffer of a METHOD_IN_DIRECT (read it) or METHOD_OUT_DIRECT (write it) request,
 * mapped into system space: *address and *length (OutputBufferLength; NULL and 0 when there is
 * none). Another method: STATUS_INVALID_DEVICE_REQUEST; an MDL shorter than the length:
 * STATUS_INVALID_PARAMETER; the mapping failed: STATUS_INSUFFICIENT_RESOURCES. The mapping is
 * the I/O manager's and goes away with the request.
 */
NTSTATUS user_buffer_map_output(PIRP irp, void **address, ULONG *length);

/*
 * A caller's pointer (METHOD_NEITHER, or a pointer inside a request): copies length bytes from
 * or to it. Probed first, when probe is TRUE (a request whose RequestorMode is UserMode), for
 * the range and the alignment (1, 2, 4, 8 or 16). A fault or a bad range: the exception's
 * status (STATUS_ACCESS_VIOLATION, STATUS_DATATYPE_MISALIGNMENT).
 */
NTSTATUS user_buffer_copy_from_user(void *to, const void *user, SIZE_T length, ULONG alignment,
                                    BOOLEAN probe);
NTSTATUS user_buffer_copy_to_user(void *user, const void *from, SIZE_T length, ULONG alignment,
                                  BOOLEAN probe);

/*
 * A caller's buffer locked in memory and mapped into system space (not executable), for a
 * driver that works on it in place or later, at any IRQL: user_buffer_lock, then
 * user_buffer_unlock once done. write: the driver writes to it. Fails with the probe's
 * exception status, or STATUS_INSUFFICIENT_RESOURCES (no MDL, or the mapping failed); lock is
 * then empty and user_buffer_unlock harmless.
 */
struct user_buffer_lock {
    PMDL mdl;
    void *address;
    ULONG length;
};
NTSTATUS user_buffer_lock(const void *user, ULONG length, BOOLEAN write, KPROCESSOR_MODE mode,
                          struct user_buffer_lock *lock);
void user_buffer_unlock(struct user_buffer_lock *lock);

#endif
