/*
 * The driver's own routines the kernel calls back (DPCs, timers, work items, system threads) run
 * through the verifier: it sets the virtual IRQL they run at, and judges them when they return
 * (irql-not-restored, lock-held-on-return). Each wrapper calls the driver's routine in ONE
 * marked place ("the driver's routine"), where an exception guard can stand. Also here: what a
 * driver must undo before it unloads (devices, links, MDLs, work items, notify routines).
 */
#include "verifier.h"

#include "exception_guard.h"

/* After a callback: the IRQL it was called at, and no lock it took still held. */
void vfy_judge_return(const char *what, const void *routine, KIRQL called_at, ULONG mark)
{
    vfy_locks_check_return(mark, what, routine);
    KIRQL now = vfy_irql();
    if (now != called_at) {
        char text[160];
        format_string(text, sizeof(text), "%s returned at IRQL %u, called at %u; restored by the "
                      "verifier", what, now, called_at);
        vfy_report_routine(RULE_IRQL_NOT_RESTORED, routine, text);
        vfy_restore_irql(called_at);
    }
}

/* --- DPCs and timers --- */

#define DPCS_MAX 128

/* The driver's DPC objects. Wine 8 never runs a queued DPC (its KeInsertQueueDpc only logs a
 * FIXME, and its KeRemoveQueueDpc is a stub that ends the driver host): under Wine the verifier
 * queues one on a timer of its own that expires at once, whose DPC Wine runs on a thread of its
 * pool, as Windows runs a queued DPC soon after, on some processor (docs/wine.md). */
static struct {
    PKDPC dpc;
    PKDEFERRED_ROUTINE routine;
    BOOLEAN by_timer;     /* last armed by KeSetTimer(Ex), not KeInsertQueueDpc */
    BOOLEAN queue_ready;  /* under Wine: queue initialised */
    volatile LONG queued; /* under Wine: set by KeInsertQueueDpc until the DPC runs */
    KTIMER queue;         /* under Wine: what runs the DPC when queued */
} dpcs[DPCS_MAX];

static int dpc_slot(PKDPC dpc)
{
    for (int i = 0; i < DPCS_MAX; i++)
        if (dpcs[i].dpc == dpc)
            return i;
    return -1;
}

/* The DPCs running now, each with its thread: under Wine a DPC runs inside the thread-pool
 * callback of the timer that fired it, and what that timer may do there differs (rearm_here). */
#define RUNNING_MAX 32

static struct {
    volatile LONG64 thread; /* 0: free */
    PKDPC dpc;
    BOOLEAN rearmed; /* its timer set again during this run */
} running[RUNNING_MAX];

static LONG64 this_thread(void)
{
    return (LONG64)(ULONG_PTR)PsGetCurrentThreadId();
}

static int running_enter(PKDPC dpc)
{
    LONG64 self = this_thread();

    for (int i = 0; i < RUNNING_MAX; i++)
        if (InterlockedCompareExchange64(&running[i].thread, self, 0) == 0) {
            running[i].dpc = dpc;
            running[i].rearmed = FALSE;
            return i;
        }
    return -1; /* more at once than this table holds: those runs go without the Wine rearm */
}

static void running_leave(int i)
{
    if (i >= 0) {
        running[i].dpc = NULL;
        InterlockedExchange64(&running[i].thread, 0);
    }
}

/* The entry of the DPC this thread is running, if it is dpc. */
static int running_here(PKDPC dpc)
{
    LONG64 self = this_thread();

    for (int i = 0; i < RUNNING_MAX; i++)
        if (running[i].thread == self && running[i].dpc == dpc)
            return i;
    return -1;
}

