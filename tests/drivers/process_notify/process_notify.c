/* process_notify: a driver that registers process and thread notify routines and keeps what they
 * saw of each process (process_notify.h), for its client (process_notify_client.c) and kernel
 * test. Under Wine it sees anything only through the verifier's emulation (src/verifier/notify.c):
 * Wine 8 calls no notify routine. */
#include <ntifs.h>

#include <minwdm/runtime.h>

#include <minwdm/ddk_extra.h>

#include "process_notify.h"
#include "process_notify_driver.h"

#define EVENTS_MAX 2048

enum event_kind { EVENT_PROCESS, EVENT_PLAIN, EVENT_THREAD };

struct event {
    HANDLE process, other; /* the thread, or the parent */
    HANDLE creating;
    NTSTATUS exit_status; /* a process's or thread's, at its exit */
    ULONG info_size;
    UCHAR kind, create;
    BOOLEAN process_matches, command_line_null, file_open_name_available;
    WCHAR image[PROCESS_NOTIFY_CHARS], command[PROCESS_NOTIFY_CHARS];
};

static struct event events[EVENTS_MAX];
static LONG event_count;
static KSPIN_LOCK events_lock;
static BOOLEAN process_set, plain_set, thread_set;

static const UNICODE_STRING device_name = RTL_CONSTANT_STRING(L"\\Device\\process_notify");
static const UNICODE_STRING link_name = RTL_CONSTANT_STRING(L"\\DosDevices\\process_notify");

static struct event *new_event(void)
{
    KIRQL irql;
    struct event *e = NULL;

    KeAcquireSpinLock(&events_lock, &irql);
    if (event_count < EVENTS_MAX)
        e = &events[event_count++];
    KeReleaseSpinLock(&events_lock, irql);
    if (e)
        RtlZeroMemory(e, sizeof(*e));
    return e;
}

static void copy_tail(WCHAR *to, PCUNICODE_STRING text)
{
    USHORT n = text->Length / sizeof(WCHAR), start = 0;

    if (n >= PROCESS_NOTIFY_CHARS)
        start = (USHORT)(n - (PROCESS_NOTIFY_CHARS - 1));
    RtlCopyMemory(to, text->Buffer + start, (n - start) * sizeof(WCHAR));
}

static VOID on_process(PEPROCESS process, HANDLE process_id, PPS_CREATE_NOTIFY_INFO info)
{
    struct event *e = new_event();

    if (!e)
        return;
    e->kind = EVENT_PROCESS;
    e->create = info != NULL;
    e->process = process_id;
    e->process_matches = process && PsGetProcessId(process) == process_id;
    if (!info && process)
        e->exit_status = PsGetProcessExitStatus(process);
    if (info) {
        e->other = info->ParentProcessId;
        e->creating = info->CreatingThreadId.UniqueProcess;
        e->info_size = (ULONG)info->Size;
        e->file_open_name_available = info->FileOpenNameAvailable;
        e->command_line_null = info->CommandLine == NULL;
        if (info->ImageFileName)
            copy_tail(e->image, info->ImageFileName);
        if (info->CommandLine)
            copy_tail(e->command, info->CommandLine);
    }
}

static VOID on_plain(HANDLE parent, HANDLE process_id, BOOLEAN create)
{
    struct event *e = new_event();

    if (e)
        *e = (struct event){.kind = EVENT_PLAIN, .create = create, .process = process_id,
                            .other = parent};
}

/* At a thread's exit, its exit status as SysMon (the book's chapter 9) reads it. */
static VOID on_thread(HANDLE process_id, HANDLE thread_id, BOOLEAN create)
{
    struct event *e = new_event();
    PETHREAD thread;

    if (!e)
        return;
    *e = (struct event){.kind = EVENT_THREAD, .create = create, .process = process_id,
                        .other = thread_id, .exit_status = (NTSTATUS)PROCESS_NOTIFY_NO_THREAD};
    if (!create && NT_SUCCESS(PsLookupThreadByThreadId(thread_id, &thread))) {
        e->exit_status = PsGetThreadExitStatus(thread);
        ObDereferenceObject(thread);
    }
}

static void add_tid(uint32_t *tids, uint32_t *statuses, uint32_t *count, const struct event *e)
{
    if (*count < PROCESS_NOTIFY_THREADS) {
        tids[*count] = (uint32_t)(ULONG_PTR)e->other;
        if (statuses)
            statuses[*count] = (uint32_t)e->exit_status;
    }
    (*count)++;
}

