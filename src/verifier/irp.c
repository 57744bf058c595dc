/*
 * IRPs: every request the driver's dispatch routines receive is followed from the call to its
 * completion. Judged when the dispatch routine returns: irp-lost, irp-pending-unmarked,
 * irp-status-mismatch, irql-not-restored, lock-held-on-return; at completion:
 * irp-completed-twice (the second completion is not passed on), irp-completed-pending,
 * irp-information. An IRP the driver passes down (IoCallDriver, PoCallDriver: a PnP or filter
 * driver's) is the lower driver's to complete: not judged, unless it comes back and the driver
 * completes it itself. What is still pending at unload (or when a client gave up and the driver is
 * stopped) is listed: unload-irp, with its major function, IOCTL code, dispatch routine, age and
 * whether it has a cancel routine; while the driver runs, the same list is kept in its saved key
 * (pending.c) for minwdmctl to print when a kernel test or a client does not finish.
 */
#include "verifier.h"
#include "exception_guard.h"
#include "core/irp_names.h"

#define TRACKED_MAX 256
#define COMPLETED_RING 128

enum irp_state { IRP_FREE, IRP_IN_DISPATCH, IRP_PENDING, IRP_COMPLETED_IN_DISPATCH, IRP_PASSED_ON };

struct tracked {
    PIRP irp;
    PDRIVER_DISPATCH dispatch;
    uint64_t start;
    ULONG code;
    NTSTATUS completed_status;
    const void *completed_site; /* of a completion inside the dispatch routine */
    UCHAR major;
    UCHAR state;
    BOOLEAN marked_at_completion;
};

static struct tracked tracked[TRACKED_MAX];
static struct {
    PIRP irp;
    const void *site;
} completed[COMPLETED_RING];
static unsigned completed_next;

/* The request of an entry, as a finding names it: "IRP_MJ_DEVICE_CONTROL 0x222003". */
static const char *request_text(UCHAR major, ULONG code, char *buffer, size_t size)
{
    if (major == IRP_MJ_DEVICE_CONTROL || major == IRP_MJ_INTERNAL_DEVICE_CONTROL)
        format_string(buffer, size, "%s 0x%lx", minwdm_irp_major_name(major), (unsigned long)code);
    else
        format_string(buffer, size, "%s", minwdm_irp_major_name(major));
    return buffer;
}

static struct tracked *find(PIRP irp)
{
    for (unsigned i = 0; i < TRACKED_MAX; i++)
        if (tracked[i].state != IRP_FREE && tracked[i].irp == irp)
            return &tracked[i];
    return NULL;
}

static void forget_completed(PIRP irp)
{
    for (unsigned i = 0; i < COMPLETED_RING; i++)
        if (completed[i].irp == irp)
            completed[i].irp = NULL;
}

/* An IRP that reaches the driver (its devices or the runtime's) is a new one, whatever its
 * address was before. */
void vfy_irp_arrived(PIRP irp)
{
    KIRQL irql = vfy_lock();
    forget_completed(irp);
    vfy_unlock(irql);
}

static void report_dispatch(enum vfy_rule rule, PDRIVER_DISPATCH dispatch, UCHAR major,
                            ULONG code, const char *format, NTSTATUS a, NTSTATUS b)
{
    char request[64], what[200], text[280];

    format_string(what, sizeof(what), format, a, b);
    format_string(text, sizeof(text), "%s: the dispatch routine %s",
                  request_text(major, code, request, sizeof(request)), what);
    vfy_report_routine(rule, (const void *)dispatch, text);
}