static VOID NTAPI dpc_trampoline(PKDPC dpc, PVOID context, PVOID argument1, PVOID argument2)
{
    int slot = dpc_slot(dpc);
    KIRQL before = vfy_irql();

    vfy_resource_remove(RES_DPC, dpc, NULL);
    vfy_timer_fired(dpc);
    if (slot < 0)
        return;
    InterlockedExchange(&dpcs[slot].queued, 0);
    PKDEFERRED_ROUTINE routine = dpcs[slot].routine;
    /* Windows bug-checks 0x1E either way; the report names which it was. */
    enum exception_guard_site site = dpcs[slot].by_timer ? EXCEPTION_GUARD_TIMER
                                                         : EXCEPTION_GUARD_DPC;
    vfy_set_irql(DISPATCH_LEVEL);
    ULONG mark = vfy_lock_mark();
    int run = running_enter(dpc);
    if (exception_guard_enabled) /* the driver's routine */
        EXCEPTION_GUARD(site, routine, dpc, context, argument1, argument2);
    else
        routine(dpc, context, argument1, argument2);
    running_leave(run);
    vfy_judge_return("a DPC routine", (const void *)routine, DISPATCH_LEVEL, mark);
    vfy_set_irql(before);
}

VOID NTAPI vfy_KeInitializeDpc(PRKDPC dpc, PKDEFERRED_ROUTINE routine, PVOID context)
{
    unsigned i, free_slot = DPCS_MAX;

    KIRQL irql = vfy_lock();
    for (i = 0; i < DPCS_MAX; i++) {
        if (dpcs[i].dpc == dpc)
            break;
        if (!dpcs[i].dpc && free_slot == DPCS_MAX)
            free_slot = i;
    }
    if (i == DPCS_MAX)
        i = free_slot;
    if (i < DPCS_MAX) {
        dpcs[i].dpc = dpc;
        dpcs[i].routine = routine;
        dpcs[i].by_timer = FALSE;
    }
    vfy_unlock(irql);
    vfy_real_KeInitializeDpc(dpc, i < DPCS_MAX ? dpc_trampoline : routine, context);
}

/* A KTIMER as Wine 8 lays it out (its include/ddk/wdm.h): Header.Inserted is a byte of its own
 * and Period follows Dpc, where Windows has Processor. */
struct wine_timer {
    UCHAR type, absolute, size, inserted;
    LONG signal_state;
    LIST_ENTRY wait_list;
    ULARGE_INTEGER due;
    LIST_ENTRY timer_list; /* Blink: its thread-pool timer */
    PKDPC dpc;
    LONG period;
};

_Static_assert(sizeof(struct wine_timer) <= sizeof(KTIMER), "Wine's KTIMER fits Windows'");

/* KeInsertQueueDpc under Wine (above): FALSE when the DPC is queued already, as on Windows. */
static BOOLEAN wine_queue_dpc(int slot, PRKDPC dpc, PVOID argument1, PVOID argument2)
{
    LARGE_INTEGER now = {.QuadPart = -1}; /* relative: 100 ns from now */

    if (InterlockedCompareExchange(&dpcs[slot].queued, 1, 0) != 0)
        return FALSE;
    if (!dpcs[slot].queue_ready) {
        KeInitializeTimer(&dpcs[slot].queue);
        dpcs[slot].queue_ready = TRUE;
    }
    dpc->SystemArgument1 = argument1;
    dpc->SystemArgument2 = argument2;
    /* Not queued, so nothing of this timer is pending: without Wine's inserted mark (it stays
     * after the timer fired) KeSetTimerEx sets its thread-pool timer again and does not wait for
     * a callback still running, maybe this very DPC queuing itself again (set_timer, below). */
    ((volatile struct wine_timer *)&dpcs[slot].queue)->inserted = FALSE;
    vfy_real_KeSetTimerEx(&dpcs[slot].queue, now, 0, dpc);
    return TRUE;
}

