/*
 * How the verifier stands between a driver and the kernel, with either linker: a driver calls a
 * kernel routine X through the pointer __imp_X (dllimport), or through a thunk X that jumps
 * through it. This file defines both for each routine of routines.h, pointing at the verifier's
 * vfy_X; as the objects come before libntoskrnl.a on the link line, the linker takes these and
 * never pulls the import-library member, so X is not imported at all: the verifier finds the
 * kernel's own X at start with MmGetSystemRoutineAddress (routines.c). No DDK header here: the
 * header's dllimport declarations would clash with these definitions.
 */
#define VERIFIER_IMPORT(name, irql)                                                      \
    extern void vfy_##name(void);                                                         \
    extern void (*const vfy_imp_##name)(void) __asm__("__imp_" #name);                   \
    void (*const vfy_imp_##name)(void) = vfy_##name; /* cppcheck: the label apart */      \
    __asm__(".section .text$vfy_" #name ",\"xr\"\n"                                       \
            ".globl " #name "\n" #name ":\n"                                              \
            "\tjmp *__imp_" #name "(%rip)\n"                                              \
            ".text\n");

#include "routines.h"

VERIFIER_ROUTINES(VERIFIER_IMPORT)
