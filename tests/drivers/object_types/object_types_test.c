/* The exported object types as the WDK declares them: `*PsThreadType` is the kernel's
 * POBJECT_TYPE, the value of its exported variable PsThreadType. mingw-w64's declarations gave
 * one indirection more (the type's first field), which KMelody passed to
 * ObReferenceObjectByHandle: the host faulted inside Wine. The types compared are the ones Wine 8
 * exports; each is checked before a call uses it, so a wrong one fails the test, not the host. */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

/* The value of the kernel's exported variable <name>, found by name. */
static POBJECT_TYPE kernel_type(PCWSTR name)
{
    UNICODE_STRING text;
    RtlInitUnicodeString(&text, name);
    POBJECT_TYPE *variable = MmGetSystemRoutineAddress(&text);
    return variable ? *variable : NULL;
}

MINWDM_TEST(object_types_are_the_kernels)
{
    ASSERT_NE(kernel_type(L"PsThreadType"), NULL);
    EXPECT_EQ(*PsThreadType, kernel_type(L"PsThreadType"));
    EXPECT_EQ(*PsProcessType, kernel_type(L"PsProcessType"));
    EXPECT_EQ(*IoFileObjectType, kernel_type(L"IoFileObjectType"));
    EXPECT_EQ(*ExEventObjectType, kernel_type(L"ExEventObjectType"));
    EXPECT_EQ(*ExSemaphoreObjectType, kernel_type(L"ExSemaphoreObjectType"));
    EXPECT_EQ(*SeTokenObjectType, kernel_type(L"SeTokenObjectType"));
}

static KSTART_ROUTINE quick_thread;

static VOID quick_thread(PVOID context)
{
    (void)context;
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* KMelody's Stop: the thread's handle referenced as a thread, waited for, released. */
MINWDM_TEST(thread_handle_referenced_as_thread)
{
    ASSERT_EQ(*PsThreadType, kernel_type(L"PsThreadType"));
    HANDLE handle;
    ASSERT_STATUS(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, quick_thread,
                                       NULL),
                  STATUS_SUCCESS);
    PVOID thread = NULL;
    NTSTATUS status =
        ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread, NULL);
    EXPECT_STATUS(status, STATUS_SUCCESS);
    if (NT_SUCCESS(status)) {
        LARGE_INTEGER timeout = {.QuadPart = -50000000LL}; /* 5 s */
        EXPECT_STATUS(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &timeout),
                      STATUS_SUCCESS);
        ObDereferenceObject(thread);
    }
    ZwClose(handle);
}

/* A thread's handle is not a process: the kernel compares the type it is given. */
MINWDM_TEST(thread_handle_is_not_a_process)
{
    ASSERT_EQ(*PsProcessType, kernel_type(L"PsProcessType"));
    HANDLE handle;
    ASSERT_STATUS(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, quick_thread,
                                       NULL),
                  STATUS_SUCCESS);
    PVOID process = NULL;
    EXPECT_STATUS(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsProcessType, KernelMode,
                                            &process, NULL),
                  STATUS_OBJECT_TYPE_MISMATCH);
    ZwClose(handle);
}