NTSTATUS vfy_dispatch(PDRIVER_DISPATCH dispatch, PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    UCHAR major = stack->MajorFunction;
    ULONG code = major == IRP_MJ_DEVICE_CONTROL || major == IRP_MJ_INTERNAL_DEVICE_CONTROL
                     ? stack->Parameters.DeviceIoControl.IoControlCode
                     : 0;
    KIRQL called_at = vfy_irql();
    struct tracked *t, copy;

    KIRQL irql = vfy_lock();
    forget_completed(irp);
    t = find(irp);
    if (!t)
        for (unsigned i = 0; i < TRACKED_MAX && !t; i++)
            if (tracked[i].state == IRP_FREE)
                t = &tracked[i];
    if (t)
        *t = (struct tracked){irp, dispatch, vfy_now_100ns(), code, 0, NULL, major,
                              IRP_IN_DISPATCH, FALSE};
    vfy_unlock(irql);

    ULONG mark = vfy_lock_mark();
    NTSTATUS status = exception_guard_enabled /* the driver's routine */
                          ? (NTSTATUS)EXCEPTION_GUARD(EXCEPTION_GUARD_DISPATCH, dispatch, device, irp, 0, 0)
                          : dispatch(device, irp);

    copy.state = IRP_FREE;
    irql = vfy_lock();
    t = find(irp);
    if (t && t->state != IRP_PENDING) {
        copy = *t;
        if (t->state == IRP_COMPLETED_IN_DISPATCH || t->state == IRP_PASSED_ON ||
            status != STATUS_PENDING)
            t->state = IRP_FREE;
        else
            t->state = IRP_PENDING;
    }
    vfy_unlock(irql);
    if (copy.state == IRP_IN_DISPATCH && status == STATUS_PENDING)
        vfy_pending_list_start();

    if (copy.state == IRP_COMPLETED_IN_DISPATCH) {
        /* The I/O manager is given the status the IRP was completed with: the caller of a
         * request completed but "pending" without the mark waits for ever under Wine. */
        if (status == STATUS_PENDING && !copy.marked_at_completion) {
            report_dispatch(RULE_IRP_PENDING_UNMARKED, dispatch, major, code,
                            "returned STATUS_PENDING without IoMarkIrpPending", 0, 0);
            status = copy.completed_status;
        } else if (status != STATUS_PENDING && status != copy.completed_status) {
            report_dispatch(RULE_IRP_STATUS_MISMATCH, dispatch, major, code,
                            "returned 0x%08lx, but completed the IRP with IoStatus.Status "
                            "0x%08lx", status, copy.completed_status);
            status = copy.completed_status;
        }
    } else if (copy.state == IRP_IN_DISPATCH) {
        if (status == STATUS_PENDING) {
            if (!(IoGetCurrentIrpStackLocation(irp)->Control & SL_PENDING_RETURNED))
                report_dispatch(RULE_IRP_PENDING_UNMARKED, dispatch, major, code,
                                "returned STATUS_PENDING without IoMarkIrpPending", 0, 0);
        } else {
            report_dispatch(RULE_IRP_LOST, dispatch, major, code,
                            "returned 0x%08lx without completing the IRP and without "
                            "STATUS_PENDING; the verifier completed it", status, 0);
            irp->IoStatus.Status = NT_SUCCESS(status) ? STATUS_INTERNAL_ERROR : status;
            irp->IoStatus.Information = 0;
            vfy_real_IofCompleteRequest(irp, IO_NO_INCREMENT);
        }
    }
    vfy_locks_check_return(mark, "the dispatch routine", (const void *)dispatch);
    if (vfy_irql() != called_at) {
        char text[160];
        format_string(text, sizeof(text), "the dispatch routine returned at IRQL %u, called at "
                      "%u; restored by the verifier", vfy_irql(), called_at);
        vfy_report_routine(RULE_IRQL_NOT_RESTORED, (const void *)dispatch, text);
        vfy_restore_irql(called_at);
    }
    return status;
}

/* The output buffer a request's Information may fill: buffered and direct ones only. */
static int output_limit(PIO_STACK_LOCATION stack, ULONG *limit)
{
    switch (stack->MajorFunction) {
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if ((stack->Parameters.DeviceIoControl.IoControlCode & 3) == METHOD_NEITHER)
            return 0;
        *limit = stack->Parameters.DeviceIoControl.OutputBufferLength;
        return 1;
    case IRP_MJ_READ:
        *limit = stack->Parameters.Read.Length;
        return 1;
    default:
        return 0;
    }
}

int vfy_irp_completing(PIRP irp, const void *site)
{
    struct tracked *t;
    const void *first = NULL;
    int twice = 0;
    ULONG limit;

    KIRQL irql = vfy_lock();
    t = find(irp);
    if (t && t->state == IRP_COMPLETED_IN_DISPATCH) { /* its dispatch routine has not returned */
        twice = 1;
        first = t->completed_site;
    } else if (!t) {
        for (unsigned i = 0; i < COMPLETED_RING; i++)
            if (completed[i].irp == irp) {
                twice = 1;
                first = completed[i].site;
            }
    }
    vfy_unlock(irql);
    if (twice) {
        char at[64];
        vfy_report(RULE_IRP_COMPLETED_TWICE, site,
                   "IoCompleteRequest(%p) of an IRP completed before at %s; the second "
                   "completion was not passed on", irp, vfy_site_name(first, at, sizeof(at)));
        return 0;
    }
    if (!t)
        return 1; /* an IRP the driver made itself, or one it was never given */
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    char request[64];
    if (irp->IoStatus.Status == STATUS_PENDING) {
        vfy_report(RULE_IRP_COMPLETED_PENDING, site,
                   "%s completed with IoStatus.Status STATUS_PENDING; completed with "
                   "STATUS_INTERNAL_ERROR instead", request_text(t->major, t->code, request,
                                                                  sizeof(request)));
        irp->IoStatus.Status = STATUS_INTERNAL_ERROR;
    }
    if (!NT_ERROR(irp->IoStatus.Status) && output_limit(stack, &limit) &&
        irp->IoStatus.Information > limit) {
        vfy_report(RULE_IRP_INFORMATION, site,
                   "%s completed with Information %llu, larger than its %lu-byte output buffer; "
                   "cut to %lu", request_text(t->major, t->code, request, sizeof(request)),
                   (unsigned long long)irp->IoStatus.Information, (unsigned long)limit,
                   (unsigned long)limit);
        irp->IoStatus.Information = limit;
    }
    irql = vfy_lock();
    t = find(irp);
    if (t) {
        /* passed on and back (a completion routine that kept it): completed in dispatch */
        if (t->state == IRP_IN_DISPATCH || t->state == IRP_PASSED_ON) {
            t->state = IRP_COMPLETED_IN_DISPATCH;
            t->completed_status = irp->IoStatus.Status;
            t->completed_site = site;
            t->marked_at_completion = (stack->Control & SL_PENDING_RETURNED) != 0;
        } else {
            t->state = IRP_FREE;
        }
    }
    completed[completed_next].irp = irp;
    completed[completed_next].site = site;
    completed_next = (completed_next + 1) % COMPLETED_RING;
    vfy_unlock(irql);
    return 1;
}

