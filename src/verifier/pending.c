/*
 * The requests the driver holds pending, kept in the PendingIrps value of its saved key
 * (<minwdm/control.h>) for minwdmctl to print when a kernel test or a client does not finish:
 * major function, IOCTL code, dispatch routine, since when, cancel routine or not. A thread of
 * the verifier, started when a request first goes pending, rewrites the value within a quarter
 * second of a change. A value rather than a control request: under Wine one thread dispatches
 * every request of the driver host, and a kernel test that never returns holds that thread.
 */
#include "verifier.h"

#include "registry.h"

enum writer_state { WRITER_NONE, WRITER_RUNNING, WRITER_STOPPING, WRITER_ENDED };

struct pending_list {
    struct minwdm_pending_irps header;
    struct minwdm_pending_irp entries[MINWDM_PENDING_IRPS_MAX];
};

static struct pending_list written, current; /* the writer thread's alone */
static ULONG written_size;                   /* 0: nothing written yet */
static volatile LONG writer_state;
static PVOID writer_thread; /* referenced: unload waits for the thread's end, not a guess */
static WCHAR key_buffer[320];
static UNICODE_STRING key_path;

MINWDM_INIT_CODE void vfy_pending_list_key(PCUNICODE_STRING registry_path)
{
    key_path.Buffer = key_buffer;
    key_path.MaximumLength = sizeof(key_buffer);
    if (registry_path->Length <= key_path.MaximumLength) /* else no list */
        RtlCopyUnicodeString(&key_path, registry_path);
}

static void write_if_changed(void)
{
    uint32_t total;
    unsigned count = vfy_irps_pending(current.entries, MINWDM_PENDING_IRPS_MAX, &total);
    ULONG size = (ULONG)(sizeof(current.header) + count * sizeof(current.entries[0]));

    current.header = (struct minwdm_pending_irps){
        .abi_version = MINWDM_CONTROL_ABI_VERSION,
        .count = count,
        .total = total,
        .instance = driver_log.instance,
    };
    if (size == written_size && !memcmp(&current, &written, size))
        return;
    registry_write(&key_path, MINWDM_PENDING_IRPS_VALUE, REG_BINARY, &current, size);
    memcpy(&written, &current, size);
    written_size = size;
}

static VOID NTAPI writer(PVOID context)
{
    LARGE_INTEGER period = {.QuadPart = -10000LL * MINWDM_PENDING_IRPS_PERIOD_MS};

    (void)context;
    while (InterlockedCompareExchange(&writer_state, 0, 0) == WRITER_RUNNING) {
        write_if_changed();
        vfy_real_KeDelayExecutionThread(KernelMode, FALSE, &period);
    }
    InterlockedExchange(&writer_state, WRITER_ENDED);
    vfy_real_PsTerminateSystemThread(STATUS_SUCCESS);
}

/* The kernel's own PsCreateSystemThread: the verifier's thread is not the driver's. */
void vfy_pending_list_start(void)
{
    OBJECT_ATTRIBUTES attributes;
    HANDLE thread;

    if (writer_state != WRITER_NONE || !key_path.Length || vfy_irql() != PASSIVE_LEVEL ||
        InterlockedCompareExchange(&writer_state, WRITER_RUNNING, WRITER_NONE) != WRITER_NONE)
        return;
    InitializeObjectAttributes(&attributes, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(vfy_real_PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, &attributes, NULL,
                                                  NULL, writer, NULL))) {
        InterlockedExchange(&writer_state, WRITER_ENDED); /* no list: minwdmctl prints none */
        return;
    }
    if (!NT_SUCCESS(vfy_real_ObReferenceObjectByHandle(thread, SYNCHRONIZE, NULL, KernelMode,
                                                       &writer_thread, NULL)))
        writer_thread = NULL;
    vfy_real_ZwClose(thread);
}

/* At unload (PASSIVE_LEVEL): the thread has ended before the image goes. */
void vfy_pending_list_stop(void)
{
    LARGE_INTEGER interval = {.QuadPart = -100000LL}; /* 10 ms */

    if (InterlockedCompareExchange(&writer_state, WRITER_STOPPING, WRITER_RUNNING) !=
        WRITER_RUNNING)
        return;
    if (writer_thread) {
        vfy_real_KeWaitForSingleObject(writer_thread, Executive, KernelMode, FALSE, NULL);
        vfy_real_ObfDereferenceObject(writer_thread);
        writer_thread = NULL;
        return;
    }
    /* Not referenced (never seen): its state, then the few instructions after it. */
    for (int i = 0; i < 200 && writer_state != WRITER_ENDED; i++)
        vfy_real_KeDelayExecutionThread(KernelMode, FALSE, &interval);
    vfy_real_KeDelayExecutionThread(KernelMode, FALSE, &interval);
}