BOOLEAN NTAPI vfy_KeInsertQueueDpc(PRKDPC dpc, PVOID argument1, PVOID argument2)
{
    int slot = dpc_slot(dpc);
    BOOLEAN queued;

    if (slot >= 0)
        dpcs[slot].by_timer = FALSE;
    /* Before it is queued: it may run, and be taken off the list, before the call returns. */
    vfy_resource_add(RES_DPC, dpc, NULL, NULL, CALLER());
    if (slot >= 0 && vfy_on_wine())
        queued = wine_queue_dpc(slot, dpc, argument1, argument2);
    else
        queued = vfy_real_KeInsertQueueDpc(dpc, argument1, argument2);
    if (!queued)
        vfy_resource_remove(RES_DPC, dpc, NULL);
    return queued;
}

BOOLEAN vfy_dpc_dequeue(PRKDPC dpc)
{
    int slot = dpc_slot(dpc);

    if (!vfy_on_wine())
        return vfy_real_KeRemoveQueueDpc(dpc);
    if (slot < 0 || !InterlockedExchange(&dpcs[slot].queued, 0))
        return FALSE;
    vfy_real_KeCancelTimer(&dpcs[slot].queue);
    return TRUE;
}

BOOLEAN NTAPI vfy_KeRemoveQueueDpc(PRKDPC dpc)
{
    BOOLEAN removed = vfy_dpc_dequeue(dpc);
    if (removed)
        vfy_resource_remove(RES_DPC, dpc, NULL);
    return removed;
}

/* Wine 8's KeSetTimerEx cancels a timer still marked inserted (a one-shot timer stays so after it
 * fired) before setting it, and its KeCancelTimer waits for the timer's thread-pool callbacks,
 * holding the lock of every Ke object: called from the timer's own DPC, which runs inside that
 * callback, it waits for itself and the host's waits all stop. Windows removes a one-shot timer
 * from its queue before the DPC runs. So under Wine, from inside the DPC the timer runs, the
 * verifier clears Wine's inserted mark first:
 * KeSetTimerEx then sets the timer's existing thread-pool timer again (SetThreadpoolTimer, legal
 * inside its callback), with the due time given, and nothing waits. Returns whether it applied,
 * and in *was_set what Windows returns: whether the timer was in its queue (a periodic one is
 * put back before its DPC runs; a timer already set again in this run is). */
static BOOLEAN wine_rearm_here(PKTIMER timer, BOOLEAN *was_set)
{
    volatile struct wine_timer *wine = (volatile struct wine_timer *)timer;
    int run = vfy_on_wine() ? running_here(wine->dpc) : -1;

    if (run < 0)
        return FALSE;
    *was_set = running[run].rearmed || wine->period != 0;
    running[run].rearmed = TRUE;
    wine->inserted = FALSE;
    return TRUE;
}

/* KeCancelTimer from inside the DPC its timer runs waits for itself under Wine too (above). A
 * one-shot timer not set again in this run is in no queue on Windows: nothing to cancel. Else the
 * verifier moves its thread-pool timer out of reach (due at the end of time), which stops it
 * without a wait; a later KeSetTimer sets it again, a KeCancelTimer outside the DPC closes it. */
static BOOLEAN wine_cancel_here(PKTIMER timer, BOOLEAN *was_set)
{
    volatile struct wine_timer *wine = (volatile struct wine_timer *)timer;
    LARGE_INTEGER never = {.QuadPart = MAXLONGLONG}; /* absolute */
    int run = vfy_on_wine() ? running_here(wine->dpc) : -1;

    if (run < 0)
        return FALSE;
    *was_set = running[run].rearmed || wine->period != 0;
    running[run].rearmed = FALSE;
    wine->inserted = FALSE;
    if (*was_set) {
        vfy_real_KeSetTimerEx(timer, never, 0, wine->dpc);
        wine->inserted = FALSE;
    }
    return TRUE;
}

static BOOLEAN set_timer(PKTIMER timer, LARGE_INTEGER due, LONG period, PKDPC dpc,
                         const void *site)
{
    int slot = dpc ? dpc_slot(dpc) : -1;
    BOOLEAN windows_says = FALSE;
    BOOLEAN rearm_here = wine_rearm_here(timer, &windows_says);

    if (slot >= 0) /* before the timer can expire */
        dpcs[slot].by_timer = TRUE;
    BOOLEAN was_set = vfy_real_KeSetTimerEx(timer, due, period, dpc);
    if (rearm_here)
        was_set = windows_says;
    vfy_resource_remove(RES_TIMER, timer, NULL);
    /* A timer without a DPC runs no driver code when it expires: nothing to leave behind. */
    if (dpc)
        vfy_resource_add(RES_TIMER, timer, period ? NULL : dpc, NULL, site);
    return was_set;
}

