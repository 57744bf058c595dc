/*
 * A client that knows only include/minwdm/ioctl.h: checks every case of the device contract
 * against the running driver, with the exact NTSTATUS (NtDeviceIoControlFile) and the Win32
 * error DeviceIoControl reports. Prints TAP; exits 1 when a check fails.
 *
 *   ioctl_client.exe <driver-version x.y.z> <build-id>
 */
#include <minwdm/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winternl.h>

#define STATUS_OK ((LONG)0x00000000)
#define STATUS_INVALID_PARAMETER_ ((LONG)0xC000000D)
#define STATUS_INVALID_DEVICE_REQUEST_ ((LONG)0xC0000010)
#define STATUS_BUFFER_TOO_SMALL_ ((LONG)0xC0000023)
#define PATTERN 0xA5
#define BIG (MINWDM_ECHO_MAX + 64)

static int checks, failures;
static HANDLE device;
static unsigned char in[BIG], out[BIG];

static void check(int ok, const char *what)
{
    checks++;
    if (!ok)
        failures++;
    printf("%s %d - %s\n", ok ? "ok" : "not ok", checks, what);
}

struct result {
    LONG status;
    ULONG_PTR information;
};

static struct result nt_request(DWORD code, DWORD in_length, DWORD out_length)
{
    IO_STATUS_BLOCK io;
    struct result r;

    memset(&io, 0, sizeof(io));
    memset(out, PATTERN, sizeof(out));
    r.status = NtDeviceIoControlFile(device, NULL, NULL, NULL, &io, code, in_length ? in : NULL,
                                     in_length, out_length ? out : NULL, out_length);
    r.information = NT_SUCCESS(r.status) ? io.Information : 0;
    return r;
}

static DWORD win32_error(DWORD code, DWORD in_length, DWORD out_length)
{
    DWORD returned;

    memset(out, PATTERN, sizeof(out));
    if (DeviceIoControl(device, code, in_length ? in : NULL, in_length, out_length ? out : NULL,
                        out_length, &returned, NULL))
        return ERROR_SUCCESS;
    return GetLastError();
}

static int untouched(size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (out[i] != PATTERN)
            return 0;
    return 1;
}

static void version_cases(const char *expected_version, const char *expected_build)
{
    struct minwdm_version v;
    char text[32];
    struct result r = nt_request(IOCTL_MINWDM_GET_VERSION, 0, sizeof(v));

    check(r.status == STATUS_OK && r.information == sizeof(v), "GET_VERSION succeeds, 60 bytes");
    memcpy(&v, out, sizeof(v));
    check(v.abi_version == MINWDM_ABI_VERSION, "GET_VERSION reports this header's ABI");
    snprintf(text, sizeof(text), "%u.%u.%u", v.driver_major, v.driver_minor, v.driver_patch);
    check(strcmp(text, expected_version) == 0, "GET_VERSION reports the project version");
    check(v.reserved == 0, "GET_VERSION reserved field is zero");
    check(memchr(v.build_id, 0, sizeof(v.build_id)) != NULL &&
              strcmp(v.build_id, expected_build) == 0,
          "GET_VERSION build id is this build's, NUL-terminated");
    size_t tail = strnlen(v.build_id, sizeof(v.build_id));
    while (tail < sizeof(v.build_id) && v.build_id[tail] == 0)
        tail++;
    check(tail == sizeof(v.build_id), "GET_VERSION build id is zero-padded (no stale bytes)");

    r = nt_request(IOCTL_MINWDM_GET_VERSION, 0, sizeof(v) + 100);
    check(r.status == STATUS_OK && r.information == sizeof(v) && untouched(sizeof(v), sizeof(v) + 100),
          "GET_VERSION into a larger buffer writes exactly 60 bytes");
    r = nt_request(IOCTL_MINWDM_GET_VERSION, 0, sizeof(v) - 1);
    check(r.status == STATUS_BUFFER_TOO_SMALL_ && untouched(0, sizeof(v)),
          "GET_VERSION into 59 bytes: STATUS_BUFFER_TOO_SMALL, nothing copied");
    r = nt_request(IOCTL_MINWDM_GET_VERSION, 0, 0);
    check(r.status == STATUS_BUFFER_TOO_SMALL_, "GET_VERSION without output: BUFFER_TOO_SMALL");
    r = nt_request(IOCTL_MINWDM_GET_VERSION, 4, sizeof(v));
    check(r.status == STATUS_INVALID_PARAMETER_ && untouched(0, sizeof(v)),
          "GET_VERSION with input: STATUS_INVALID_PARAMETER");
    check(win32_error(IOCTL_MINWDM_GET_VERSION, 0, sizeof(v) - 1) == ERROR_INSUFFICIENT_BUFFER,
          "DeviceIoControl reports BUFFER_TOO_SMALL as error 122");
}

