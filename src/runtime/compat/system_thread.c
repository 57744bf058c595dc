/*
 * IoCreateSystemThread (Windows 8 and later; not in Wine 8): PsCreateSystemThread with a reference
 * on the driver's device or driver object for as long as the thread runs, so the driver cannot
 * unload under it. The kit's drops the reference when the start routine returns; a start routine
 * that ends with PsTerminateSystemThread keeps it (Wine does not count it against unloading).
 */
#include "kernel_routine.h"

typedef NTSTATUS(NTAPI *create_fn)(PVOID, PHANDLE, ULONG, POBJECT_ATTRIBUTES, HANDLE, PCLIENT_ID,
                                   PKSTART_ROUTINE, PVOID);

static const PCWSTR names[1] = {L"IoCreateSystemThread"};
static void *volatile kernel[1];
static struct compat_family family = {COMPAT_UNDECIDED, 1, names, kernel};
COMPAT_DECIDE_AT_LOAD(family);

struct start {
    PKSTART_ROUTINE routine;
    PVOID context;
    PVOID object;
};

#define START_TAG 'tSwM'

static VOID NTAPI run(PVOID argument)
{
    struct start start = *(struct start *)argument;

    ExFreePoolWithTag(argument, START_TAG);
    start.routine(start.context);
    ObDereferenceObject(start.object);
}

static NTSTATUS NTAPI create_system_thread(PVOID object, PHANDLE handle, ULONG access,
                                           POBJECT_ATTRIBUTES attributes, HANDLE process,
                                           PCLIENT_ID client, PKSTART_ROUTINE routine,
                                           PVOID context)
{
    struct start *start;
    NTSTATUS status;

    if (compat_use_kernel(&family))
        return ((create_fn)kernel[0])(object, handle, access, attributes, process, client,
                                      routine, context);
    if (!object || !routine)
        return STATUS_INVALID_PARAMETER;
    start = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*start), START_TAG);
    if (!start)
        return STATUS_INSUFFICIENT_RESOURCES;
    start->routine = routine;
    start->context = context;
    start->object = object;
    ObReferenceObject(object);
    status = PsCreateSystemThread(handle, access, attributes, process, client, run, start);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(object);
        ExFreePoolWithTag(start, START_TAG);
    }
    return status;
}

COMPAT_ROUTINE(IoCreateSystemThread, create_system_thread);