BOOLEAN NTAPI vfy_KeSetTimer(PKTIMER timer, LARGE_INTEGER due, PKDPC dpc)
{
    CHECK_IRQL(KeSetTimer);
    return set_timer(timer, due, 0, dpc, CALLER());
}

BOOLEAN NTAPI vfy_KeSetTimerEx(PKTIMER timer, LARGE_INTEGER due, LONG period, PKDPC dpc)
{
    CHECK_IRQL(KeSetTimerEx);
    return set_timer(timer, due, period, dpc, CALLER());
}

BOOLEAN NTAPI vfy_KeCancelTimer(PKTIMER timer)
{
    CHECK_IRQL(KeCancelTimer);
    vfy_resource_remove(RES_TIMER, timer, NULL);
    BOOLEAN was_set;
    if (wine_cancel_here(timer, &was_set))
        return was_set;
    return vfy_real_KeCancelTimer(timer);
}

/* --- work items --- */

struct queued_item {
    PIO_WORKITEM_ROUTINE routine;
    PVOID context;
    PIO_WORKITEM item;
};

PIO_WORKITEM NTAPI vfy_IoAllocateWorkItem(PDEVICE_OBJECT device)
{
    CHECK_IRQL(IoAllocateWorkItem);
    if (vfy_inject_failure())
        return NULL;
    PIO_WORKITEM item = vfy_real_IoAllocateWorkItem(device);
    if (item)
        vfy_resource_add(RES_WORKITEM, item, NULL, NULL, CALLER());
    return item;
}

VOID NTAPI vfy_IoFreeWorkItem(PIO_WORKITEM item)
{
    CHECK_IRQL(IoFreeWorkItem);
    vfy_resource_remove(RES_WORKITEM, item, NULL);
    vfy_real_IoFreeWorkItem(item);
}

static VOID NTAPI work_item_trampoline(PDEVICE_OBJECT device, PVOID context)
{
    struct queued_item q = *(struct queued_item *)context;

    vfy_real_ExFreePoolWithTag(context, 'wVwm');
    vfy_resource_remove(RES_WORKITEM_QUEUED, q.item, NULL);
    ULONG mark = vfy_lock_mark();
    if (exception_guard_enabled) /* the driver's routine */
        EXCEPTION_GUARD(EXCEPTION_GUARD_WORK_ITEM, q.routine, device, q.context, 0, 0);
    else
        q.routine(device, q.context);
    vfy_judge_return("a work item", (const void *)q.routine, PASSIVE_LEVEL, mark);
}

VOID NTAPI vfy_IoQueueWorkItem(PIO_WORKITEM item, PIO_WORKITEM_ROUTINE routine,
                               WORK_QUEUE_TYPE queue, PVOID context)
{
    struct queued_item *q;

    CHECK_IRQL(IoQueueWorkItem);
    q = vfy_real_ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*q), 'wVwm');
    if (!q) { /* unverified, then */
        vfy_real_IoQueueWorkItem(item, routine, queue, context);
        return;
    }
    *q = (struct queued_item){routine, context, item};
    vfy_resource_add(RES_WORKITEM_QUEUED, item, NULL, NULL, CALLER());
    vfy_real_IoQueueWorkItem(item, work_item_trampoline, queue, q);
}

/* --- system threads --- */

struct thread_start {
    PKSTART_ROUTINE routine;
    PVOID context;
    const void *site; /* of PsCreateSystemThread */
};