void process_notify_summary(HANDLE process_id, struct process_notify_summary *s)
{
    LONG count = InterlockedCompareExchange(&event_count, 0, 0);
    LONG create_at = -1, plain_create_at = -1, exit_at = -1, plain_exit_at = -1;
    LONG last_thread_exit = -1;

    RtlZeroMemory(s, sizeof(*s));
    s->process_matches = 1;
    for (LONG i = 0; i < count; i++) {
        const struct event *e = &events[i];
        if (e->process != process_id)
            continue;
        if (e->kind == EVENT_THREAD) {
            if (e->create) {
                add_tid(s->created, NULL, &s->threads_created, e);
            } else {
                add_tid(s->exited, s->exited_status, &s->threads_exited, e);
                last_thread_exit = i;
            }
        } else if (e->kind == EVENT_PLAIN) {
            s->plain_parent = (uint32_t)(ULONG_PTR)e->other;
            *(e->create ? &s->plain_creates : &s->plain_exits) += 1;
            *(e->create ? &plain_create_at : &plain_exit_at) = i;
        } else {
            s->process_matches &= e->process_matches;
            *(e->create ? &s->creates : &s->exits) += 1;
            *(e->create ? &create_at : &exit_at) = i;
            if (!e->create)
                s->exit_status = (uint32_t)e->exit_status;
            if (e->create) {
                s->parent = (uint32_t)(ULONG_PTR)e->other;
                s->creating_process = (uint32_t)(ULONG_PTR)e->creating;
                s->info_size = e->info_size;
                s->file_open_name_available = e->file_open_name_available;
                s->command_line_null = e->command_line_null;
                RtlCopyMemory(s->image, e->image, sizeof(s->image));
                RtlCopyMemory(s->command, e->command, sizeof(s->command));
            }
        }
    }
    s->create_before_exit = create_at >= 0 && exit_at > create_at && plain_create_at >= 0 &&
                            plain_exit_at > plain_create_at;
    s->thread_exits_before_exit = exit_at < 0 || last_thread_exit < exit_at;
}

void process_notify_remove(void)
{
    if (thread_set)
        PsRemoveCreateThreadNotifyRoutine(on_thread);
    if (plain_set)
        PsSetCreateProcessNotifyRoutine(on_plain, TRUE);
    if (process_set)
        PsSetCreateProcessNotifyRoutineEx(on_process, TRUE);
    thread_set = plain_set = process_set = FALSE;
}

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS open_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS control(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG code = stack->Parameters.DeviceIoControl.IoControlCode;
    void *buffer = irp->AssociatedIrp.SystemBuffer;

    (void)device;
    if (code == IOCTL_PROCESS_NOTIFY_REMOVE) {
        process_notify_remove();
        return complete(irp, STATUS_SUCCESS, 0);
    }
    if (code != IOCTL_PROCESS_NOTIFY_QUERY)
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (!buffer || stack->Parameters.DeviceIoControl.InputBufferLength < sizeof(uint32_t) ||
        stack->Parameters.DeviceIoControl.OutputBufferLength <
            sizeof(struct process_notify_summary))
        return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
    uint32_t pid;
    RtlCopyMemory(&pid, buffer, sizeof(pid));
    process_notify_summary((HANDLE)(ULONG_PTR)pid, buffer);
    return complete(irp, STATUS_SUCCESS, sizeof(struct process_notify_summary));
}

static DRIVER_UNLOAD unload;

static void unload(PDRIVER_OBJECT driver)
{
    UNICODE_STRING link = link_name;

    process_notify_remove();
    IoDeleteSymbolicLink(&link);
    IoDeleteDevice(driver->DeviceObject);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING name = device_name, link = link_name;
    PDEVICE_OBJECT device;

    (void)registry_path;
    KeInitializeSpinLock(&events_lock);
    NTSTATUS status = IoCreateDevice(driver, 0, &name, PROCESS_NOTIFY_DEVICE_TYPE,
                                     FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link, &name);
    if (NT_SUCCESS(status)) {
        status = PsSetCreateProcessNotifyRoutineEx(on_process, FALSE);
        process_set = NT_SUCCESS(status);
    }
    if (NT_SUCCESS(status)) {
        status = PsSetCreateProcessNotifyRoutine(on_plain, FALSE);
        plain_set = NT_SUCCESS(status);
    }
    if (NT_SUCCESS(status)) {
        status = PsSetCreateThreadNotifyRoutine(on_thread);
        thread_set = NT_SUCCESS(status);
    }
    if (!NT_SUCCESS(status)) {
        process_notify_remove();
        IoDeleteSymbolicLink(&link);
        IoDeleteDevice(device);
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = open_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = open_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = control;
    driver->DriverUnload = unload;
    device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}
