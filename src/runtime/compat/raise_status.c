/*
 * ExRaiseStatus: a stub in Wine 8 (a call ends the driver host). The kit's raises the same
 * non-continuable exception through RtlRaiseException (looked up, not imported: the image then
 * imports nothing the kernel might lack), which a __try/__except around the call catches, as on
 * Windows.
 */
#include "kernel_routine.h"

typedef VOID(NTAPI *raise_fn)(NTSTATUS);
typedef VOID(NTAPI *raise_exception_fn)(PEXCEPTION_RECORD);

static const PCWSTR names[1] = {L"ExRaiseStatus"};
static void *volatile kernel[1];
static struct compat_family family = {COMPAT_UNDECIDED, 1, names, kernel};
static raise_exception_fn raise_exception;

static void decide(void)
{
    if (!compat_use_kernel(&family))
        raise_exception = (raise_exception_fn)compat_kernel_routine(L"RtlRaiseException");
}
COMPAT_AT_LOAD(decide);

static VOID NTAPI raise_status(NTSTATUS status)
{
    EXCEPTION_RECORD record;

    if (compat_use_kernel(&family))
        ((raise_fn)kernel[0])(status);
    if (!raise_exception) /* not looked up at load (a driver's own entry point) */
        raise_exception = (raise_exception_fn)compat_kernel_routine(L"RtlRaiseException");
    if (!raise_exception) /* no way to raise: what Windows does with an unhandled exception */
        KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG_PTR)status, 0, 0, 0);
    RtlZeroMemory(&record, sizeof(record));
    record.ExceptionCode = status;
    record.ExceptionFlags = EXCEPTION_NONCONTINUABLE;
    record.ExceptionAddress = (PVOID)raise_status;
    raise_exception(&record);
}

COMPAT_ROUTINE(ExRaiseStatus, raise_status);
