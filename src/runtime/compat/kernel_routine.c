/*
 * Which kernel routines the running kernel really has (kernel_routine.h). Wine exports many
 * routines as stubs that end the driver host when called ("unimplemented function
 * ntoskrnl.exe.X"); MmGetSystemRoutineAddress returns them like any other. Under Wine (its
 * ntoskrnl.exe exports wine_ntoskrnl_main_loop) the code of a routine is read to tell a winebuild
 * stub: `sub $n,%rsp; lea <module>(%rip),%rcx; lea <name>(%rip),%rdx; call`, the name being the
 * routine's own (toolchain/wdmimage/wine_imports.c recognises the same code in the file). On
 * Windows no kernel code is read.
 */
#include "kernel_routine.h"

BOOLEAN compat_under_wine(void)
{
    static volatile LONG known; /* 0: not looked, 1: Windows, 2: Wine */
    UNICODE_STRING name;

    if (!known) {
        RtlInitUnicodeString(&name, L"wine_ntoskrnl_main_loop");
        InterlockedExchange(&known, MmGetSystemRoutineAddress(&name) ? 2 : 1);
    }
    return known == 2;
}

/* The address a `lea disp32(%rip),%reg` at `code` loads. */
static const char *lea_target(const UCHAR *code)
{
    LONG displacement;

    RtlCopyMemory(&displacement, code + 3, sizeof(displacement));
    return (const char *)(code + 7 + displacement);
}

/* Whether `code` is winebuild's stub for the routine `name`. */
static BOOLEAN is_wine_stub(const UCHAR *code, PCWSTR name)
{
    const char *function = NULL;
    unsigned i = 0, k;

    if (code[0] == 0x48 && code[1] == 0x83 && code[2] == 0xEC)
        i = 4;
    for (k = 0; k < 2; k++, i += 7) {
        if (code[i] != 0x48 || code[i + 1] != 0x8D)
            return FALSE;
        if (code[i + 2] == 0x15)
            function = lea_target(code + i);
        else if (code[i + 2] != 0x0D)
            return FALSE;
    }
    if ((code[i] != 0xE8 && code[i] != 0xE9) || !function)
        return FALSE;
    for (k = 0; name[k]; k++)
        if (function[k] != (char)name[k])
            return FALSE;
    return function[k] == 0;
}

void *compat_kernel_routine(PCWSTR name)
{
    UNICODE_STRING string;
    void *routine;

    RtlInitUnicodeString(&string, name);
    routine = MmGetSystemRoutineAddress(&string);
    if (routine && compat_under_wine() && is_wine_stub(routine, name))
        return NULL;
    return routine;
}

BOOLEAN compat_use_kernel(struct compat_family *family)
{
    BOOLEAN all = KeGetCurrentIrql() == PASSIVE_LEVEL;
    unsigned i;

    if (family->decision != COMPAT_UNDECIDED)
        return family->decision == COMPAT_KERNEL;
    for (i = 0; all && i < family->count; i++) {
        void *routine = compat_kernel_routine(family->names[i]);

        all = routine != NULL;
        /* Every thread that decides finds the same addresses. */
        InterlockedExchangePointer((PVOID volatile *)&family->kernel[i], routine);
    }
    /* The first decision stands for every caller. */
    InterlockedCompareExchange(&family->decision, all ? COMPAT_KERNEL : COMPAT_KIT,
                               COMPAT_UNDECIDED);
    return family->decision == COMPAT_KERNEL;
}