static void echo_cases(void)
{
    struct result r;

    memcpy(in, "hello, kernel", sizeof("hello, kernel")); /* 13 bytes are sent */
    r = nt_request(IOCTL_MINWDM_ECHO, 13, 13);
    check(r.status == STATUS_OK && r.information == 13 && memcmp(out, in, 13) == 0,
          "ECHO returns its input");
    r = nt_request(IOCTL_MINWDM_ECHO, 13, 100);
    check(r.status == STATUS_OK && r.information == 13 && memcmp(out, in, 13) == 0 &&
              untouched(13, 100),
          "ECHO into a larger buffer writes only the input's length");
    r = nt_request(IOCTL_MINWDM_ECHO, 0, 0);
    check(r.status == STATUS_OK && r.information == 0, "ECHO of zero bytes succeeds with zero");
    r = nt_request(IOCTL_MINWDM_ECHO, 0, 16);
    check(r.status == STATUS_OK && r.information == 0 && untouched(0, 16),
          "ECHO of zero bytes into a buffer writes nothing");

    for (size_t i = 0; i < MINWDM_ECHO_MAX; i++)
        in[i] = (unsigned char)(i * 7 + 3);
    r = nt_request(IOCTL_MINWDM_ECHO, MINWDM_ECHO_MAX, MINWDM_ECHO_MAX);
    check(r.status == STATUS_OK && r.information == MINWDM_ECHO_MAX &&
              memcmp(out, in, MINWDM_ECHO_MAX) == 0,
          "ECHO of MINWDM_ECHO_MAX bytes round-trips");
    r = nt_request(IOCTL_MINWDM_ECHO, MINWDM_ECHO_MAX + 1, BIG);
    check(r.status == STATUS_INVALID_PARAMETER_ && untouched(0, BIG),
          "ECHO over the max: STATUS_INVALID_PARAMETER, nothing copied");
    r = nt_request(IOCTL_MINWDM_ECHO, 100, 99);
    check(r.status == STATUS_BUFFER_TOO_SMALL_ && untouched(0, 99),
          "ECHO into a smaller buffer: STATUS_BUFFER_TOO_SMALL, nothing copied");
    check(win32_error(IOCTL_MINWDM_ECHO, MINWDM_ECHO_MAX + 1, BIG) == ERROR_INVALID_PARAMETER,
          "DeviceIoControl reports INVALID_PARAMETER as error 87");
}

static void unknown_code_cases(void)
{
    const DWORD neither = (IOCTL_MINWDM_ECHO & ~3u) | 3u; /* METHOD_NEITHER */
    const DWORD unknown = MINWDM_CTL_CODE(0x8FF, MINWDM_FILE_READ_ACCESS);
    const DWORD other_type = (0x8158u << 16) | (IOCTL_MINWDM_ECHO & 0xFFFFu);
    struct result r;

    memcpy(in, "abcd", sizeof("abcd"));
    r = nt_request(unknown, 4, 16);
    check(r.status == STATUS_INVALID_DEVICE_REQUEST_ && untouched(0, 16),
          "unknown function: STATUS_INVALID_DEVICE_REQUEST");
    r = nt_request(neither, 4, 16);
    check(r.status == STATUS_INVALID_DEVICE_REQUEST_ && untouched(0, 16),
          "ECHO's function with METHOD_NEITHER: STATUS_INVALID_DEVICE_REQUEST");
    r = nt_request(other_type, 4, 16);
    check(r.status == STATUS_INVALID_DEVICE_REQUEST_, "another device type: INVALID_DEVICE_REQUEST");
    check(win32_error(unknown, 0, 0) == ERROR_INVALID_FUNCTION,
          "DeviceIoControl reports INVALID_DEVICE_REQUEST as error 1");
}

static void open_cases(void)
{
    HANDLE sub = CreateFileA(MINWDM_DEVICE_PATH "\\sub", GENERIC_READ, 0, NULL, OPEN_EXISTING, 0,
                             NULL);
    DWORD error = GetLastError();

    check(sub == INVALID_HANDLE_VALUE && error == ERROR_FILE_NOT_FOUND,
          "opening a name below the device fails with error 2");
    if (sub != INVALID_HANDLE_VALUE)
        CloseHandle(sub);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: ioctl_client <driver-version> <build-id>\n");
        return 2;
    }
    device = CreateFileA(MINWDM_DEVICE_PATH, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                         0, NULL);
    check(device != INVALID_HANDLE_VALUE, "opens " MINWDM_DEVICE_PATH);
    if (device == INVALID_HANDLE_VALUE) {
        printf("# CreateFile failed with error %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    version_cases(argv[1], argv[2]);
    echo_cases();
    unknown_code_cases();
    open_cases();
    CloseHandle(device);
    printf("1..%d\n# %d passed, %d failed\n", checks, checks - failures, failures);
    return failures ? 1 : 0;
}
