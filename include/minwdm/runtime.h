/*
 * minwdm's runtime for kernel drivers: one header for a driver built with
 * add_wdm_driver(<name> SOURCES ... RUNTIME).
 *
 * The runtime owns the driver's entry point, as KMDF's FxDriverEntry does. Before the driver's
 * DriverEntry runs, it starts the log (DebugView, a ring, the service key) and the allocator
 * (settings from the service key: AllocFailAt, StrictIrqlChecks, LogLevel, LogDetails) and
 * creates the control device \\.\minwdm.<service> (include/minwdm/control.h), which minwdmctl's
 * log, log-level, stats and fail-alloc commands talk to. After the driver's own DriverUnload, it
 * reports and frees leaks, records an unload report and saves the log. When DriverEntry fails, it
 * cleans up the same way and records the exact NTSTATUS for minwdmctl. A RUNTIME driver's code
 * has no runtime start or stop call; every IRP that is not for the control device reaches the
 * driver's own dispatch routines unchanged.
 *
 *   POOL_ALLOC(size, tag), POOL_FREE(p, tag), MEM_TAG('a','b','c','d')   <minwdm/pool.h>
 *   LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE (printf-style)   <minwdm/kernel_log.h>
 *   device_restrict_to_admins(device)                                    <minwdm/device_access.h>
 *   MINWDM_INIT_CODE, MINWDM_PAGED_CODE (code placement), DDK gaps        <minwdm/wdm_compat.h>
 *   format_string (snprintf), minwdm_ntstatus_text                       <minwdm/format.h>, ...
 *   kstring_copy, kstring_equal, KSTRING_DUP, ... on UNICODE_STRING        <minwdm/kstring.h>
 *   user_buffer_read_input, user_buffer_write_output, ... (any method)   <minwdm/user_buffer.h>
 *
 * C++ sources include it as it is (the declarations have C linkage); <minwdm/cxx.h> adds
 * operator new with a call site for leak reports.
 */
#ifndef MINWDM_RUNTIME_H
#define MINWDM_RUNTIME_H

#include <ntddk.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include <minwdm/control.h>
#include <minwdm/device_access.h>
#include <minwdm/format.h>
#include <minwdm/kernel_log.h>
#include <minwdm/kstring.h>
#include <minwdm/mem.h>
#include <minwdm/ntstatus_names.h>
#include <minwdm/pool.h>
#include <minwdm/request.h>
#include <minwdm/user_buffer.h>
#include <minwdm/wdm_compat.h>

/* Version of the runtime (and of the kit it came with). */
#define MINWDM_RUNTIME_VERSION_MAJOR 0
#define MINWDM_RUNTIME_VERSION_MINOR 2
#define MINWDM_RUNTIME_VERSION_PATCH 0

/* The driver's own entry point: the runtime calls it once the log and the allocator run. */
DRIVER_INITIALIZE DriverEntry;

/* An IRP_MJ_DEVICE_CONTROL in the portable form of <minwdm/request.h>, over the system buffer
 * (input first, then output in the same place). FALSE for a code of another method: its
 * buffers are elsewhere (<minwdm/user_buffer.h>). */
static inline BOOLEAN minwdm_buffered_request(PIRP irp, struct minwdm_request *request)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);

    request->code = stack->Parameters.DeviceIoControl.IoControlCode;
    request->input = irp->AssociatedIrp.SystemBuffer;
    request->input_length = stack->Parameters.DeviceIoControl.InputBufferLength;
    request->output = irp->AssociatedIrp.SystemBuffer;
    request->output_length = stack->Parameters.DeviceIoControl.OutputBufferLength;
    return METHOD_FROM_CTL_CODE(request->code) == METHOD_BUFFERED;
}

#ifdef __cplusplus
}
#endif

#endif
