/*
 * wsk_echo: a Winsock Kernel client as <wsk.h> documents one: WskRegister, WskCaptureProviderNPI,
 * a listening socket (WskSocket, WskBind on 127.0.0.1:40123), then a system thread accepts one
 * connection (WskAccept), receives a line (WskReceive over an MDL) and sends it back (WskSend)
 * with "echo: " before it. Every call goes through the dispatch tables, so the header's layouts
 * meet netio.sys's. tests/wine/wdk_real.sh connects from the host and reads the debug output.
 */
#include <wsk.h>

/* x64 layouts the documentation implies; the dispatch offsets this driver calls through are
 * confirmed at run time against Wine's netio.sys (wine.wdk_real). */
_Static_assert(sizeof(WSK_REGISTRATION) == 24, "WSK_REGISTRATION");
_Static_assert(sizeof(WSK_BUF) == 24, "WSK_BUF");
_Static_assert(sizeof(SOCKADDR_IN) == 16 && sizeof(SOCKADDR_IN6) == 28, "SOCKADDR_IN(6)");
_Static_assert(sizeof(SOCKADDR_STORAGE) == 128, "SOCKADDR_STORAGE");
_Static_assert(FIELD_OFFSET(WSK_PROVIDER_DISPATCH, WskSocket) == 0x08, "WskSocket");
_Static_assert(FIELD_OFFSET(WSK_PROVIDER_LISTEN_DISPATCH, WskAccept) == 0x18, "WskAccept");
_Static_assert(FIELD_OFFSET(WSK_PROVIDER_CONNECTION_DISPATCH, WskSend) == 0x30, "WskSend");
_Static_assert(FIELD_OFFSET(WSK_PROVIDER_CONNECTION_DISPATCH, WskReceive) == 0x38, "WskReceive");
_Static_assert(sizeof(WSK_PROVIDER_CONNECTION_DISPATCH) == 13 * sizeof(PVOID), "connection");

#define say(...) DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "wsk_echo: " __VA_ARGS__)
#define ECHO_PORT 40123
#define BUFFER_SIZE 256
/* Network byte order, by hand: mingw-w64's RtlUshortByteSwap needs a CRT _byteswap_ushort. */
#define NET_PORT ((USHORT)(((ECHO_PORT & 0xff) << 8) | (ECHO_PORT >> 8)))
#define NET_LOOPBACK 0x0100007fUL

static const WSK_CLIENT_DISPATCH client_dispatch = {MAKE_WSK_VERSION(1, 0), 0, NULL};
static WSK_REGISTRATION registration;
static WSK_PROVIDER_NPI provider;
static PWSK_SOCKET listener;
static PETHREAD thread;

