/*
 * Calling a routine inside an x64 structured exception handling scope, with any C compiler:
 * the scope is written in assembly (seh_call.c), so it is the same with clang and MinGW GCC,
 * at every optimisation level. The runtime's copies from and to callers' pointers and its
 * exception guard use it.
 */
#ifndef MINWDM_SEH_CALL_H
#define MINWDM_SEH_CALL_H

#include <ntddk.h>

/* Any routine of up to four integer or pointer arguments (the x64 convention passes them in
 * the same registers, whatever their types): cast it to this type, the one that C lets any
 * function pointer take and give back. */
typedef void (*seh_routine)(void);

struct seh_call;
/* Decides what to do with an exception of the routine: EXCEPTION_EXECUTE_HANDLER (the call
 * returns TRUE) or EXCEPTION_CONTINUE_SEARCH (the frames further up decide). Runs before any
 * unwinding, on top of the faulting stack. */
typedef LONG (*seh_filter)(struct seh_call *call, EXCEPTION_POINTERS *exception);

/* The layout is the assembly's: keep the offsets in seh_call.c in step. */
struct seh_call {
    seh_routine routine;  /* 0 */
    ULONG_PTR args[4];    /* 8 */
    ULONG_PTR result;     /* 40: what the routine returned (rax) */
    seh_filter filter;    /* 48: NULL handles every exception */
    void *context;        /* 56: the filter's own */
    NTSTATUS code;        /* 64: the exception's code, when there was one */
};

/* Calls call->routine(args...); FALSE when it returned (call->result is its value), TRUE when
 * an exception it raised was handled (call->code says which). */
BOOLEAN seh_call(struct seh_call *call);

#endif
