/* The requests of seh_wdk.sys and seh_escape.sys, shared with their client (seh_client.c). */
#ifndef SEH_WDK_H
#define SEH_WDK_H

#define SEH_WDK_TYPE 0x8E5Eu
/* METHOD_NEITHER, as WDK drivers take a caller's pointers: struct seh_request in,
 * struct seh_answer out. */
#define IOCTL_SEH_WDK_READ CTL_CODE(SEH_WDK_TYPE, 0x900, METHOD_NEITHER, FILE_ANY_ACCESS)
/* escape.c's: the same load with no __try around it, an exception that leaves the dispatch
 * routine. */
#define IOCTL_SEH_WDK_ESCAPE CTL_CODE(SEH_WDK_TYPE, 0x901, METHOD_NEITHER, FILE_ANY_ACCESS)
/* escape.c's: the address is read by its DriverUnload, with no __try. */
#define IOCTL_SEH_WDK_ESCAPE_AT_UNLOAD CTL_CODE(SEH_WDK_TYPE, 0x902, METHOD_NEITHER, FILE_ANY_ACCESS)
/* escape.c's: the address is handed to a routine the kernel calls back (struct seh_request's
 * kind: enum seh_escape_site), which reads it with no __try. */
#define IOCTL_SEH_WDK_ESCAPE_IN CTL_CODE(SEH_WDK_TYPE, 0x903, METHOD_BUFFERED, FILE_ANY_ACCESS)
enum seh_escape_site {
    SEH_ESCAPE_DPC,        /* KeInsertQueueDpc */
    SEH_ESCAPE_TIMER,      /* KeSetTimer with a DPC */
    SEH_ESCAPE_WORK_ITEM,  /* IoQueueWorkItem */
    SEH_ESCAPE_COMPLETION, /* an IRP the driver sends to its own device, IoSetCompletionRoutine */
    SEH_ESCAPE_THREAD,     /* PsCreateSystemThread */
    SEH_ESCAPE_BREAKPOINT, /* DbgBreakPoint in the dispatch routine: raised outside the image */
    SEH_ESCAPE_SITES
};
/* escape.c's DriverEntry reads the address this REG_DWORD of its service key names, if any. */
#define SEH_ESCAPE_ENTRY_VALUE L"EscapeInDriverEntry"

/* Each variant is the same source (seh_reads.inc) built as C or C++, optimised or not. */
enum seh_variant { SEH_C_OPTIMISED, SEH_C_DEBUG, SEH_CXX_OPTIMISED, SEH_CXX_DEBUG, SEH_VARIANTS };
/* __try/__except around the load; __try/__finally inside a __try/__except, __leave when the
 * address is 0. */
enum seh_kind { SEH_EXCEPT, SEH_FINALLY, SEH_KINDS };

struct seh_request {
    unsigned long long address; /* what the driver reads, 4 bytes */
    unsigned int variant;
    unsigned int kind;
};

#define SEH_HANDLED 0x5E4DC0DEu /* the driver's own __except block ran */
struct seh_answer {
    unsigned int handled;       /* SEH_HANDLED, or 0 */
    unsigned int code;          /* what GetExceptionCode() gave its filter */
    unsigned int finally_runs;  /* how often its __finally block ran */
    unsigned int value;         /* what it read, when it could */
};

#endif
