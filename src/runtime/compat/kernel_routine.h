/*
 * The kit's own copies of kernel routines that Wine lacks or stubs (the cancel-safe queue, guarded
 * mutexes, ExEnterCriticalRegionAndAcquireResource*, ExRaiseStatus, IoCreateSystemThread). A
 * driver calls them by their WDK names, as on Windows; the compat library (linked before
 * libntoskrnl.a) defines, for each, the import pointer __imp_<name> and the thunk <name>, so the
 * driver does not import them at all. When the driver loads (the kit's entry points,
 * compat_decide.h), or else at the first call of a family, the kit looks the kernel's routines up
 * (MmGetSystemRoutineAddress): when the running kernel has every routine of the family, and under
 * Wine none of them is a stub, the kernel's run (always, on Windows); otherwise the kit's.
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

/* Whether the kernel's routines of the family run; decided once: when the driver loads (below),
 * or else at the first call. A first call above PASSIVE_LEVEL (where MmGetSystemRoutineAddress
 * may not be called) of a family not decided yet decides for the kit's. */
BOOLEAN compat_use_kernel(struct compat_family *family);

/* Has the kit's entry points call `fn` when the driver loads, at PASSIVE_LEVEL before
 * DriverEntry (compat_decide.h): there a routine decides its family and looks up what else it
 * needs, so that a driver's first call, under a lock perhaps, looks nothing up. */
#define COMPAT_AT_LOAD(fn)                                                                       \
    __attribute__((used, section(".rdata$minwdm_c1"))) static void (*const compat_at_load_##fn)( \
        void) = fn

/* The usual case: decide `family` at load. */
#define COMPAT_DECIDE_AT_LOAD(family)                                                            \
    static void compat_decide_##family(void)                                                    \
    {                                                                                            \
        (void)compat_use_kernel(&(family));                                                      \
    }                                                                                            \
    COMPAT_AT_LOAD(compat_decide_##family)

/* Whether the kernel is Wine's (its ntoskrnl.exe exports wine_ntoskrnl_main_loop). */
BOOLEAN compat_under_wine(void);

/* The kernel's routine `name`, or NULL when it has none or, under Wine, only a stub that would
 * end the driver host. PASSIVE_LEVEL. */
void *compat_kernel_routine(PCWSTR name);

#endif
