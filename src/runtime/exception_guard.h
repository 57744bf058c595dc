/*
 * The exception guard: the runtime calls a driver's routines through it (DriverEntry,
 * DriverUnload, dispatch routines; the verifier's wrappers the DPC, timer, work item,
 * completion and system thread routines), so that an exception leaving the driver is what it
 * is on Windows, a bug check, and not an error the host quietly turns into a failed request
 * (Wine's IRP dispatch catches it and fails the IRP: docs/debugging.md).
 *
 * Guarded (a test or verified build: exception_guard_enabled), an escaping exception is logged
 *   verifier: exception: <code> escaped the <routine kind> at <image>+0x<offset>: Windows
 *   bug-checks 0x3B (SYSTEM_SERVICE_EXCEPTION)
 * and KeBugCheckEx is called with that bug check and Windows' parameters, before any unwinding:
 * the driver host ends (Wine's KeBugCheckEx), the test or client run fails and its crash report
 * names the faulting line. Not guarded (a driver as shipped), the exception goes on to the
 * kernel, which bug-checks by itself; callers whose stack should stay as it would be alone
 * (the dispatch router) test exception_guard_enabled and call directly when it is off. Works with
 * clang and MinGW GCC (seh_call.h).
 *
 * Wrapping one call is one line:
 *   status = (NTSTATUS)EXCEPTION_GUARD(EXCEPTION_GUARD_DISPATCH, dispatch, device, irp, 0, 0);
 *   EXCEPTION_GUARD(EXCEPTION_GUARD_DPC, routine, dpc, context, argument1, argument2);
 */
#ifndef MINWDM_EXCEPTION_GUARD_H
#define MINWDM_EXCEPTION_GUARD_H

#include "seh_call.h"

/* Where the routine runs decides what Windows does with an exception that leaves it. */
enum exception_guard_site {
    EXCEPTION_GUARD_DRIVER_ENTRY,  /* 0x7E: the I/O manager's system worker thread */
    EXCEPTION_GUARD_DRIVER_UNLOAD, /* 0x7E */
    EXCEPTION_GUARD_DISPATCH,      /* 0x3B: a system service (the caller's NtDeviceIoControlFile...) */
    EXCEPTION_GUARD_DPC,           /* 0x1E: no thread of its own, DISPATCH_LEVEL */
    EXCEPTION_GUARD_TIMER,         /* 0x1E: a timer's DPC */
    EXCEPTION_GUARD_COMPLETION,    /* 0x1E: completion routines run wherever the IRP completes */
    EXCEPTION_GUARD_WORK_ITEM,     /* 0x7E: a system worker thread */
    EXCEPTION_GUARD_SYSTEM_THREAD, /* 0x7E */
    EXCEPTION_GUARD_NOTIFY,        /* 0x3B: a process or thread notify routine (the system
                                      service that creates or ends it) */
};

/* Turns the guard on (PASSIVE_LEVEL): the runtime in test builds, the verifier in verified
 * builds. Until then exception_guard_call only calls, and exceptions go on to the kernel. */
void exception_guard_enable(void);
extern BOOLEAN exception_guard_enabled;

/* Calls routine(a1, a2, a3, a4) and returns what it returned. */
ULONG_PTR exception_guard_call(enum exception_guard_site site, seh_routine routine, ULONG_PTR a1,
                               ULONG_PTR a2, ULONG_PTR a3, ULONG_PTR a4);
#define EXCEPTION_GUARD(site, routine, a1, a2, a3, a4)                                          \
    exception_guard_call((site), (seh_routine)(routine), (ULONG_PTR)(a1), (ULONG_PTR)(a2),       \
                         (ULONG_PTR)(a3), (ULONG_PTR)(a4))

#endif