VOID FASTCALL vfy_IofCompleteRequest(PIRP irp, CCHAR boost)
{
    CHECK_IRQL(IofCompleteRequest);
    if (vfy_irp_completing(irp, CALLER()))
        vfy_real_IofCompleteRequest(irp, boost);
}

/* Completion routines (IoSetCompletionRoutine is inline: the routine is found in the next stack
 * location when the driver passes the IRP down) run at DISPATCH_LEVEL, the highest IRQL Windows
 * may call them at (what Driver Verifier's IRQL checking stresses), and are judged when they
 * return. Each is kept by the stack location that holds it: the same location given a routine
 * again (a routine that never ran, an IRP reused or freed and allocated again) replaces it. */
#define COMPLETIONS_MAX 128

static struct {
    PIO_STACK_LOCATION location; /* NULL: a free slot */
    PIO_COMPLETION_ROUTINE routine;
} completions[COMPLETIONS_MAX];

static NTSTATUS NTAPI completion_trampoline(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    /* The I/O manager (Windows' and Wine's) moves the IRP up one location before it calls the
     * routine kept in the location below. */
    PIO_STACK_LOCATION location = IoGetCurrentIrpStackLocation(irp) - 1;
    PIO_COMPLETION_ROUTINE routine = NULL;
    KIRQL before = vfy_irql();

    KIRQL irql = vfy_lock();
    for (unsigned i = 0; i < COMPLETIONS_MAX && !routine; i++)
        if (completions[i].location == location) {
            routine = completions[i].routine;
            completions[i].location = NULL;
        }
    vfy_unlock(irql);
    if (!routine)
        return STATUS_SUCCESS; /* cannot happen: the verifier put itself there */
    vfy_set_irql(DISPATCH_LEVEL);
    ULONG mark = vfy_lock_mark();
    NTSTATUS status = exception_guard_enabled /* the driver's routine */
                          ? (NTSTATUS)EXCEPTION_GUARD(EXCEPTION_GUARD_COMPLETION, routine, device,
                                                      irp, context, 0)
                          : routine(device, irp, context);
    vfy_judge_return("a completion routine", (const void *)routine, DISPATCH_LEVEL, mark);
    vfy_set_irql(before);
    return status;
}

/* Puts the trampoline in front of the driver's completion routine in `next`. A routine outside
 * the image (the kernel's own, as IoSetCompletionRoutineEx leaves on Windows) is not the
 * driver's: it is left alone. */
static void wrap_completion(PIO_STACK_LOCATION next)
{
    PIO_COMPLETION_ROUTINE routine = next->CompletionRoutine;
    unsigned slot = COMPLETIONS_MAX;

    if (!routine || routine == completion_trampoline || !vfy_in_image((const void *)routine))
        return;
    KIRQL irql = vfy_lock();
    for (unsigned i = 0; i < COMPLETIONS_MAX; i++) {
        if (completions[i].location == next) {
            slot = i;
            break;
        }
        if (!completions[i].location && slot == COMPLETIONS_MAX)
            slot = i;
    }
    if (slot < COMPLETIONS_MAX) { /* else not followed: the routine runs unwrapped */
        completions[slot].location = next;
        completions[slot].routine = routine;
        next->CompletionRoutine = completion_trampoline;
    }
    vfy_unlock(irql);
}

/* An IRP the driver was given, sent down: the lower driver completes it. One in its dispatch
 * routine is judged no more there; one it held pending is no longer its own. */
