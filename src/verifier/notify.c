/*
 * Process and thread notify routines under Wine (docs/verifier.md). Wine 8 accepts
 * PsSetCreateProcessNotifyRoutine(Ex) and PsSetCreateThreadNotifyRoutine and never calls them.
 * Under Wine the verifier keeps the routines registered and, while there is one, a thread of
 * its own lists the Wine session's processes and threads every POLL_MS
 * (ZwQuerySystemInformation(SystemProcessInformation)) and calls the routines for those that
 * appeared or went since the last list: late, from this thread, and a process that lives
 * shorter than a poll is missed. Also here, what such a routine asks of the process or thread
 * it is told about and Wine 8 cannot answer: PsGetProcessExitStatus (a stub that ends the host)
 * and PsGetThreadExitStatus (not exported). On Windows nothing here runs.
 */
#include "verifier.h"

#include "exception_guard.h"

#define ROUTINES_MAX 8  /* of each kind, for one driver (Windows allows 64 in the system) */
#define SEEN_MAX 1024   /* processes and threads followed */
#define POLL_MS 25
#define LIST_MIN (64 * 1024)
#define LIST_MAX (4 * 1024 * 1024)
#define SYSTEM_PROCESS_INFORMATION_CLASS 5
#define PROCESS_IMAGE_FILE_NAME_CLASS 27
#define PROCESS_COMMAND_LINE_CLASS 60
#define NAME_BYTES 1024
#define QUERY_ACCESS 0x0400 /* PROCESS_QUERY_INFORMATION (user-mode headers) */

/* SYSTEM_PROCESS_INFORMATION and SYSTEM_THREAD_INFORMATION as x64 Windows (and Wine's
 * winternl.h) lay them out: a process entry, then its threads. */
struct system_thread {
    LARGE_INTEGER kernel_time, user_time, create_time;
    ULONG wait_time;
    PVOID start_address;
    CLIENT_ID client_id;
    LONG priority, base_priority;
    ULONG context_switches, state, wait_reason;
};

struct system_process {
    ULONG next;
    ULONG thread_count;
    UCHAR unused1[0x20 - 8];
    LARGE_INTEGER create_time;
    UCHAR unused2[0x38 - 0x28];
    UNICODE_STRING image_name;
    LONG base_priority;
    HANDLE process_id;
    HANDLE parent_id;
    UCHAR unused3[0x100 - 0x60];
    struct system_thread threads[];
};

_Static_assert(sizeof(struct system_thread) == 0x50, "SYSTEM_THREAD_INFORMATION");
_Static_assert(offsetof(struct system_process, process_id) == 0x50, "UniqueProcessId");
_Static_assert(sizeof(struct system_process) == 0x100, "SYSTEM_PROCESS_INFORMATION");

typedef NTSTATUS(NTAPI *query_system_fn)(ULONG, PVOID, ULONG, PULONG);
typedef NTSTATUS(NTAPI *lookup_process_fn)(HANDLE, PEPROCESS *);
typedef NTSTATUS(NTAPI *open_process_fn)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PCLIENT_ID);
typedef NTSTATUS(NTAPI *query_process_fn)(HANDLE, ULONG, PVOID, ULONG, PULONG);
typedef NTSTATUS(NTAPI *open_object_fn)(PVOID, ULONG, PACCESS_STATE, ACCESS_MASK, POBJECT_TYPE,
                                        KPROCESSOR_MODE, PHANDLE);

static query_system_fn query_system;
static lookup_process_fn lookup_process;
static open_process_fn open_process;
static query_process_fn query_process;
static query_process_fn query_thread; /* ZwQueryInformationThread: the same parameters */
static open_object_fn open_object;
static POBJECT_TYPE *process_type, *thread_type;

/* The routines registered, by kind; the one being called (removal waits for it). */
static PVOID routines[VFY_NOTIFY_KINDS][ROUTINES_MAX];
static PVOID volatile calling;

enum poller_state { POLLER_NONE, POLLER_RUNNING, POLLER_STOPPING };