static NTSTATUS NTAPI signal_done(PDEVICE_OBJECT device, PIRP irp, PVOID context)
{
    (void)device;
    (void)irp;
    KeSetEvent((PKEVENT)context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED; /* the IRP is ours: freed by the caller */
}

/* An IRP for one WSK call, waited for by wait_irp. */
static PIRP new_irp(PKEVENT done)
{
    PIRP irp = IoAllocateIrp(1, FALSE);

    if (irp) {
        KeInitializeEvent(done, NotificationEvent, FALSE);
        IoSetCompletionRoutine(irp, signal_done, done, TRUE, TRUE, TRUE);
    }
    return irp;
}

static NTSTATUS wait_irp(PIRP irp, PKEVENT done, ULONG_PTR *information)
{
    NTSTATUS status;

    KeWaitForSingleObject(done, Executive, KernelMode, FALSE, NULL);
    status = irp->IoStatus.Status;
    if (information)
        *information = irp->IoStatus.Information;
    IoFreeIrp(irp);
    return status;
}

static NTSTATUS open_listener(void)
{
    SOCKADDR_IN address = {AF_INET, NET_PORT, {{{0}}}, {0}};
    const WSK_PROVIDER_LISTEN_DISPATCH *dispatch;
    ULONG_PTR socket;
    KEVENT done;
    PIRP irp = new_irp(&done);
    NTSTATUS status;

    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    provider.Dispatch->WskSocket(provider.Client, AF_INET, SOCK_STREAM, IPPROTO_TCP,
                                 WSK_FLAG_LISTEN_SOCKET, NULL, NULL, NULL, NULL, NULL, irp);
    status = wait_irp(irp, &done, &socket);
    say("WskSocket (listen): 0x%08lx\n", (unsigned long)status);
    if (!NT_SUCCESS(status))
        return status;
    listener = (PWSK_SOCKET)socket;
    dispatch = listener->Dispatch;
    address.sin_addr.s_addr = NET_LOOPBACK;
    if (!(irp = new_irp(&done)))
        return STATUS_INSUFFICIENT_RESOURCES;
    dispatch->WskBind(listener, (PSOCKADDR)&address, 0, irp);
    status = wait_irp(irp, &done, NULL);
    say("WskBind 127.0.0.1:%u: 0x%08lx\n", ECHO_PORT, (unsigned long)status);
    return status;
}

static NTSTATUS transfer(PWSK_SOCKET socket, BOOLEAN send, PWSK_BUF buffer, ULONG_PTR *bytes)
{
    const WSK_PROVIDER_CONNECTION_DISPATCH *dispatch = socket->Dispatch;
    KEVENT done;
    PIRP irp = new_irp(&done);

    if (!irp)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (send)
        dispatch->WskSend(socket, buffer, 0, irp);
    else
        dispatch->WskReceive(socket, buffer, 0, irp);
    return wait_irp(irp, &done, bytes);
}

static void close_socket(PWSK_SOCKET socket)
{
    const WSK_PROVIDER_BASIC_DISPATCH *dispatch = socket->Dispatch;
    KEVENT done;
    PIRP irp = new_irp(&done);

    if (irp) {
        dispatch->WskCloseSocket(socket, irp);
        wait_irp(irp, &done, NULL);
    }
}

/* Receives up to a buffer from the connection and sends it back after "echo: ". */
static void echo_once(PWSK_SOCKET connection)
{
    static const char prefix[] = "echo: ";
    char *text = ExAllocatePoolWithTag(NonPagedPoolNx, BUFFER_SIZE, 'ohcE');
    PMDL mdl = text ? IoAllocateMdl(text, BUFFER_SIZE, FALSE, FALSE, NULL) : NULL;
    WSK_BUF buffer = {mdl, sizeof(prefix) - 1, BUFFER_SIZE - sizeof(prefix)};
    ULONG_PTR received = 0, sent = 0;
    NTSTATUS status;

    if (!mdl)
        goto out;
    MmBuildMdlForNonPagedPool(mdl);
    RtlCopyMemory(text, prefix, sizeof(prefix) - 1);
    status = transfer(connection, FALSE, &buffer, &received);
    say("WskReceive: 0x%08lx, %lu bytes\n", (unsigned long)status, (unsigned long)received);
    if (NT_SUCCESS(status) && received) {
        buffer.Offset = 0;
        buffer.Length = sizeof(prefix) - 1 + received;
        status = transfer(connection, TRUE, &buffer, &sent);
        say("WskSend: 0x%08lx, %lu bytes\n", (unsigned long)status, (unsigned long)sent);
    }
out:
    if (mdl)
        IoFreeMdl(mdl);
    if (text)
        ExFreePoolWithTag(text, 'ohcE');
}

static VOID NTAPI serve(PVOID context)
{
    const WSK_PROVIDER_LISTEN_DISPATCH *dispatch = listener->Dispatch;
    SOCKADDR_IN local = {0}, remote = {0};
    ULONG_PTR connection = 0;
    KEVENT done;
    PIRP irp = new_irp(&done);
    NTSTATUS status = STATUS_INSUFFICIENT_RESOURCES;

    (void)context;
    if (irp) {
        dispatch->WskAccept(listener, 0, NULL, NULL, (PSOCKADDR)&local, (PSOCKADDR)&remote, irp);
        status = wait_irp(irp, &done, &connection);
    }
    say("WskAccept: 0x%08lx\n", (unsigned long)status);
    if (NT_SUCCESS(status) && connection) {
        say("accepted a connection from family %u\n", remote.sin_family);
        echo_once((PWSK_SOCKET)connection);
        close_socket((PWSK_SOCKET)connection);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID NTAPI unload(PDRIVER_OBJECT driver)
{
    (void)driver;
    if (thread) {
        KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
        ObDereferenceObject(thread);
    }
    if (listener)
        close_socket(listener);
    WskReleaseProviderNPI(&registration);
    WskDeregister(&registration);
    say("unloaded\n");
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    WSK_CLIENT_NPI client = {NULL, &client_dispatch};
    HANDLE handle;
    NTSTATUS status;

    (void)registry_path;
    status = WskRegister(&client, &registration);
    if (!NT_SUCCESS(status))
        return status;
    status = WskCaptureProviderNPI(&registration, WSK_INFINITE_WAIT, &provider);
    say("WskCaptureProviderNPI: 0x%08lx, provider version %u.%u\n", (unsigned long)status,
        WSK_MAJOR_VERSION(NT_SUCCESS(status) ? provider.Dispatch->Version : 0),
        WSK_MINOR_VERSION(NT_SUCCESS(status) ? provider.Dispatch->Version : 0));
    if (!NT_SUCCESS(status))
        goto fail;
    status = open_listener();
    if (!NT_SUCCESS(status))
        goto fail;
    status = PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, NULL, NULL, NULL, serve, NULL);
    if (!NT_SUCCESS(status))
        goto fail;
    ObReferenceObjectByHandle(handle, THREAD_ALL_ACCESS, NULL, KernelMode, (PVOID *)&thread, NULL);
    ZwClose(handle);
    driver->DriverUnload = unload;
    return STATUS_SUCCESS;
fail:
    if (listener)
        close_socket(listener);
    if (provider.Dispatch)
        WskReleaseProviderNPI(&registration);
    WskDeregister(&registration);
    return status;
}
