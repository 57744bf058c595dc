/*
 * The cancel-safe IRP queue (IoCsqInitialize(Ex), IoCsqInsertIrp(Ex), IoCsqRemoveIrp,
 * IoCsqRemoveNextIrp): library code on Windows (the WDK once shipped it as csq.lib), stubs in
 * Wine. The kernel's run wherever it has them all (kernel_routine.h). The queue is the driver's
 * own (its insert, remove and peek callbacks under its own lock); this code keeps an IRP's cancel
 * routine and its removal from the queue exclusive, as the documentation promises:
 * - an IRP being inserted gets the queue's cancel routine; if it was cancelled meanwhile, it is
 *   taken out again and completed as cancelled;
 * - removal takes the cancel routine away first; an IRP whose cancel routine already runs is
 *   left for that routine, which removes it under the driver's lock and completes it;
 * - the IRP's Tail.Overlay.DriverContext[3] names its queue, or its IO_CSQ_IRP_CONTEXT.
 */
#include "kernel_routine.h"

typedef NTSTATUS(NTAPI *initialize_fn)(PIO_CSQ, PIO_CSQ_INSERT_IRP, PIO_CSQ_REMOVE_IRP,
                                       PIO_CSQ_PEEK_NEXT_IRP, PIO_CSQ_ACQUIRE_LOCK,
                                       PIO_CSQ_RELEASE_LOCK, PIO_CSQ_COMPLETE_CANCELED_IRP);
typedef NTSTATUS(NTAPI *initialize_ex_fn)(PIO_CSQ, PIO_CSQ_INSERT_IRP_EX, PIO_CSQ_REMOVE_IRP,
                                          PIO_CSQ_PEEK_NEXT_IRP, PIO_CSQ_ACQUIRE_LOCK,
                                          PIO_CSQ_RELEASE_LOCK, PIO_CSQ_COMPLETE_CANCELED_IRP);
typedef VOID(NTAPI *insert_fn)(PIO_CSQ, PIRP, PIO_CSQ_IRP_CONTEXT);
typedef NTSTATUS(NTAPI *insert_ex_fn)(PIO_CSQ, PIRP, PIO_CSQ_IRP_CONTEXT, PVOID);
typedef PIRP(NTAPI *remove_fn)(PIO_CSQ, PIO_CSQ_IRP_CONTEXT);
typedef PIRP(NTAPI *remove_next_fn)(PIO_CSQ, PVOID);

enum { INITIALIZE, INITIALIZE_EX, INSERT, INSERT_EX, REMOVE, REMOVE_NEXT, ROUTINES };
static const PCWSTR names[ROUTINES] = {L"IoCsqInitialize", L"IoCsqInitializeEx",
                                       L"IoCsqInsertIrp",  L"IoCsqInsertIrpEx",
                                       L"IoCsqRemoveIrp",  L"IoCsqRemoveNextIrp"};
static void *volatile kernel[ROUTINES];
static struct compat_family family = {COMPAT_UNDECIDED, ROUTINES, names, kernel};
COMPAT_DECIDE_AT_LOAD(family);

/* The queue an IRP of it belongs to, from DriverContext[3] (the queue, or the IRP's context). */
static PIO_CSQ irp_queue(PIRP irp, PIO_CSQ_IRP_CONTEXT *context)
{
    PVOID owner = irp->Tail.Overlay.DriverContext[3];

    if (*(const ULONG *)owner == IO_TYPE_CSQ_IRP_CONTEXT) {
        *context = owner;
        return (*context)->Csq;
    }
    *context = NULL;
    return owner;
}

/* Leaves the queue: no owner, and a context that no longer names the IRP. */
static void detach(PIRP irp)
{
    PIO_CSQ_IRP_CONTEXT context;

    irp_queue(irp, &context);
    if (context)
        context->Irp = NULL;
    irp->Tail.Overlay.DriverContext[3] = NULL;
}

static VOID NTAPI cancel_routine(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_CSQ_IRP_CONTEXT context;
    PIO_CSQ csq;
    KIRQL irql;

    (void)device;
    IoReleaseCancelSpinLock(irp->CancelIrql);
    csq = irp_queue(irp, &context);
    csq->CsqAcquireLock(csq, &irql);
    csq->CsqRemoveIrp(csq, irp);
    detach(irp);
    csq->CsqReleaseLock(csq, irql);
    csq->CsqCompleteCanceledIrp(csq, irp);
}

