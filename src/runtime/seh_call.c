/*
 * seh_call (seh_call.h): the call sits in a function of its own, written in assembly, whose
 * unwind data names __C_specific_handler with a scope table of one entry covering the call.
 * A compiler cannot move anything into or out of that scope, and its filter, a C function, is
 * the same with every compiler: the kernel's __C_specific_handler calls it as it calls an
 * MSVC __except filter, (EXCEPTION_POINTERS *, EstablisherFrame).
 *
 * The frame: 40 bytes below the return address; [rsp+0, 32) is the called routine's home
 * area, [rsp+32] keeps the struct seh_call pointer, where the filter and the handler find it
 * (EstablisherFrame is rsp after the prologue). The nop after the call keeps its return
 * address inside the scope, as compilers do.
 */
#include "seh_call.h"

LONG minwdm_seh_call_filter(EXCEPTION_POINTERS *exception, void *frame);

__asm__(".text\n"
        ".globl minwdm_seh_call\n"
        ".def minwdm_seh_call; .scl 2; .type 32; .endef\n"
        ".p2align 4\n"
        "minwdm_seh_call:\n"
        ".seh_proc minwdm_seh_call\n"
        "    subq $40, %rsp\n"
        ".seh_stackalloc 40\n"
        ".seh_endprologue\n"
        "    movq %rcx, 32(%rsp)\n"
        "    movq %rcx, %rax\n"
        "    movq 8(%rax), %rcx\n"
        "    movq 16(%rax), %rdx\n"
        "    movq 24(%rax), %r8\n"
        "    movq 32(%rax), %r9\n"
        ".Lminwdm_seh_call_begin:\n"
        "    callq *(%rax)\n"
        "    nop\n"
        ".Lminwdm_seh_call_end:\n"
        "    movq 32(%rsp), %rcx\n"
        "    movq %rax, 40(%rcx)\n"
        "    xorl %eax, %eax\n"
        "    addq $40, %rsp\n"
        "    retq\n"
        ".Lminwdm_seh_call_caught:\n"
        "    movl $1, %eax\n"
        "    addq $40, %rsp\n"
        "    retq\n"
        ".seh_handler __C_specific_handler, @except\n"
        ".seh_handlerdata\n"
        "    .long 1\n"
        "    .rva .Lminwdm_seh_call_begin, .Lminwdm_seh_call_end\n"
        "    .rva minwdm_seh_call_filter, .Lminwdm_seh_call_caught\n"
        ".text\n"
        ".seh_endproc\n");

BOOLEAN minwdm_seh_call(struct seh_call *call);

LONG minwdm_seh_call_filter(EXCEPTION_POINTERS *exception, void *frame)
{
    struct seh_call *call = *(struct seh_call **)((char *)frame + 32);

    call->code = exception->ExceptionRecord->ExceptionCode;
    return call->filter ? call->filter(call, exception) : EXCEPTION_EXECUTE_HANDLER;
}

BOOLEAN seh_call(struct seh_call *call)
{
    call->code = STATUS_SUCCESS;
    call->result = 0;
    return minwdm_seh_call(call);
}
