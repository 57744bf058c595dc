/* process_notify's client: starts itself as a child process (which starts one more thread and
 * ends with that thread's id as its exit code) and checks what the driver's notify routines saw
 * of exactly that process: its creation with its parent, the two threads' creation and end, its
 * exit, in Windows' order. Then the routines are removed, and a second child must go unseen.
 * Exits 0 when every check passed. */
#include <stdio.h>
#include <wchar.h>
#include <windows.h>

#include "process_notify.h"

#define CHILD_MS 200  /* each phase of the child: longer than a poll of the emulation (25 ms) */
#define SETTLE_MS 400 /* for the last poll to see the child gone */
#define PATIENCE_MS 5000 /* a busy machine: the poller's thread may run late */
#define CHILD_THREAD_CODE 7

static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    failures += !ok;
}

static DWORD WINAPI child_thread(LPVOID context)
{
    (void)context;
    Sleep(CHILD_MS);
    return CHILD_THREAD_CODE;
}

static int child(void)
{
    DWORD tid;
    HANDLE thread = CreateThread(NULL, 0, child_thread, NULL, 0, &tid);

    if (!thread)
        return 0;
    WaitForSingleObject(thread, INFINITE);
    /* Its end is seen before the process's; the handle kept, the driver can still look the
     * thread up and read its exit status. */
    Sleep(CHILD_MS);
    CloseHandle(thread);
    return (int)tid;
}

/* Starts the child and waits for its end: its process id and main thread id, and the exit code
 * (the other thread's id). */
static int run_child(DWORD *pid, DWORD *main_tid, DWORD *code)
{
    WCHAR path[MAX_PATH], command[MAX_PATH + 16];
    STARTUPINFOW startup = {.cb = sizeof(startup)};
    PROCESS_INFORMATION info;

    if (!GetModuleFileNameW(NULL, path, MAX_PATH))
        return 0;
    swprintf(command, sizeof(command) / sizeof(command[0]), L"\"%ls\" child", path);
    if (!CreateProcessW(path, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info))
        return 0;
    WaitForSingleObject(info.hProcess, INFINITE);
    GetExitCodeProcess(info.hProcess, code);
    *pid = info.dwProcessId;
    *main_tid = info.dwThreadId;
    CloseHandle(info.hThread);
    CloseHandle(info.hProcess);
    Sleep(SETTLE_MS);
    return 1;
}

static int query(HANDLE device, DWORD pid, struct process_notify_summary *s)
{
    uint32_t id = pid;
    DWORD returned;

    memset(s, 0, sizeof(*s));
    return DeviceIoControl(device, IOCTL_PROCESS_NOTIFY_QUERY, &id, sizeof(id), s, sizeof(*s),
                           &returned, NULL) && returned == sizeof(*s);
}

static int find(const uint32_t *tids, uint32_t count, DWORD tid)
{
    for (uint32_t i = 0; i < count && i < PROCESS_NOTIFY_THREADS; i++)
        if (tids[i] == tid)
            return (int)i;
    return -1;
}

static int has(const uint32_t *tids, uint32_t count, DWORD tid)
{
    return find(tids, count, tid) >= 0;
}

static int ends_with(const uint16_t *text, const wchar_t *tail)
{
    size_t n = 0, t = wcslen(tail);

    while (n < PROCESS_NOTIFY_CHARS && text[n])
        n++;
    if (n < t)
        return 0;
    for (size_t i = 0; i < t; i++)
        if (towlower(text[n - t + i]) != towlower(tail[i]))
            return 0;
    return 1;
}

int wmain(int argc, wchar_t **argv)
{
    struct process_notify_summary s;
    DWORD pid = 0, main_tid = 0, other_tid = 0;

    if (argc > 1 && !wcscmp(argv[1], L"child"))
        return child();
    HANDLE device = CreateFileA(PROCESS_NOTIFY_DEVICE_PATH, GENERIC_READ, 0, NULL, OPEN_EXISTING,
                                0, NULL);
    if (device == INVALID_HANDLE_VALUE) {
        printf("FAIL: cannot open %s: error %lu\n", PROCESS_NOTIFY_DEVICE_PATH, GetLastError());
        return 1;
    }
    check(run_child(&pid, &main_tid, &other_tid) && other_tid, "the child ran");
    int answered = query(device, pid, &s);
    for (int waited = 0; answered && !(s.exits && s.plain_exits) && waited < PATIENCE_MS;
         waited += 100) {
        Sleep(100);
        answered = query(device, pid, &s);
    }
    check(answered, "the driver answered for the child's process id");
    printf("child %lu: creates %u exits %u (plain %u/%u), parent %u (plain %u, us %lu), "
           "creating process %u, threads created %u exited %u, image '%ls', command line %s\n",
           pid, s.creates, s.exits, s.plain_creates, s.plain_exits, s.parent, s.plain_parent,
           GetCurrentProcessId(), s.creating_process, s.threads_created, s.threads_exited,
           (const wchar_t *)s.image, s.command_line_null ? "NULL" : "given");
    check(s.creates == 1 && s.exits == 1, "the Ex routine saw the child created and exit once");
    check(s.plain_creates == 1 && s.plain_exits == 1, "the plain routine saw the same");
    check(s.create_before_exit != 0, "each saw the creation before the exit");
    check(s.parent == GetCurrentProcessId() && s.plain_parent == GetCurrentProcessId(),
          "the parent is this process");
    check(s.info_size >= 48 && !s.file_open_name_available,
          "CreateInfo: Size set, FileOpenNameAvailable FALSE");
    check(ends_with(s.image, L"process_notify_client.exe"), "CreateInfo: the image file name");
    check(s.command_line_null || ends_with(s.command, L"child"),
          "CreateInfo: the command line, or NULL");
    check(s.process_matches != 0, "PsGetProcessId(Process) is the child's id in each call");
    check(has(s.created, s.threads_created, main_tid) && has(s.exited, s.threads_exited, main_tid),
          "its main thread seen created and ended");
    check(has(s.created, s.threads_created, other_tid) &&
              has(s.exited, s.threads_exited, other_tid),
          "its second thread seen created and ended");
    printf("exit status %u (the child's exit code %lu)\n", s.exit_status, other_tid);
    check(s.exit_status == other_tid, "PsGetProcessExitStatus at the exit: the child's exit code");
    int at = find(s.exited, s.threads_exited, other_tid);
    if (at >= 0)
        printf("second thread's exit status %u\n", s.exited_status[at]);
    check(at >= 0 && s.exited_status[at] == CHILD_THREAD_CODE,
          "PsGetThreadExitStatus at its exit: its code");
    check(s.thread_exits_before_exit != 0, "every thread's end came before the process exit");
    DWORD returned;
    check(DeviceIoControl(device, IOCTL_PROCESS_NOTIFY_REMOVE, NULL, 0, NULL, 0, &returned, NULL),
          "the routines removed");
    check(run_child(&pid, &main_tid, &other_tid) && query(device, pid, &s) && !s.creates &&
              !s.exits && !s.plain_creates && !s.threads_created,
          "a child started after the removal is not seen");
    CloseHandle(device);
    return failures ? 1 : 0;
}
