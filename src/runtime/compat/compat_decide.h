/*
 * For the kit's entry points only (the runtime's, the C++ one, the stack cookie's): decides, at
 * PASSIVE_LEVEL before DriverEntry, every compat family the image links (COMPAT_DECIDE_AT_LOAD
 * in kernel_routine.h puts a pointer to its decider in .rdata$minwdm_c1, which both linkers place,
 * sorted by name, between these two markers). A driver's first call of a routine may then come
 * under a lock: MmGetSystemRoutineAddress is documented for PASSIVE_LEVEL only. One entry point
 * per image includes this.
 */
#ifndef MINWDM_COMPAT_DECIDE_H
#define MINWDM_COMPAT_DECIDE_H

#include <stdint.h>

typedef void (*compat_decider)(void);

__attribute__((used, section(".rdata$minwdm_c0"))) static compat_decider const
    compat_first_decider = 0;
__attribute__((used, section(".rdata$minwdm_c2"))) static compat_decider const
    compat_last_decider = 0;

static inline void compat_decide_linked(void)
{
    /* Two objects whose distance is the linker's: walked as addresses, not compared pointers. */
    uintptr_t at = (uintptr_t)(&compat_first_decider + 1);
    uintptr_t end = (uintptr_t)&compat_last_decider;

    __asm__("" : "+r"(end));
    for (; at < end; at += sizeof(compat_decider)) {
        compat_decider decider = *(const compat_decider *)at;
        if (decider) /* the linkers' padding, if any */
            decider();
    }
}

#endif
