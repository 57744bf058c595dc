/*
 * csq_client: compat_queue's client (tests/drivers/wdk/compat_queue.c). Queues requests that stay
 * pending, cancels one with CancelIoEx, has the driver complete two, sees the queue refuse one
 * over its limit, cancels the rest, then runs the driver's checks. Prints one line per check;
 * exit code: the number of failed checks.
 */
#include <windows.h>

#include <stdio.h>

#include "../drivers/wdk/compat_queue.h"

struct request {
    OVERLAPPED overlapped;
    DWORD tag, answer;
};

static int failures;

static void check(int ok, const char *what, DWORD detail)
{
    printf("%s - %s (%lu)\n", ok ? "ok" : "not ok", what, (unsigned long)detail);
    failures += !ok;
}

static BOOL queue_request(HANDLE device, struct request *r, DWORD tag)
{
    ZeroMemory(r, sizeof(*r));
    r->tag = tag;
    r->overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    return DeviceIoControl(device, IOCTL_COMPAT_QUEUE_WAIT, &r->tag, sizeof(r->tag), &r->answer,
                           sizeof(r->answer), NULL, &r->overlapped);
}

/* The request's result: its Win32 error (0: success), waiting at most 5 s. */
static DWORD finish(HANDLE device, struct request *r, DWORD *bytes)
{
    DWORD error = 0;

    *bytes = 0;
    if (WaitForSingleObject(r->overlapped.hEvent, 5000) != WAIT_OBJECT_0)
        return WAIT_TIMEOUT; /* still pending: its event stays with it */
    if (!GetOverlappedResult(device, &r->overlapped, bytes, FALSE))
        error = GetLastError();
    CloseHandle(r->overlapped.hEvent);
    return error;
}

static DWORD simple(HANDLE device, DWORD code, DWORD *out)
{
    OVERLAPPED overlapped = {0};
    DWORD bytes = 0, error;

    overlapped.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    *out = 0xFFFFFFFF;
    error = DeviceIoControl(device, code, NULL, 0, out, sizeof(*out), NULL, &overlapped)
                ? 0
                : GetLastError();
    if (error == ERROR_IO_PENDING)
        error = WaitForSingleObject(overlapped.hEvent, 30000) == WAIT_OBJECT_0 ? 0 : WAIT_TIMEOUT;
    if (!error && !GetOverlappedResult(device, &overlapped, &bytes, FALSE))
        error = GetLastError();
    if (error != WAIT_TIMEOUT)
        CloseHandle(overlapped.hEvent);
    return error;
}

int main(void)
{
    struct request r[COMPAT_QUEUE_LIMIT + 2];
    DWORD bytes, error, out, i;
    HANDLE device = CreateFileW(L"\\\\.\\compat_queue", GENERIC_READ | GENERIC_WRITE, 0, NULL,
                                OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);

    if (device == INVALID_HANDLE_VALUE) {
        printf("not ok - open \\\\.\\compat_queue (%lu)\n", (unsigned long)GetLastError());
        return 100;
    }
    for (i = 0; i < 3; i++) {
        BOOL done = queue_request(device, &r[i], 10 + i);
        check(!done && GetLastError() == ERROR_IO_PENDING, "a queued request is pending", GetLastError());
    }
    check(CancelIoEx(device, &r[1].overlapped), "CancelIoEx on the second", GetLastError());
    error = finish(device, &r[1], &bytes);
    check(error == ERROR_OPERATION_ABORTED, "it ends cancelled (ERROR_OPERATION_ABORTED)", error);

    error = simple(device, IOCTL_COMPAT_QUEUE_COMPLETE_NEXT, &out);
    check(error == 0 && out == 1, "complete the oldest", error ? error : out);
    error = finish(device, &r[0], &bytes);
    check(error == 0 && bytes == 4 && r[0].answer == 20, "the first completes with its tag doubled", r[0].answer);
    error = simple(device, IOCTL_COMPAT_QUEUE_COMPLETE_NEXT, &out);
    check(error == 0 && out == 1, "complete the next", error ? error : out);
    error = finish(device, &r[2], &bytes);
    check(error == 0 && r[2].answer == 24, "the third, past the cancelled one", r[2].answer);
    error = simple(device, IOCTL_COMPAT_QUEUE_COMPLETE_NEXT, &out);
    check(error == 0 && out == 0, "the queue is empty", error ? error : out);

    for (i = 0; i < COMPAT_QUEUE_LIMIT; i++) {
        BOOL done = queue_request(device, &r[i], 100 + i);
        check(!done && GetLastError() == ERROR_IO_PENDING, "queued to the limit", GetLastError());
    }
    {
        BOOL done = queue_request(device, &r[COMPAT_QUEUE_LIMIT], 999);
        error = done ? 0 : GetLastError();
        if (error == ERROR_IO_PENDING)
            error = finish(device, &r[COMPAT_QUEUE_LIMIT], &bytes);
        else
            CloseHandle(r[COMPAT_QUEUE_LIMIT].overlapped.hEvent);
        check(error == ERROR_BUSY, "one more is refused by the driver's insert (ERROR_BUSY)", error);
    }
    check(CancelIoEx(device, NULL), "CancelIoEx on all", GetLastError());
    for (i = 0; i < COMPAT_QUEUE_LIMIT; i++) {
        error = finish(device, &r[i], &bytes);
        check(error == ERROR_OPERATION_ABORTED, "  cancelled", error);
    }

    error = simple(device, IOCTL_COMPAT_QUEUE_CHECKS, &out);
    check(error == 0 && out == 0, "the driver's checks: none failed", error ? error : out);
    CloseHandle(device);
    printf("%d failed\n", failures);
    return failures;
}