static volatile LONG poller_state;
static PVOID poller_thread; /* referenced */
static volatile LONG64 poller_id;

/* What the last list held: a process (thread NULL) or a thread. */
struct seen {
    HANDLE process, thread, parent;
    PEPROCESS object; /* a process's, referenced while it lives */
    const struct system_process *entry; /* a new process's, in this poll's list */
    BOOLEAN listed;   /* in the current list */
};

static struct seen seen[SEEN_MAX]; /* the poller's alone */
static unsigned seen_count;
static struct system_process *list;
static ULONG list_size;

static LONG64 current_id(void)
{
    return (LONG64)(ULONG_PTR)PsGetCurrentThreadId();
}

static PVOID lookup(const WCHAR *name)
{
    UNICODE_STRING text;

    RtlInitUnicodeString(&text, name);
    return vfy_import_MmGetSystemRoutineAddress(&text);
}

/* --- calling the driver's routines --- */

static const char *const kind_names[VFY_NOTIFY_KINDS] = {
    [VFY_NOTIFY_PROCESS] = "a process notify routine",
    [VFY_NOTIFY_PROCESS_EX] = "a process notify routine",
    [VFY_NOTIFY_THREAD] = "a thread notify routine",
};

static void call_all(enum vfy_notify_kind kind, ULONG_PTR a1, ULONG_PTR a2, ULONG_PTR a3)
{
    for (int i = 0; i < ROUTINES_MAX; i++) {
        KIRQL irql = vfy_lock();
        PVOID routine = routines[kind][i];
        if (routine)
            InterlockedExchangePointer(&calling, routine);
        vfy_unlock(irql);
        if (!routine)
            continue;
        ULONG mark = vfy_lock_mark();
        if (exception_guard_enabled) /* the driver's routine */
            EXCEPTION_GUARD(EXCEPTION_GUARD_NOTIFY, routine, a1, a2, a3, 0);
        else
            ((VOID(NTAPI *)(ULONG_PTR, ULONG_PTR, ULONG_PTR))routine)(a1, a2, a3);
        vfy_judge_return(kind_names[kind], routine, PASSIVE_LEVEL, mark);
        InterlockedExchangePointer(&calling, NULL);
    }
}

/* A counted string that follows its UNICODE_STRING in one block of pool: what
 * ZwQueryInformationProcess returns for the image name and the command line. NULL: not known. */
static PUNICODE_STRING query_string(HANDLE handle, ULONG information_class)
{
    ULONG length = 0;
    PUNICODE_STRING text = vfy_real_ExAllocatePoolWithTag(NonPagedPoolNx, NAME_BYTES, 'nVwm');

    if (!text)
        return NULL;
    if (!handle ||
        !NT_SUCCESS(query_process(handle, information_class, text, NAME_BYTES, &length)) ||
        !text->Buffer || !text->Length) {
        vfy_real_ExFreePoolWithTag(text, 'nVwm');
        return NULL;
    }
    return text;
}

static void process_created(const struct seen *s)
{
    OBJECT_ATTRIBUTES attributes;
    CLIENT_ID id = {s->process, NULL};
    HANDLE handle = NULL;

    InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!open_process || !NT_SUCCESS(open_process(&handle, QUERY_ACCESS,
                                                  &attributes, &id)))
        handle = NULL;
    PUNICODE_STRING image = query_process ? query_string(handle, PROCESS_IMAGE_FILE_NAME_CLASS)
                                          : NULL;
    PUNICODE_STRING command = query_process ? query_string(handle, PROCESS_COMMAND_LINE_CLASS)
                                            : NULL;
    if (handle)
        vfy_real_ZwClose(handle);
    PS_CREATE_NOTIFY_INFO info = {
        .Size = sizeof(info),
        .ParentProcessId = s->parent,
        /* The creating thread is not known: its process is taken to be the parent. */
        .CreatingThreadId = {s->parent, NULL},
        .ImageFileName = image ? image : &s->entry->image_name,
        .CommandLine = command,
        .CreationStatus = STATUS_SUCCESS,
    };
    call_all(VFY_NOTIFY_PROCESS, (ULONG_PTR)s->parent, (ULONG_PTR)s->process, TRUE);
    call_all(VFY_NOTIFY_PROCESS_EX, (ULONG_PTR)s->object, (ULONG_PTR)s->process,
             (ULONG_PTR)&info);
    if (image)
        vfy_real_ExFreePoolWithTag(image, 'nVwm');
    if (command)
        vfy_real_ExFreePoolWithTag(command, 'nVwm');
}