static VOID NTAPI thread_trampoline(PVOID context)
{
    struct thread_start s = *(struct thread_start *)context;
    HANDLE me = PsGetCurrentThreadId();

    vfy_real_ExFreePoolWithTag(context, 'tVwm');
    vfy_resource_add(RES_THREAD, me, NULL, NULL, s.site);
    vfy_thread_running(1);
    ULONG mark = vfy_lock_mark();
    if (exception_guard_enabled) /* the driver's routine */
        EXCEPTION_GUARD(EXCEPTION_GUARD_SYSTEM_THREAD, s.routine, s.context, 0, 0, 0);
    else
        s.routine(s.context);
    vfy_judge_return("a system thread", (const void *)s.routine, PASSIVE_LEVEL, mark);
    vfy_resource_remove(RES_THREAD, me, NULL);
    vfy_thread_running(-1);
}

NTSTATUS NTAPI vfy_PsCreateSystemThread(PHANDLE handle, ULONG access,
                                        POBJECT_ATTRIBUTES attributes, HANDLE process,
                                        PCLIENT_ID client, PKSTART_ROUTINE routine,
                                        PVOID context)
{
    struct thread_start *s;
    NTSTATUS status;

    CHECK_IRQL(PsCreateSystemThread);
    if (vfy_inject_failure())
        return STATUS_INSUFFICIENT_RESOURCES;
    s = vfy_real_ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*s), 'tVwm');
    if (!s)
        return STATUS_INSUFFICIENT_RESOURCES;
    *s = (struct thread_start){routine, context, CALLER()};
    status = vfy_real_PsCreateSystemThread(handle, access, attributes, process, client,
                                           thread_trampoline, s);
    if (!NT_SUCCESS(status))
        vfy_real_ExFreePoolWithTag(s, 'tVwm');
    else if (handle)
        vfy_resource_add(RES_HANDLE, *handle, NULL, NULL, CALLER());
    return status;
}

NTSTATUS NTAPI vfy_PsTerminateSystemThread(NTSTATUS status)
{
    CHECK_IRQL(PsTerminateSystemThread);
    if (vfy_resource_remove(RES_THREAD, PsGetCurrentThreadId(), NULL))
        vfy_thread_running(-1);
    return vfy_real_PsTerminateSystemThread(status);
}

/* --- devices, links, MDLs --- */

NTSTATUS NTAPI vfy_IoCreateDevice(PDRIVER_OBJECT driver, ULONG extension, PUNICODE_STRING name,
                                  DEVICE_TYPE type, ULONG characteristics, BOOLEAN exclusive,
                                  PDEVICE_OBJECT *device)
{
    CHECK_IRQL(IoCreateDevice);
    NTSTATUS status = vfy_real_IoCreateDevice(driver, extension, name, type, characteristics,
                                              exclusive, device);
    if (NT_SUCCESS(status))
        vfy_resource_add(RES_DEVICE, *device, NULL, name, CALLER());
    return status;
}

VOID NTAPI vfy_IoDeleteDevice(PDEVICE_OBJECT device)
{
    CHECK_IRQL(IoDeleteDevice);
    vfy_resource_remove(RES_DEVICE, device, NULL);
    vfy_real_IoDeleteDevice(device);
}

NTSTATUS NTAPI vfy_IoCreateSymbolicLink(PUNICODE_STRING link, PUNICODE_STRING target)
{
    CHECK_IRQL(IoCreateSymbolicLink);
    NTSTATUS status = vfy_real_IoCreateSymbolicLink(link, target);
    if (NT_SUCCESS(status))
        vfy_resource_add(RES_SYMLINK, NULL, NULL, link, CALLER());
    return status;
}

NTSTATUS NTAPI vfy_IoDeleteSymbolicLink(PUNICODE_STRING link)
{
    CHECK_IRQL(IoDeleteSymbolicLink);
    vfy_resource_remove(RES_SYMLINK, NULL, link);
    return vfy_real_IoDeleteSymbolicLink(link);
}

