/* The exception guard (exception_guard.h). */
#include "exception_guard.h"

#include <minwdm/kernel_log.h>

#include "image.h"
#include "runtime_internal.h"

BOOLEAN exception_guard_enabled;

/* KeBugCheckEx, looked up rather than imported: a driver's import table stays its own, and the
 * crash report's list of the driver's own KeBugCheckEx calls (wdmimage calls) shows only those. */
typedef VOID (*bug_check_routine)(ULONG, ULONG_PTR, ULONG_PTR, ULONG_PTR, ULONG_PTR);
static bug_check_routine raise_bug_check;
/* The unwinder (both exported by Windows' and Wine's ntoskrnl), for an exception raised outside
 * the image (DbgBreakPoint, a routine given a bad pointer): the driver's frame that called. */
typedef PVOID(NTAPI *lookup_routine)(ULONG64 pc, PULONG64 image_base, PVOID history);
typedef PVOID(NTAPI *unwind_routine)(ULONG type, ULONG64 image_base, ULONG64 pc, PVOID function,
                                     PCONTEXT context, PVOID *handler_data, PULONG64 frame,
                                     PVOID pointers);
static lookup_routine lookup_function;
static unwind_routine virtual_unwind;

static PVOID system_routine(PCWSTR name)
{
    UNICODE_STRING text;

    RtlInitUnicodeString(&text, name);
    return MmGetSystemRoutineAddress(&text);
}

void exception_guard_enable(void)
{
    raise_bug_check = (bug_check_routine)(ULONG_PTR)system_routine(L"KeBugCheckEx");
    lookup_function = (lookup_routine)(ULONG_PTR)system_routine(L"RtlLookupFunctionEntry");
    virtual_unwind = (unwind_routine)(ULONG_PTR)system_routine(L"RtlVirtualUnwind");
    exception_guard_enabled = TRUE;
}

/* The image's own first byte (a PE linker's symbol): a faulting address inside it is printed
 * as an offset, which run-test.sh and llvm-symbolizer turn into function and file:line. */

struct site_info {
    const char *routine;
    ULONG bug_check;
    const char *bug_check_name;
};