static void process_exited(const struct seen *s)
{
    call_all(VFY_NOTIFY_PROCESS, (ULONG_PTR)s->parent, (ULONG_PTR)s->process, FALSE);
    if (s->object)
        call_all(VFY_NOTIFY_PROCESS_EX, (ULONG_PTR)s->object, (ULONG_PTR)s->process, 0);
}

/* --- the list of processes and threads --- */

static BOOLEAN read_list(void)
{
    for (;;) {
        ULONG needed = 0;
        if (!list) {
            list_size = list_size ? list_size : LIST_MIN;
            list = vfy_real_ExAllocatePoolWithTag(NonPagedPoolNx, list_size, 'lVwm');
            if (!list)
                return FALSE;
        }
        NTSTATUS status = query_system(SYSTEM_PROCESS_INFORMATION_CLASS, list, list_size,
                                       &needed);
        if (NT_SUCCESS(status))
            return TRUE;
        if (status != STATUS_INFO_LENGTH_MISMATCH || list_size >= LIST_MAX)
            return FALSE;
        vfy_real_ExFreePoolWithTag(list, 'lVwm');
        list = NULL;
        list_size = needed > list_size ? needed + 16 * 1024 : list_size * 2;
    }
}

/* By id alone: Wine lists a process before its start time is set (0x5555... at first). */
static struct seen *find_seen(HANDLE process, HANDLE thread)
{
    for (unsigned i = 0; i < seen_count; i++)
        if (seen[i].process == process && seen[i].thread == thread)
            return &seen[i];
    return NULL;
}

/* New entries go at the end, and are told after the old ones that went. */
static struct seen *add_seen(HANDLE process, HANDLE thread, HANDLE parent)
{
    if (seen_count == SEEN_MAX)
        return NULL; /* not followed: no notification for it */
    struct seen *s = &seen[seen_count++];
    *s = (struct seen){process, thread, parent, NULL, NULL, TRUE};
    return s;
}

static const struct system_process *next_entry(const struct system_process *entry)
{
    return entry->next ? (const struct system_process *)((const char *)entry + entry->next)
                       : NULL;
}

/* Marks what is still listed and appends what is new; returns where the new entries start. */
static unsigned merge_list(BOOLEAN first)
{
    unsigned old_count = seen_count;

    for (unsigned i = 0; i < seen_count; i++)
        seen[i].listed = FALSE;
    for (const struct system_process *p = list; p; p = next_entry(p)) {
        struct seen *s = find_seen(p->process_id, NULL);
        if (s) {
            s->listed = TRUE;
        } else if (!p->image_name.Length) {
            continue; /* still being created under Wine (no image yet): the next poll */
        } else {
            PEPROCESS object = NULL;
            /* Gone already, or not followed: none of its threads either. */
            if (!NT_SUCCESS(lookup_process(p->process_id, &object)))
                continue;
            s = add_seen(p->process_id, NULL, p->parent_id);
            if (!s) {
                vfy_real_ObfDereferenceObject(object);
                continue;
            }
            s->object = object;
            s->entry = p;
        }
        for (ULONG t = 0; t < p->thread_count; t++) {
            const struct system_thread *thread = &p->threads[t];
            struct seen *ts = find_seen(p->process_id, thread->client_id.UniqueThread);
            if (ts)
                ts->listed = TRUE;
            else
                add_seen(p->process_id, thread->client_id.UniqueThread, NULL);
        }
    }
    return first ? seen_count : old_count;
}

static void forget(unsigned i)
{
    if (seen[i].object)
        vfy_real_ObfDereferenceObject(seen[i].object);
    seen[i] = seen[--seen_count];
}

