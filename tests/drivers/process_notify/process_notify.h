/* process_notify's requests, shared by the driver, its kernel test and its client. */
#ifndef PROCESS_NOTIFY_H
#define PROCESS_NOTIFY_H

#include <stdint.h>

#define PROCESS_NOTIFY_DEVICE_PATH "\\\\.\\process_notify"
#define PROCESS_NOTIFY_DEVICE_TYPE 0x8402u
/* CTL_CODE(PROCESS_NOTIFY_DEVICE_TYPE, 0x800 / 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS) */
#define IOCTL_PROCESS_NOTIFY_QUERY ((PROCESS_NOTIFY_DEVICE_TYPE << 16) | (0x800u << 2))
#define IOCTL_PROCESS_NOTIFY_REMOVE ((PROCESS_NOTIFY_DEVICE_TYPE << 16) | (0x801u << 2))
#define PROCESS_NOTIFY_THREADS 16
#define PROCESS_NOTIFY_CHARS 64
#define PROCESS_NOTIFY_NO_THREAD 0xFFFFFFFFu

/* IOCTL_PROCESS_NOTIFY_QUERY: input the process id (uint32_t), output what the driver's routines
 * saw of that process. IOCTL_PROCESS_NOTIFY_REMOVE: the routines removed. */
struct process_notify_summary {
    uint32_t creates, exits;             /* PsSetCreateProcessNotifyRoutineEx's routine */
    uint32_t plain_creates, plain_exits; /* PsSetCreateProcessNotifyRoutine's */
    uint32_t create_before_exit;         /* the create came first (both routines) */
    uint32_t parent, plain_parent;       /* CreateInfo->ParentProcessId; the plain ParentId */
    uint32_t creating_process;           /* CreateInfo->CreatingThreadId.UniqueProcess */
    uint32_t info_size, file_open_name_available, command_line_null;
    uint32_t process_matches;            /* PsGetProcessId(Process) was the id, each call */
    uint32_t threads_created, threads_exited;
    uint32_t thread_exits_before_exit;   /* every thread exit came before the process exit */
    uint32_t exit_status;                /* PsGetProcessExitStatus(Process) at the exit */
    uint32_t created[PROCESS_NOTIFY_THREADS], exited[PROCESS_NOTIFY_THREADS];
    /* PsGetThreadExitStatus at each thread's exit; PROCESS_NOTIFY_NO_THREAD when
     * PsLookupThreadByThreadId no longer found it */
    uint32_t exited_status[PROCESS_NOTIFY_THREADS];
    uint16_t image[PROCESS_NOTIFY_CHARS];   /* the end of CreateInfo->ImageFileName */
    uint16_t command[PROCESS_NOTIFY_CHARS]; /* the end of CreateInfo->CommandLine */
};

#endif
