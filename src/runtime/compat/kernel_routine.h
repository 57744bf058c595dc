/*
 * The kit's own copies of kernel routines that Wine lacks or stubs (the cancel-safe queue, guarded
 * mutexes, ExEnterCriticalRegionAndAcquireResource*, ExRaiseStatus, IoCreateSystemThread). A
 * driver calls them by their WDK names, as on Windows; the compat library (linked before
 * libntoskrnl.a) defines, for each, the import pointer __imp_<name> and the thunk <name>, so the
 * driver does not import them at all. At the first call of a family the kit looks the kernel's
 * routines up (MmGetSystemRoutineAddress): when the running kernel has every routine of the family,
 * and under Wine none of them is a stub, the kernel's run (always, on Windows); otherwise the kit's.
 */
#ifndef MINWDM_COMPAT_KERNEL_ROUTINE_H
#define MINWDM_COMPAT_KERNEL_ROUTINE_H

#include <ntddk.h>

/* Makes `fn` the routine a driver reaches as `name`: the import pointer and the thunk a call
 * through a plain declaration links to. */
#define COMPAT_ROUTINE(name, fn)                                                                 \
    extern void *const compat_imp_##name __asm__("__imp_" #name); /* cppcheck: label apart */  \
    void *const compat_imp_##name = (void *)(fn);                                               \
    __asm__(".section .text$compat_" #name ",\"xr\"\n"                                          \
            ".globl " #name "\n" #name ":\n"                                                   \
            "\tjmp *__imp_" #name "(%rip)\n"                                                   \
            ".text\n")

enum { COMPAT_UNDECIDED, COMPAT_KERNEL, COMPAT_KIT };

/* A family of routines that must come from one place (the kernel's guarded mutex cannot be
 * released by the kit's). */
struct compat_family {
    volatile LONG decision;      /* COMPAT_* */
    unsigned count;
    const PCWSTR *names;          /* count names */
    void *volatile *kernel;      /* count slots: the kernel's routines, when it has them all */
};

/* Whether the kernel's routines of the family run; decided once, at the first call. A first call
 * above APC_LEVEL (where MmGetSystemRoutineAddress may not be called) decides for the kit's. */
BOOLEAN compat_use_kernel(struct compat_family *family);

/* Whether the kernel is Wine's (its ntoskrnl.exe exports wine_ntoskrnl_main_loop). */
BOOLEAN compat_under_wine(void);

/* The kernel's routine `name`, or NULL when it has none or, under Wine, only a stub that would
 * end the driver host. PASSIVE_LEVEL. */
void *compat_kernel_routine(PCWSTR name);

#endif