/* Threads that went, then processes that went, then new processes, then new threads: the
 * order Windows tells them in. */
static void poll_once(BOOLEAN first)
{
    if (!read_list())
        return;
    unsigned fresh = merge_list(first);
    for (unsigned i = 0; i < fresh; i++)
        if (!seen[i].listed && seen[i].thread)
            call_all(VFY_NOTIFY_THREAD, (ULONG_PTR)seen[i].process, (ULONG_PTR)seen[i].thread,
                     FALSE);
    for (unsigned i = 0; i < fresh; i++)
        if (!seen[i].listed && !seen[i].thread)
            process_exited(&seen[i]);
    for (unsigned i = fresh; i < seen_count; i++)
        if (!seen[i].thread)
            process_created(&seen[i]);
    for (unsigned i = fresh; i < seen_count; i++)
        if (seen[i].thread)
            call_all(VFY_NOTIFY_THREAD, (ULONG_PTR)seen[i].process, (ULONG_PTR)seen[i].thread,
                     TRUE);
    for (unsigned i = fresh; i-- > 0;) /* from the end: forget moves the last entry here */
        if (!seen[i].listed)
            forget(i);
}

static VOID NTAPI poller(PVOID context)
{
    LARGE_INTEGER period = {.QuadPart = -10000LL * POLL_MS};

    (void)context;
    InterlockedExchange64(&poller_id, current_id());
    for (BOOLEAN first = TRUE; poller_state == POLLER_RUNNING; first = FALSE) {
        poll_once(first);
        vfy_real_KeDelayExecutionThread(KernelMode, FALSE, &period);
    }
    while (seen_count)
        forget(seen_count - 1);
    if (list)
        vfy_real_ExFreePoolWithTag(list, 'lVwm');
    list = NULL;
    vfy_real_PsTerminateSystemThread(STATUS_SUCCESS);
}

/* --- starting and stopping the poller --- */

/* Under Wine only: the verified image imports none of these. */
static void find_routines(void)
{
    if (query_system)
        return;
    lookup_process = (lookup_process_fn)lookup(L"PsLookupProcessByProcessId");
    open_process = (open_process_fn)lookup(L"ZwOpenProcess");
    query_process = (query_process_fn)lookup(L"ZwQueryInformationProcess");
    query_thread = (query_process_fn)lookup(L"ZwQueryInformationThread");
    open_object = (open_object_fn)lookup(L"ObOpenObjectByPointer");
    process_type = (POBJECT_TYPE *)lookup(L"PsProcessType");
    thread_type = (POBJECT_TYPE *)lookup(L"PsThreadType");
    query_system = (query_system_fn)lookup(L"ZwQuerySystemInformation");
}

static void start_poller(void)
{
    OBJECT_ATTRIBUTES attributes;
    HANDLE thread;

    find_routines();
    if (!query_system || !lookup_process || vfy_irql() != PASSIVE_LEVEL ||
        InterlockedCompareExchange(&poller_state, POLLER_RUNNING, POLLER_NONE) != POLLER_NONE)
        return;
    InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(vfy_real_PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, &attributes, NULL,
                                                  NULL, poller, NULL))) {
        InterlockedExchange(&poller_state, POLLER_NONE);
        return;
    }
    if (!NT_SUCCESS(vfy_real_ObReferenceObjectByHandle(thread, SYNCHRONIZE, NULL, KernelMode,
                                                       &poller_thread, NULL)))
        poller_thread = NULL;
    vfy_real_ZwClose(thread);
}

/* Waits for the poller's end, unless this is the poller (a routine removed from inside a
 * call): it ends after this call, and the next start or the unload waits for it. */