static NTSTATUS kit_initialize(PIO_CSQ csq, ULONG type, PVOID insert, PIO_CSQ_REMOVE_IRP remove,
                               PIO_CSQ_PEEK_NEXT_IRP peek, PIO_CSQ_ACQUIRE_LOCK acquire,
                               PIO_CSQ_RELEASE_LOCK release,
                               PIO_CSQ_COMPLETE_CANCELED_IRP complete)
{
    csq->Type = type;
    csq->CsqInsertIrp = (PIO_CSQ_INSERT_IRP)insert;
    csq->CsqRemoveIrp = remove;
    csq->CsqPeekNextIrp = peek;
    csq->CsqAcquireLock = acquire;
    csq->CsqReleaseLock = release;
    csq->CsqCompleteCanceledIrp = complete;
    csq->ReservePointer = NULL;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI csq_initialize(PIO_CSQ csq, PIO_CSQ_INSERT_IRP insert,
                                     PIO_CSQ_REMOVE_IRP remove, PIO_CSQ_PEEK_NEXT_IRP peek,
                                     PIO_CSQ_ACQUIRE_LOCK acquire, PIO_CSQ_RELEASE_LOCK release,
                                     PIO_CSQ_COMPLETE_CANCELED_IRP complete)
{
    if (compat_use_kernel(&family))
        return ((initialize_fn)kernel[INITIALIZE])(csq, insert, remove, peek, acquire, release,
                                                   complete);
    return kit_initialize(csq, IO_TYPE_CSQ, (PVOID)insert, remove, peek, acquire, release,
                          complete);
}

static NTSTATUS NTAPI csq_initialize_ex(PIO_CSQ csq, PIO_CSQ_INSERT_IRP_EX insert,
                                        PIO_CSQ_REMOVE_IRP remove, PIO_CSQ_PEEK_NEXT_IRP peek,
                                        PIO_CSQ_ACQUIRE_LOCK acquire,
                                        PIO_CSQ_RELEASE_LOCK release,
                                        PIO_CSQ_COMPLETE_CANCELED_IRP complete)
{
    if (compat_use_kernel(&family))
        return ((initialize_ex_fn)kernel[INITIALIZE_EX])(csq, insert, remove, peek, acquire,
                                                         release, complete);
    return kit_initialize(csq, IO_TYPE_CSQ_EX, (PVOID)insert, remove, peek, acquire, release,
                          complete);
}

static NTSTATUS kit_insert(PIO_CSQ csq, PIRP irp, PIO_CSQ_IRP_CONTEXT context,
                           PVOID insert_context)
{
    NTSTATUS status = STATUS_SUCCESS;
    KIRQL irql;

    csq->CsqAcquireLock(csq, &irql);
    if (csq->Type == IO_TYPE_CSQ_EX) {
        status = ((PIO_CSQ_INSERT_IRP_EX)(PVOID)csq->CsqInsertIrp)(csq, irp, insert_context);
        if (!NT_SUCCESS(status)) { /* the driver refused it: not queued, not pending */
            csq->CsqReleaseLock(csq, irql);
            return status;
        }
    } else {
        csq->CsqInsertIrp(csq, irp);
    }
    if (context) {
        context->Type = IO_TYPE_CSQ_IRP_CONTEXT;
        context->Irp = irp;
        context->Csq = csq;
        irp->Tail.Overlay.DriverContext[3] = context;
    } else {
        irp->Tail.Overlay.DriverContext[3] = csq;
    }
    IoMarkIrpPending(irp);
    IoSetCancelRoutine(irp, cancel_routine);
    /* Cancelled before the cancel routine was set: IoCancelIrp found none to call. */
    if (irp->Cancel && IoSetCancelRoutine(irp, NULL)) {
        csq->CsqRemoveIrp(csq, irp);
        detach(irp);
        csq->CsqReleaseLock(csq, irql);
        csq->CsqCompleteCanceledIrp(csq, irp);
        return status;
    }
    csq->CsqReleaseLock(csq, irql);
    return status;
}

static VOID NTAPI csq_insert(PIO_CSQ csq, PIRP irp, PIO_CSQ_IRP_CONTEXT context)
{
    if (compat_use_kernel(&family))
        ((insert_fn)kernel[INSERT])(csq, irp, context);
    else
        kit_insert(csq, irp, context, NULL);
}

static NTSTATUS NTAPI csq_insert_ex(PIO_CSQ csq, PIRP irp, PIO_CSQ_IRP_CONTEXT context,
                                    PVOID insert_context)
{
    if (compat_use_kernel(&family))
        return ((insert_ex_fn)kernel[INSERT_EX])(csq, irp, context, insert_context);
    return kit_insert(csq, irp, context, insert_context);
}

static PIRP NTAPI csq_remove(PIO_CSQ csq, PIO_CSQ_IRP_CONTEXT context)
{
    PIRP irp;
    KIRQL irql;

    if (compat_use_kernel(&family))
        return ((remove_fn)kernel[REMOVE])(csq, context);
    csq->CsqAcquireLock(csq, &irql);
    irp = context->Irp;
    if (irp && IoSetCancelRoutine(irp, NULL)) {
        csq->CsqRemoveIrp(csq, irp);
        detach(irp);
    } else {
        irp = NULL; /* gone, or its cancel routine runs and completes it */
    }
    csq->CsqReleaseLock(csq, irql);
    return irp;
}

static PIRP NTAPI csq_remove_next(PIO_CSQ csq, PVOID peek_context)
{
    PIRP irp;
    KIRQL irql;

    if (compat_use_kernel(&family))
        return ((remove_next_fn)kernel[REMOVE_NEXT])(csq, peek_context);
    csq->CsqAcquireLock(csq, &irql);
    for (irp = csq->CsqPeekNextIrp(csq, NULL, peek_context); irp;
         irp = csq->CsqPeekNextIrp(csq, irp, peek_context)) {
        if (IoSetCancelRoutine(irp, NULL)) {
            csq->CsqRemoveIrp(csq, irp);
            detach(irp);
            break;
        }
    }
    csq->CsqReleaseLock(csq, irql);
    return irp;
}

COMPAT_ROUTINE(IoCsqInitialize, csq_initialize);
COMPAT_ROUTINE(IoCsqInitializeEx, csq_initialize_ex);
COMPAT_ROUTINE(IoCsqInsertIrp, csq_insert);
COMPAT_ROUTINE(IoCsqInsertIrpEx, csq_insert_ex);
COMPAT_ROUTINE(IoCsqRemoveIrp, csq_remove);
COMPAT_ROUTINE(IoCsqRemoveNextIrp, csq_remove_next);
