/*
 * wdk_notify: the calls Microsoft's obcallback sample makes, which Windows allows only to an
 * image linked with /INTEGRITYCHECK (add_wdm_driver(... WDK_COMPAT INTEGRITY_CHECK)):
 * ObRegisterCallbacks on processes and PsSetCreateProcessNotifyRoutineEx. Each status is logged;
 * Wine 8 accepts both and never calls back (docs/wine.md), so the driver loads and unloads there.
 */
#include <ntddk.h>

#define NotifyPrint(fmt, ...) \
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "wdk_notify: " ## fmt "\n", __VA_ARGS__)

DRIVER_INITIALIZE DriverEntry;
DRIVER_UNLOAD NotifyUnload;

static PVOID RegistrationHandle;
static BOOLEAN ProcessNotifySet;
static LONG Calls;

/* A PnP notification callback declared with the documented type and defined with the
 * notification's own pointer type, as DV-FailDriver-WDM does: MSVC's C only warns (C4028), and
 * under WDK_COMPAT the kit accepts it (toolchain/include/wdm.h). Compiled, never registered. */
DRIVER_NOTIFICATION_CALLBACK_ROUTINE NotifyInterfaceChange;
NTSTATUS NotifyInterfaceChange(PDEVICE_INTERFACE_CHANGE_NOTIFICATION Notification, PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    return Notification ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

static OB_PREOP_CALLBACK_STATUS NotifyPreOperation(PVOID Context,
                                                   POB_PRE_OPERATION_INFORMATION Info)
{
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(Info);
    InterlockedIncrement(&Calls);
    return OB_PREOP_SUCCESS;
}

static VOID NotifyProcess(PEPROCESS Process, HANDLE ProcessId, PPS_CREATE_NOTIFY_INFO Info)
{
    UNREFERENCED_PARAMETER(Process);
    UNREFERENCED_PARAMETER(ProcessId);
    UNREFERENCED_PARAMETER(Info);
    InterlockedIncrement(&Calls);
}

_Use_decl_annotations_
VOID NotifyUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    if (ProcessNotifySet) {
        PsSetCreateProcessNotifyRoutineEx(NotifyProcess, TRUE);
    }
    if (RegistrationHandle) {
        ObUnRegisterCallbacks(RegistrationHandle);
    }
    NotifyPrint("unloaded after %ld callbacks", Calls);
}

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    OB_OPERATION_REGISTRATION operation = {0};
    OB_CALLBACK_REGISTRATION registration = {0};
    UNICODE_STRING altitude = RTL_CONSTANT_STRING(L"1000");
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);
    operation.ObjectType = PsProcessType;
    operation.Operations = OB_OPERATION_HANDLE_CREATE | OB_OPERATION_HANDLE_DUPLICATE;
    operation.PreOperation = NotifyPreOperation;
    registration.Version = ObGetFilterVersion();
    registration.OperationRegistrationCount = 1;
    registration.Altitude = altitude;
    registration.OperationRegistration = &operation;
    status = ObRegisterCallbacks(&registration, &RegistrationHandle);
    NotifyPrint("ObRegisterCallbacks: 0x%08x", (unsigned)status);
    if (!NT_SUCCESS(status)) {
        RegistrationHandle = NULL;
    }
    status = PsSetCreateProcessNotifyRoutineEx(NotifyProcess, FALSE);
    NotifyPrint("PsSetCreateProcessNotifyRoutineEx: 0x%08x", (unsigned)status);
    ProcessNotifySet = NT_SUCCESS(status);
    DriverObject->DriverUnload = NotifyUnload;
    NotifyPrint("loaded");
    return STATUS_SUCCESS;
}