PMDL NTAPI vfy_IoAllocateMdl(PVOID address, ULONG length, BOOLEAN secondary, BOOLEAN charge,
                             PIRP irp)
{
    CHECK_IRQL(IoAllocateMdl);
    if (vfy_inject_failure())
        return NULL;
    PMDL mdl = vfy_real_IoAllocateMdl(address, length, secondary, charge, irp);
    /* An MDL attached to an IRP goes with the IRP. */
    if (mdl && !irp)
        vfy_resource_add(RES_MDL, mdl, NULL, NULL, CALLER());
    return mdl;
}

VOID NTAPI vfy_IoFreeMdl(PMDL mdl)
{
    CHECK_IRQL(IoFreeMdl);
    vfy_resource_remove(RES_MDL, mdl, NULL);
    vfy_real_IoFreeMdl(mdl);
}

NTSTATUS NTAPI vfy_IoGetDeviceObjectPointer(PUNICODE_STRING name, ACCESS_MASK access,
                                            PFILE_OBJECT *file, PDEVICE_OBJECT *device)
{
    CHECK_IRQL(IoGetDeviceObjectPointer);
    NTSTATUS status = vfy_real_IoGetDeviceObjectPointer(name, access, file, device);
    if (NT_SUCCESS(status))
        vfy_reference(*file, 1, CALLER());
    return status;
}

/* --- notify routines and callbacks --- */

static NTSTATUS callback_set(NTSTATUS status, const void *key, int remove, const void *site)
{
    if (NT_SUCCESS(status)) {
        if (remove)
            vfy_resource_remove(RES_CALLBACK, key, NULL);
        else
            vfy_resource_add(RES_CALLBACK, key, NULL, NULL, site);
    }
    return status;
}

/* Under Wine the verifier calls process and thread notify routines itself (notify.c). */
static NTSTATUS notify_set(NTSTATUS status, enum vfy_notify_kind kind, PVOID routine,
                           BOOLEAN remove)
{
    if (NT_SUCCESS(status))
        vfy_notify_routine(kind, routine, remove);
    return status;
}

NTSTATUS NTAPI vfy_PsSetCreateProcessNotifyRoutine(PCREATE_PROCESS_NOTIFY_ROUTINE routine,
                                                   BOOLEAN remove)
{
    CHECK_IRQL(PsSetCreateProcessNotifyRoutine);
    NEED_REAL(PsSetCreateProcessNotifyRoutine, STATUS_NOT_IMPLEMENTED);
    return notify_set(callback_set(vfy_real_PsSetCreateProcessNotifyRoutine(routine, remove),
                                   routine, remove, CALLER()),
                      VFY_NOTIFY_PROCESS, (PVOID)routine, remove);
}

NTSTATUS NTAPI vfy_PsSetCreateProcessNotifyRoutineEx(PCREATE_PROCESS_NOTIFY_ROUTINE_EX routine,
                                                     BOOLEAN remove)
{
    CHECK_IRQL(PsSetCreateProcessNotifyRoutineEx);
    NEED_REAL(PsSetCreateProcessNotifyRoutineEx, STATUS_NOT_IMPLEMENTED);
    return notify_set(callback_set(vfy_real_PsSetCreateProcessNotifyRoutineEx(routine, remove),
                                   routine, remove, CALLER()),
                      VFY_NOTIFY_PROCESS_EX, (PVOID)routine, remove);
}

NTSTATUS NTAPI vfy_PsSetCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE routine)
{
    CHECK_IRQL(PsSetCreateThreadNotifyRoutine);
    NEED_REAL(PsSetCreateThreadNotifyRoutine, STATUS_NOT_IMPLEMENTED);
    return notify_set(callback_set(vfy_real_PsSetCreateThreadNotifyRoutine(routine), routine, 0,
                                   CALLER()),
                      VFY_NOTIFY_THREAD, (PVOID)routine, FALSE);
}