static const struct site_info sites[] = {
    [EXCEPTION_GUARD_DRIVER_ENTRY] = {"DriverEntry", 0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"},
    [EXCEPTION_GUARD_DRIVER_UNLOAD] = {"DriverUnload", 0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"},
    [EXCEPTION_GUARD_DISPATCH] = {"dispatch routine", 0x3B, "SYSTEM_SERVICE_EXCEPTION"},
    [EXCEPTION_GUARD_DPC] = {"DPC routine", 0x1E, "KMODE_EXCEPTION_NOT_HANDLED"},
    [EXCEPTION_GUARD_TIMER] = {"timer DPC routine", 0x1E, "KMODE_EXCEPTION_NOT_HANDLED"},
    [EXCEPTION_GUARD_COMPLETION] = {"completion routine", 0x1E, "KMODE_EXCEPTION_NOT_HANDLED"},
    [EXCEPTION_GUARD_WORK_ITEM] = {"work item", 0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"},
    [EXCEPTION_GUARD_SYSTEM_THREAD] = {"system thread", 0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"},
    [EXCEPTION_GUARD_NOTIFY] = {"notify routine", 0x3B, "SYSTEM_SERVICE_EXCEPTION"},
};

/* The exceptions a processor raises in a driver, by name (the runtime's NTSTATUS table keeps
 * only the statuses drivers return). */
static const char *exception_name(NTSTATUS code)
{
    switch ((ULONG)code) {
    case 0x80000002: return "STATUS_DATATYPE_MISALIGNMENT";
    case 0x80000003: return "STATUS_BREAKPOINT";
    case 0x80000004: return "STATUS_SINGLE_STEP";
    case 0xC0000005: return "STATUS_ACCESS_VIOLATION";
    case 0xC0000006: return "STATUS_IN_PAGE_ERROR";
    case 0xC000001D: return "STATUS_ILLEGAL_INSTRUCTION";
    case 0xC000008C: return "STATUS_ARRAY_BOUNDS_EXCEEDED";
    case 0xC0000094: return "STATUS_INTEGER_DIVIDE_BY_ZERO";
    case 0xC0000095: return "STATUS_INTEGER_OVERFLOW";
    case 0xC0000096: return "STATUS_PRIVILEGED_INSTRUCTION";
    case 0xC00000FD: return "STATUS_STACK_OVERFLOW";
    case 0xC0000409: return "STATUS_STACK_BUFFER_OVERRUN";
    default: return "an exception";
    }
}

/* " reading 0x10", " writing 0x...": what an access violation tried, as Windows records it. */
static void access_of(const EXCEPTION_RECORD *record, char *text, size_t size)
{
    text[0] = '\0';
    if (record->ExceptionCode == STATUS_ACCESS_VIOLATION && record->NumberParameters >= 2)
        format_string(text, size, " %s 0x%llx",
                      record->ExceptionInformation[0] == 0   ? "reading"
                      : record->ExceptionInformation[0] == 8 ? "executing"
                                                             : "writing",
                      (unsigned long long)record->ExceptionInformation[1]);
}

/* The first return address inside the image, unwinding from where the exception was raised
 * (0: none in 32 frames). One walk at a time: the context is too large for a kernel stack. */
static ULONG_PTR caller_in_image(const CONTEXT *raised)
{
    static CONTEXT walk;
    static volatile LONG walking;
    ULONG_PTR base = (ULONG_PTR)minwdm_image_base, size = minwdm_image_size(), found = 0;

    if (!lookup_function || !virtual_unwind || InterlockedExchange(&walking, 1))
        return 0;
    walk = *raised;
    for (int frame = 0; frame < 32 && walk.Rip && !found; frame++) {
        ULONG64 image_base = 0, establisher = 0;
        PVOID handler_data = NULL, function = lookup_function(walk.Rip, &image_base, NULL);

        if (!function) { /* a leaf routine: its return address is on top of the stack */
            walk.Rip = *(ULONG64 *)walk.Rsp;
            walk.Rsp += 8;
        } else {
            virtual_unwind(0, image_base, walk.Rip, function, &walk, &handler_data,
                           &establisher, NULL);
        }
        if (walk.Rip - base < size)
            found = (ULONG_PTR)walk.Rip;
    }
    InterlockedExchange(&walking, 0);
    return found;
}

static void report(const struct site_info *site, const EXCEPTION_POINTERS *exception)
{
    const EXCEPTION_RECORD *record = exception->ExceptionRecord;
    ULONG_PTR base = (ULONG_PTR)minwdm_image_base, address = (ULONG_PTR)record->ExceptionAddress;
    ULONG_PTR caller;
    char access[48], where[128];

    access_of(record, access, sizeof(access));
    if (address - base < minwdm_image_size())
        format_string(where, sizeof(where), "%s+0x%llx", driver_log.name,
                      (unsigned long long)(address - base));
    else if ((caller = caller_in_image(exception->ContextRecord)) != 0)
        /* The call instruction's last byte: its line, not the next one's. */
        format_string(where, sizeof(where),
                      "0x%llx (outside the driver's image, called from 0x%llx, %s+0x%llx)",
                      (unsigned long long)address, (unsigned long long)(caller - 1),
                      driver_log.name, (unsigned long long)(caller - 1 - base));
    else
        format_string(where, sizeof(where), "0x%llx (outside the driver's image)",
                      (unsigned long long)address);
    log_message(&driver_log, MINWDM_LOG_ERROR, "verifier",
                "exception: %s (0x%08X)%s escaped the %s at %s: Windows bug-checks 0x%X (%s)",
                exception_name(record->ExceptionCode), (unsigned)record->ExceptionCode, access,
                site->routine, where, (unsigned)site->bug_check, site->bug_check_name);
}

/* Windows' parameters for the three bug checks (Microsoft's bug check code reference). */
static LONG bug_check(struct seh_call *call, EXCEPTION_POINTERS *exception)
{
    const struct site_info *site = call->context;
    const EXCEPTION_RECORD *record = exception->ExceptionRecord;
    ULONG_PTR code = (ULONG)record->ExceptionCode, address = (ULONG_PTR)record->ExceptionAddress;

    ULONG_PTR third = record->ExceptionInformation[0], fourth = record->ExceptionInformation[1];

    if (!exception_guard_enabled)
        return EXCEPTION_CONTINUE_SEARCH;
    report(site, exception);
    /* The log would die with the driver host (Wine): saved where minwdmctl reads it. Above
     * PASSIVE_LEVEL (a DPC; the verifier's IRQL) no registry write is allowed. */
    if (runtime_irql() == PASSIVE_LEVEL)
        runtime_save_log();
    if (site->bug_check == 0x3B) {
        third = (ULONG_PTR)exception->ContextRecord;
        fourth = 0;
    } else if (site->bug_check == 0x7E) {
        third = (ULONG_PTR)record;
        fourth = (ULONG_PTR)exception->ContextRecord;
    }
    if (raise_bug_check) /* else the exception goes on, unhandled: the host dies all the same */
        raise_bug_check(site->bug_check, code, address, third, fourth);
    return EXCEPTION_CONTINUE_SEARCH;
}

ULONG_PTR exception_guard_call(enum exception_guard_site site, seh_routine routine, ULONG_PTR a1,
                               ULONG_PTR a2, ULONG_PTR a3, ULONG_PTR a4)
{
    struct seh_call call = {routine, {a1, a2, a3, a4}, 0, bug_check, (void *)&sites[site], 0};

    seh_call(&call);
    return call.result;
}
