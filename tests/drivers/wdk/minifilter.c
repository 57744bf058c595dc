/*
 * minifilter: a file system minifilter as the WDK's samples write one (<fltKernel.h>): a context
 * type, pre- and post-operation callbacks for create, read and write, instance callbacks, and an
 * unload callback that unregisters. It counts what the Filter Manager lets it see and says so in
 * its debug output, which tests/wine/wdk_real.sh reads: under Wine it registers, starts filtering,
 * sees no operation (Wine's FltMgr calls no callback) and unregisters when the service stops.
 */
#include <fltKernel.h>

/* The x64 layouts the documentation implies (its field order, POINTER_ALIGNMENT as 8), checked
 * where a minifilter is compiled: Wine never passes callback data to confirm them. */
_Static_assert(FIELD_OFFSET(FLT_CALLBACK_DATA, Iopb) == 0x10, "FLT_CALLBACK_DATA.Iopb");
_Static_assert(FIELD_OFFSET(FLT_CALLBACK_DATA, IoStatus) == 0x18, "FLT_CALLBACK_DATA.IoStatus");
_Static_assert(FIELD_OFFSET(FLT_CALLBACK_DATA, QueueContext) == 0x40, "FLT_CALLBACK_DATA.QueueContext");
_Static_assert(FIELD_OFFSET(FLT_CALLBACK_DATA, RequestorMode) == 0x50, "FLT_CALLBACK_DATA.RequestorMode");
_Static_assert(FIELD_OFFSET(FLT_IO_PARAMETER_BLOCK, TargetInstance) == 0x10, "Iopb.TargetInstance");
_Static_assert(FIELD_OFFSET(FLT_IO_PARAMETER_BLOCK, Parameters) == 0x18, "Iopb.Parameters");
_Static_assert(sizeof(FLT_PARAMETERS) == 0x30, "FLT_PARAMETERS: six pointer-sized arguments");
_Static_assert(FIELD_OFFSET(FLT_RELATED_OBJECTS, Transaction) == 0x28, "FLT_RELATED_OBJECTS");
_Static_assert(sizeof(FLT_REGISTRATION) == 0x70, "FLT_REGISTRATION version 0x0203");
_Static_assert(FIELD_OFFSET(FLT_PARAMETERS, Create.AllocationSize) == 0x28, "Create.AllocationSize");
_Static_assert(FIELD_OFFSET(FLT_PARAMETERS, Read.ReadBuffer) == 0x18, "Read.ReadBuffer");
_Static_assert(FIELD_OFFSET(FLT_PARAMETERS, DeviceIoControl.Neither.InputBuffer) == 0x18,
               "DeviceIoControl.Neither.InputBuffer");

#define say(...) DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "minifilter: " __VA_ARGS__)

static PFLT_FILTER filter;
static volatile LONG operations, instances;

typedef struct stream_context {
    ULONG writes;
} stream_context;

static FLT_PREOP_CALLBACK_STATUS FLTAPI pre_operation(PFLT_CALLBACK_DATA data,
                                                      PCFLT_RELATED_OBJECTS objects,
                                                      PVOID *completion)
{
    (void)objects;
    *completion = NULL;
    InterlockedIncrement(&operations);
    if (data->Iopb->MajorFunction == IRP_MJ_CREATE)
        return FLT_PREOP_SUCCESS_WITH_CALLBACK;
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static FLT_POSTOP_CALLBACK_STATUS FLTAPI post_create(PFLT_CALLBACK_DATA data,
                                                     PCFLT_RELATED_OBJECTS objects,
                                                     PVOID completion,
                                                     FLT_POST_OPERATION_FLAGS flags)
{
    PFLT_FILE_NAME_INFORMATION name;

    (void)objects;
    (void)completion;
    if (flags & FLTFL_POST_OPERATION_DRAINING || !NT_SUCCESS(data->IoStatus.Status))
        return FLT_POSTOP_FINISHED_PROCESSING;
    if (NT_SUCCESS(FltGetFileNameInformation(data, FLT_FILE_NAME_NORMALIZED |
                                                       FLT_FILE_NAME_QUERY_DEFAULT, &name))) {
        FltParseFileNameInformation(name);
        FltReleaseFileNameInformation(name);
    }
    return FLT_POSTOP_FINISHED_PROCESSING;
}

static NTSTATUS FLTAPI instance_setup(PCFLT_RELATED_OBJECTS objects, FLT_INSTANCE_SETUP_FLAGS flags,
                                      DEVICE_TYPE device_type, FLT_FILESYSTEM_TYPE fs_type)
{
    (void)objects;
    (void)flags;
    (void)device_type;
    InterlockedIncrement(&instances);
    return fs_type == FLT_FSTYPE_NTFS ? STATUS_SUCCESS : STATUS_FLT_DO_NOT_ATTACH;
}

static NTSTATUS FLTAPI instance_query_teardown(PCFLT_RELATED_OBJECTS objects,
                                               FLT_INSTANCE_QUERY_TEARDOWN_FLAGS flags)
{
    (void)objects;
    (void)flags;
    return STATUS_SUCCESS;
}

static VOID FLTAPI context_cleanup(PFLT_CONTEXT context, FLT_CONTEXT_TYPE type)
{
    (void)context;
    (void)type;
}

static NTSTATUS FLTAPI filter_unload(FLT_FILTER_UNLOAD_FLAGS flags)
{
    (void)flags;
    FltUnregisterFilter(filter);
    say("unloaded: %ld operations, %ld instance setups seen\n", operations, instances);
    return STATUS_SUCCESS;
}

static const FLT_CONTEXT_REGISTRATION contexts[] = {
    {FLT_STREAM_CONTEXT, 0, context_cleanup, sizeof(stream_context), 'xtCM', NULL, NULL, NULL},
    {FLT_CONTEXT_END, 0, NULL, 0, 0, NULL, NULL, NULL}};

static const FLT_OPERATION_REGISTRATION callbacks[] = {
    {IRP_MJ_CREATE, 0, pre_operation, post_create, NULL},
    {IRP_MJ_READ, FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO, pre_operation, NULL, NULL},
    {IRP_MJ_WRITE, FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO, pre_operation, NULL, NULL},
    {IRP_MJ_OPERATION_END, 0, NULL, NULL, NULL}};

static const FLT_REGISTRATION registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, contexts, callbacks, filter_unload,
    instance_setup, instance_query_teardown, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry)
{
    NTSTATUS status;

    (void)registry;
    status = FltRegisterFilter(driver, &registration, &filter);
    say("FltRegisterFilter: 0x%08lx\n", (unsigned long)status);
    if (!NT_SUCCESS(status))
        return status;
    status = FltStartFiltering(filter);
    say("FltStartFiltering: 0x%08lx\n", (unsigned long)status);
    if (!NT_SUCCESS(status))
        FltUnregisterFilter(filter);
    return status;
}
