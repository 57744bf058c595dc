/* KMelody's playback thread under Wine 8: IoGetDeviceObjectPointer(\Device\Beep) "succeeds"
 * without a file object and returns Wine's stand-in device (StackSize 0x80, -128 as a CCHAR),
 * and IoBuildDeviceIoControlRequest for it wrote the IRP's stack location before its block. A
 * verified build builds no IRP for a device without a stack location: NULL, which a driver
 * handles as it handles an exhausted pool. */
#include <minwdm/runtime.h>
#include <minwdm/test.h>

#define BEEP_LIKE_CODE 0x10000 /* IOCTL_BEEP_SET: CTL_CODE(FILE_DEVICE_BEEP, 0, METHOD_BUFFERED, 0) */

static PIRP build_for(PDEVICE_OBJECT device, KEVENT *done, IO_STATUS_BLOCK *io)
{
    static ULONG input[2] = {440, 10};

    KeInitializeEvent(done, SynchronizationEvent, FALSE);
    return IoBuildDeviceIoControlRequest(BEEP_LIKE_CODE, device, input, sizeof(input), NULL, 0,
                                         FALSE, done, io);
}

/* A device object as Wine's stub returns it: no stack location. */
MINWDM_TEST(no_irp_for_a_device_without_stack_location)
{
    static DEVICE_OBJECT stand_in;
    KEVENT done;
    IO_STATUS_BLOCK io;

    stand_in.Type = IO_TYPE_DEVICE;
    stand_in.Size = sizeof(stand_in);
    stand_in.StackSize = (CCHAR)0x80;
    EXPECT_EQ(build_for(&stand_in, &done, &io), NULL);
}

/* The sequence itself. On Windows (or a Wine that implements it) the name is not found and
 * there is nothing to refuse. */
MINWDM_TEST(stand_in_of_get_device_object_pointer_gets_no_irp)
{
    UNICODE_STRING name = RTL_CONSTANT_STRING(L"\\Device\\MinwdmNoSuchDevice");
    PFILE_OBJECT file = NULL;
    PDEVICE_OBJECT device = NULL;
    KEVENT done;
    IO_STATUS_BLOCK io;

    NTSTATUS status = IoGetDeviceObjectPointer(&name, FILE_WRITE_DATA, &file, &device);
    if (!NT_SUCCESS(status))
        SKIP("no such device, as on Windows: nothing to refuse");
    if (file) {
        ObDereferenceObject(file);
        SKIP("a device of that name exists");
    }
    ASSERT_NE(device, NULL);
    EXPECT_TRUE(device->StackSize < 1);
    EXPECT_EQ(build_for(device, &done, &io), NULL);
}