static void passed_on(PIRP irp)
{
    KIRQL irql = vfy_lock();
    struct tracked *t = find(irp);
    if (t)
        t->state = t->state == IRP_IN_DISPATCH ? IRP_PASSED_ON : IRP_FREE;
    vfy_unlock(irql);
}

NTSTATUS FASTCALL vfy_IofCallDriver(PDEVICE_OBJECT device, PIRP irp)
{
    CHECK_IRQL(IofCallDriver);
    wrap_completion(IoGetNextIrpStackLocation(irp));
    passed_on(irp);
    return vfy_real_IofCallDriver(device, irp);
}

NTSTATUS NTAPI vfy_PoCallDriver(PDEVICE_OBJECT device, PIRP irp)
{
    CHECK_IRQL(PoCallDriver);
    wrap_completion(IoGetNextIrpStackLocation(irp));
    passed_on(irp);
    return vfy_real_PoCallDriver(device, irp);
}

/* Whether an IRP can be built for `device`: Windows gives every device at least one stack
 * location, while Wine 8's IoGetDeviceObjectPointer, a stub, returns a stand-in device for any
 * name whose StackSize, 0x80, is -128 as a CCHAR; Wine's IoBuildDeviceIoControlRequest then
 * writes the IRP's stack location before its block (KMelody). No IRP is built: NULL, as when
 * the pool is exhausted. */
static int has_stack_location(const char *routine, PDEVICE_OBJECT device, const void *site)
{
    char where[96];

    if (!device || device->StackSize >= 1)
        return 1;
    log_message(&driver_log, MINWDM_LOG_WARN, "verifier",
                "%s for device %p, whose StackSize is %d: no IRP can reach it, none built "
                "(NULL)%s at %s", routine, (void *)device, (int)device->StackSize,
                vfy_on_wine() ? "; Wine 8's IoGetDeviceObjectPointer, a stub, returns such a "
                                "stand-in device for any name, not the named one" : "",
                vfy_site_name((const char *)site - 1, where, sizeof(where)));
    return 0;
}

PIRP NTAPI vfy_IoBuildDeviceIoControlRequest(ULONG code, PDEVICE_OBJECT device, PVOID input,
                                             ULONG input_length, PVOID output,
                                             ULONG output_length, BOOLEAN internal,
                                             PKEVENT event, PIO_STATUS_BLOCK io)
{
    CHECK_IRQL(IoBuildDeviceIoControlRequest);
    if (!has_stack_location("IoBuildDeviceIoControlRequest", device, CALLER()))
        return NULL;
    if (vfy_inject_failure())
        return NULL;
    PIRP irp = vfy_real_IoBuildDeviceIoControlRequest(code, device, input, input_length, output,
                                                      output_length, internal, event, io);
    if (irp)
        vfy_irp_arrived(irp);
    return irp;
}

/* The requests pending now (pending.c): at most `max` entries; *total receives how many. */
unsigned vfy_irps_pending(struct minwdm_pending_irp *entries, unsigned max, uint32_t *total)
{
    unsigned count = 0;

    *total = 0;
    KIRQL irql = vfy_lock(); /* a pending IRP stays allocated until its completion, which waits */
    for (unsigned i = 0; i < TRACKED_MAX; i++) {
        const struct tracked *t = &tracked[i];
        if (t->state != IRP_PENDING)
            continue;
        if ((*total)++ >= max)
            continue;
        entries[count++] = (struct minwdm_pending_irp){
            .since = t->start,
            .dispatch = vfy_image_offset((const void *)t->dispatch),
            .code = t->code,
            .major = t->major,
            .cancel_routine = t->irp->CancelRoutine != NULL,
        };
    }
    vfy_unlock(irql);
    return count;
}

/* At unload: requests still pending (a client that gave up, a driver that never completes). */
void vfy_irps_check_unload(void)
{
    uint64_t now = vfy_now_100ns();

    for (unsigned i = 0; i < TRACKED_MAX; i++) {
        struct tracked t = tracked[i];
        if (t.state != IRP_PENDING)
            continue;
        tracked[i].state = IRP_FREE;
        char request[64], text[300];
        uint64_t age = (now - t.start) / 10000; /* ms */
        format_string(text, sizeof(text), "%s still pending at unload after %llu.%03llu s, %s; "
                      "dispatched to this routine",
                      request_text(t.major, t.code, request, sizeof(request)),
                      (unsigned long long)(age / 1000), (unsigned long long)(age % 1000),
                      t.irp->CancelRoutine ? "with a cancel routine"
                                           : "with NO cancel routine: a process waiting for it "
                                             "cannot end");
        vfy_report_routine(RULE_UNLOAD_IRP, (const void *)t.dispatch, text);
    }
}