NTSTATUS NTAPI vfy_PsRemoveCreateThreadNotifyRoutine(PCREATE_THREAD_NOTIFY_ROUTINE routine)
{
    CHECK_IRQL(PsRemoveCreateThreadNotifyRoutine);
    NEED_REAL(PsRemoveCreateThreadNotifyRoutine, STATUS_NOT_IMPLEMENTED);
    return notify_set(callback_set(vfy_real_PsRemoveCreateThreadNotifyRoutine(routine), routine,
                                   1, CALLER()),
                      VFY_NOTIFY_THREAD, (PVOID)routine, TRUE);
}

NTSTATUS NTAPI vfy_PsSetLoadImageNotifyRoutine(PLOAD_IMAGE_NOTIFY_ROUTINE routine)
{
    CHECK_IRQL(PsSetLoadImageNotifyRoutine);
    NEED_REAL(PsSetLoadImageNotifyRoutine, STATUS_NOT_IMPLEMENTED);
    return callback_set(vfy_real_PsSetLoadImageNotifyRoutine(routine), routine, 0, CALLER());
}

NTSTATUS NTAPI vfy_PsRemoveLoadImageNotifyRoutine(PLOAD_IMAGE_NOTIFY_ROUTINE routine)
{
    CHECK_IRQL(PsRemoveLoadImageNotifyRoutine);
    NEED_REAL(PsRemoveLoadImageNotifyRoutine, STATUS_NOT_IMPLEMENTED);
    return callback_set(vfy_real_PsRemoveLoadImageNotifyRoutine(routine), routine, 1, CALLER());
}

NTSTATUS NTAPI vfy_CmRegisterCallback(PEX_CALLBACK_FUNCTION routine, PVOID context,
                                      PLARGE_INTEGER cookie)
{
    CHECK_IRQL(CmRegisterCallback);
    NEED_REAL(CmRegisterCallback, STATUS_NOT_IMPLEMENTED);
    NTSTATUS status = vfy_real_CmRegisterCallback(routine, context, cookie);
    return callback_set(status, (const void *)(ULONG_PTR)cookie->QuadPart, 0, CALLER());
}

NTSTATUS NTAPI vfy_CmRegisterCallbackEx(PEX_CALLBACK_FUNCTION routine, PCUNICODE_STRING altitude,
                                        PVOID driver, PVOID context, PLARGE_INTEGER cookie,
                                        PVOID reserved)
{
    CHECK_IRQL(CmRegisterCallbackEx);
    NEED_REAL(CmRegisterCallbackEx, STATUS_NOT_IMPLEMENTED);
    NTSTATUS status = vfy_real_CmRegisterCallbackEx(routine, altitude, driver, context, cookie,
                                                    reserved);
    return callback_set(status, (const void *)(ULONG_PTR)cookie->QuadPart, 0, CALLER());
}

NTSTATUS NTAPI vfy_CmUnRegisterCallback(LARGE_INTEGER cookie)
{
    CHECK_IRQL(CmUnRegisterCallback);
    NEED_REAL(CmUnRegisterCallback, STATUS_NOT_IMPLEMENTED);
    return callback_set(vfy_real_CmUnRegisterCallback(cookie),
                        (const void *)(ULONG_PTR)cookie.QuadPart, 1, CALLER());
}

NTSTATUS NTAPI vfy_ObRegisterCallbacks(POB_CALLBACK_REGISTRATION registration, PVOID *handle)
{
    CHECK_IRQL(ObRegisterCallbacks);
    NEED_REAL(ObRegisterCallbacks, STATUS_NOT_IMPLEMENTED);
    NTSTATUS status = vfy_real_ObRegisterCallbacks(registration, handle);
    return callback_set(status, NT_SUCCESS(status) ? *handle : NULL, 0, CALLER());
}

VOID NTAPI vfy_ObUnRegisterCallbacks(PVOID handle)
{
    CHECK_IRQL(ObUnRegisterCallbacks);
    vfy_resource_remove(RES_CALLBACK, handle, NULL);
    if (vfy_real_ObUnRegisterCallbacks)
        vfy_real_ObUnRegisterCallbacks(handle);
}