static void stop_poller(void)
{
    LARGE_INTEGER interval = {.QuadPart = -100000LL}; /* 10 ms */

    InterlockedCompareExchange(&poller_state, POLLER_STOPPING, POLLER_RUNNING);
    if (poller_state != POLLER_STOPPING || poller_id == current_id())
        return;
    if (poller_thread) {
        vfy_real_KeWaitForSingleObject(poller_thread, Executive, KernelMode, FALSE, NULL);
        vfy_real_ObfDereferenceObject(poller_thread);
        poller_thread = NULL;
    } else {
        for (int i = 0; i < 50; i++) /* not referenced: its last poll, then its last lines */
            vfy_real_KeDelayExecutionThread(KernelMode, FALSE, &interval);
    }
    InterlockedExchange64(&poller_id, 0);
    InterlockedExchange(&poller_state, POLLER_NONE);
}

static int count_routines(void)
{
    int n = 0;

    for (int k = 0; k < VFY_NOTIFY_KINDS; k++)
        for (int i = 0; i < ROUTINES_MAX; i++)
            n += routines[k][i] != NULL;
    return n;
}

void vfy_notify_routine(enum vfy_notify_kind kind, PVOID routine, BOOLEAN remove)
{
    if (!vfy_on_wine() || !routine)
        return;
    KIRQL irql = vfy_lock();
    for (int i = 0; i < ROUTINES_MAX; i++) {
        if (remove && routines[kind][i] == routine) {
            routines[kind][i] = NULL;
            break;
        }
        if (!remove && !routines[kind][i]) {
            routines[kind][i] = routine;
            break;
        }
    }
    int left = count_routines();
    vfy_unlock(irql);
    if (!remove) {
        if (poller_state == POLLER_STOPPING)
            stop_poller(); /* the last one ended from inside a call: wait for it first */
        start_poller();
        return;
    }
    /* As on Windows, after the removal returns the routine is not running, nor called again. */
    LARGE_INTEGER interval = {.QuadPart = -10000LL}; /* 1 ms */
    while (calling == routine && poller_id != current_id())
        vfy_real_KeDelayExecutionThread(KernelMode, FALSE, &interval);
    if (!left)
        stop_poller();
}

/* At unload, before the image goes: routines the driver left registered are not called again
 * (resources.c reports them). */
void vfy_notify_stop(void)
{
    KIRQL irql = vfy_lock();
    memset(routines, 0, sizeof(routines));
    vfy_unlock(irql);
    stop_poller();
}

/* --- exit statuses under Wine --- */

/* The ExitStatus that PROCESS_BASIC_INFORMATION and THREAD_BASIC_INFORMATION both begin with,
 * through a kernel handle to the object; STATUS_PENDING (what Windows answers for one still
 * running) when Wine cannot tell. */
static NTSTATUS wine_exit_status(PVOID object, POBJECT_TYPE *type, ACCESS_MASK access,
                                 query_process_fn query)
{
    ULONG_PTR basic[8] = {0}; /* 48 bytes either */
    HANDLE handle;
    NTSTATUS status = STATUS_PENDING;

    find_routines();
    if (!object || !open_object || !type || !query ||
        !NT_SUCCESS(open_object(object, OBJ_KERNEL_HANDLE, NULL, access, *type, KernelMode,
                                &handle)))
        return STATUS_PENDING;
    if (NT_SUCCESS(query(handle, 0 /* basic information */, basic, 48, NULL)))
        status = (NTSTATUS)(ULONG)basic[0];
    vfy_real_ZwClose(handle);
    return status;
}

NTSTATUS NTAPI vfy_PsGetProcessExitStatus(PEPROCESS process)
{
    CHECK_IRQL(PsGetProcessExitStatus);
    if (vfy_on_wine())
        return wine_exit_status(process, process_type, QUERY_ACCESS, query_process);
    NEED_REAL(PsGetProcessExitStatus, STATUS_PENDING);
    return vfy_real_PsGetProcessExitStatus(process);
}

NTSTATUS NTAPI vfy_PsGetThreadExitStatus(PETHREAD thread)
{
    CHECK_IRQL(PsGetThreadExitStatus);
    if (vfy_on_wine())
        return wine_exit_status(thread, thread_type, 0x0040 /* THREAD_QUERY_INFORMATION */,
                                query_thread);
    NEED_REAL(PsGetThreadExitStatus, STATUS_PENDING);
    return vfy_real_PsGetThreadExitStatus(thread);
}
