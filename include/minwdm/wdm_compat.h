/*
 * Kernel mode only: what the mingw-w64 DDK lacks and minwdm drivers use.
 *
 * Checked against mingw-w64 10 (Debian 12) and mingw-w64's master of 2026: neither has the
 * ExAllocatePool2 flags, MdlMappingNoExecute or the SAL role annotations of the WDK. Each
 * declaration is guarded, so a DDK that has it wins. The toolchain's <wdm.h> wrapper includes
 * this file right after the DDK's <wdm.h>; including it by hand after <ntddk.h> works too.
 * <minwdm/ddk_extra.h> (included at the end) adds the WDK routines and types mingw-w64 lacks;
 * with add_wdm_driver(... WDK_COMPAT) this file also maps MSVC's C keywords try/except/finally/
 * leave to clang's structured exception handling, as MSVC's <excpt.h> does.
 */
#ifndef MINWDM_WDM_COMPAT_H
#define MINWDM_WDM_COMPAT_H

#ifndef _WDMDDK_
#error "minwdm/wdm_compat.h needs <wdm.h>, <ntddk.h> or <ntifs.h> first"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Code placement, as MSVC's #pragma alloc_text does: the loader discards INIT once DriverEntry
 * has returned, and may page PAGE out (PASSIVE_LEVEL or APC_LEVEL callers only). */
#define MINWDM_INIT_CODE __attribute__((section("INIT"), noinline))
#define MINWDM_PAGED_CODE __attribute__((section("PAGE"), noinline))

/* SAL role and IRQL annotations. The WDK's static analysis reads them; here they document. */
#ifndef _Dispatch_type_
#define _Dispatch_type_(type)
#endif
#ifndef _IRQL_requires_max_
#define _IRQL_requires_max_(irql)
#endif
#ifndef _IRQL_requires_min_
#define _IRQL_requires_min_(irql)
#endif
#ifndef _IRQL_requires_
#define _IRQL_requires_(irql)
#endif
#ifndef _IRQL_requires_same_
#define _IRQL_requires_same_
#endif
#ifndef _IRQL_raises_
#define _IRQL_raises_(irql)
#endif
#ifndef _IRQL_saves_
#define _IRQL_saves_
#endif
#ifndef _IRQL_restores_
#define _IRQL_restores_
#endif
#ifndef _IRQL_always_function_min_
#define _IRQL_always_function_min_(irql)
#endif
#ifndef _IRQL_always_function_max_
#define _IRQL_always_function_max_(irql)
#endif
#ifndef _Function_class_
#define _Function_class_(name)
#endif
#ifndef _Use_decl_annotations_
#define _Use_decl_annotations_
#endif
#ifndef _Must_inspect_result_
#define _Must_inspect_result_
#endif
#ifndef _Kernel_float_saved_
#define _Kernel_float_saved_
#endif
#ifndef _Requires_lock_held_
#define _Requires_lock_held_(lock)
#endif
#ifndef _Acquires_lock_
#define _Acquires_lock_(lock)
#endif
#ifndef _Releases_lock_
#define _Releases_lock_(lock)
#endif
#ifndef _Requires_lock_not_held_
#define _Requires_lock_not_held_(lock)
#endif
#ifndef _IRQL_uses_cancel_
#define _IRQL_uses_cancel_
#endif
#ifndef _IRQL_is_cancel_
#define _IRQL_is_cancel_
#endif
#ifndef _When_
#define _When_(condition, annotations)
#endif
#ifndef _At_
#define _At_(target, annotations)
#endif
#ifndef _Success_
#define _Success_(condition)
#endif
#ifndef _Analysis_assume_
#define _Analysis_assume_(expression)
#endif
#ifndef _Analysis_assume_lock_held_
#define _Analysis_assume_lock_held_(lock)
#endif
#ifndef _Analysis_assume_lock_not_held_
#define _Analysis_assume_lock_not_held_(lock)
#endif
#ifndef _Guarded_by_
#define _Guarded_by_(lock)
#endif
#ifndef _Interlocked_
#define _Interlocked_
#endif
#ifndef _Kernel_requires_resource_held_
#define _Kernel_requires_resource_held_(resource)
#endif
#ifndef _Kernel_requires_resource_not_held_
#define _Kernel_requires_resource_not_held_(resource)
#endif
#ifndef _Kernel_acquires_resource_
#define _Kernel_acquires_resource_(resource)
#endif
#ifndef _Kernel_releases_resource_
#define _Kernel_releases_resource_(resource)
#endif
#ifndef _Kernel_clear_do_init_
#define _Kernel_clear_do_init_(yes_or_no)
#endif
#ifndef _Kernel_float_used_
#define _Kernel_float_used_
#endif
#ifndef _Kernel_float_restored_
#define _Kernel_float_restored_
#endif
#ifndef _Struct_size_bytes_
#define _Struct_size_bytes_(size)
#endif
#ifndef _Field_size_
#define _Field_size_(size)
#endif
#ifndef _Field_size_bytes_
#define _Field_size_bytes_(size)
#endif
#ifndef _Field_size_bytes_part_
#define _Field_size_bytes_part_(size, count)
#endif
#ifndef _Field_z_
#define _Field_z_
#endif
#ifndef _Null_terminated_
#define _Null_terminated_
#endif
#ifndef _Ret_maybenull_
#define _Ret_maybenull_
#endif
#ifndef _Post_writable_byte_size_
#define _Post_writable_byte_size_(size)
#endif
#ifndef _Printf_format_string_
#define _Printf_format_string_
#endif
#ifndef __drv_allocatesMem
#define __drv_allocatesMem(kind)
#endif
#ifndef __drv_freesMem
#define __drv_freesMem(kind)
#endif
#ifndef __drv_aliasesMem
#define __drv_aliasesMem
#endif
#ifndef __drv_dispatchType
#define __drv_dispatchType(type)
#endif
#ifndef __drv_maxIRQL
#define __drv_maxIRQL(irql)
#endif
#ifndef __drv_requiresIRQL
#define __drv_requiresIRQL(irql)
#endif
#ifndef __drv_functionClass
#define __drv_functionClass(name)
#endif

/* ExAllocatePool2 flags (Windows 10 2004 and later). */
#ifndef POOL_FLAG_NON_PAGED
typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_REQUIRED_START 0x0000000000000001ULL
#define POOL_FLAG_USE_QUOTA 0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED 0x0000000000000002ULL
#define POOL_FLAG_SESSION 0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED 0x0000000000000008ULL
#define POOL_FLAG_RESERVED1 0x0000000000000010ULL
#define POOL_FLAG_RAISE_ON_FAILURE 0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED 0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE 0x0000000000000080ULL
#define POOL_FLAG_PAGED 0x0000000000000100ULL
#define POOL_FLAG_RESERVED2 0x0000000000000200ULL
#define POOL_FLAG_RESERVED3 0x0000000000000400ULL
#define POOL_FLAG_REQUIRED_END 0x0000000080000000ULL
#define POOL_FLAG_OPTIONAL_START 0x0000000100000000ULL
#define POOL_FLAG_SPECIAL_POOL 0x0000000100000000ULL
#define POOL_FLAG_OPTIONAL_END 0x8000000000000000ULL
#endif

/*
 * ExAllocatePool2 for WDK code, without importing it: an import would keep the driver from loading
 * on Windows before 10 2004 and on Wine 8. The kernel's own is looked up at the first call made
 * at PASSIVE_LEVEL; without it, ExAllocatePoolWithTag serves (NX nonpaged or paged pool) and the
 * block is zeroed unless POOL_FLAG_UNINITIALIZED. Define MINWDM_NO_EXALLOCATEPOOL2 to opt out.
 */
#ifndef MINWDM_NO_EXALLOCATEPOOL2
static __inline PVOID minwdm_ExAllocatePool2(POOL_FLAGS flags, SIZE_T size, ULONG tag)
{
    typedef PVOID(NTAPI * allocate_fn)(POOL_FLAGS, SIZE_T, ULONG);
    static allocate_fn allocate;
    static BOOLEAN looked_up;
    PVOID block;

    if (!looked_up && KeGetCurrentIrql() == PASSIVE_LEVEL) {
        UNICODE_STRING name = RTL_CONSTANT_STRING(L"ExAllocatePool2");
        allocate = (allocate_fn)MmGetSystemRoutineAddress(&name);
        looked_up = TRUE;
    }
    if (allocate)
        return allocate(flags, size, tag);
    block = ExAllocatePoolWithTag((flags & POOL_FLAG_PAGED)               ? PagedPool
                                  : (flags & POOL_FLAG_NON_PAGED_EXECUTE) ? NonPagedPool
                                                                          : NonPagedPoolNx,
                                  size, tag);
    if (block && !(flags & POOL_FLAG_UNINITIALIZED))
        RtlZeroMemory(block, size);
    if (!block && (flags & POOL_FLAG_RAISE_ON_FAILURE))
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    return block;
}
#define ExAllocatePool2 minwdm_ExAllocatePool2
#endif

/* MSVC's C spelling of structured exception handling (its <excpt.h> maps them in C), for
 * add_wdm_driver(... WDK_COMPAT). Not in C++: try is C++'s own there. */
#if defined(MINWDM_WDK_COMPAT) && !defined(__cplusplus)
#ifndef try
#define try __try
#endif
#ifndef except
#define except __except
#endif
#ifndef finally
#define finally __finally
#endif
#ifndef leave
#define leave __leave
#endif
#endif

/* MinGW GCC has no structured exception handling for C: say so where __try is used, instead of
 * "'__try' undeclared". (clang compiles __try/__except for Windows targets.) */
#if defined(__GNUC__) && !defined(__clang__) && !defined(__try)
#define __try                                                                                    \
    _Pragma("GCC error \"__try/__except (SEH) needs clang, MinGW GCC cannot compile it: build with the default (clang) preset\"") if (1)
#define __except(filter) else if (0)
#define __finally if (1)
#define GetExceptionCode() STATUS_UNSUCCESSFUL
#endif

/* C++ with a clang whose SEH covers only the calls in a __try body (clang 14: toolchain/seh.cmake):
 * nothing could check what it made of one, so a __try is refused where it is written. */
#if defined(__clang__) && defined(__cplusplus) && defined(MINWDM_SEH_SYNCHRONOUS) && !defined(__try)
#define __try                                                                                    \
    _Pragma("GCC error \"__try in C++ needs a clang that protects its whole body (clang 19 does; this one covers only calls): docs/debugging.md, Exceptions\"") if (1)
#define __except(filter) else if (0)
#define __finally if (1)
#define __leave
#endif

/* Priority flags for MmGetSystemAddressForMdlSafe (Windows 8 and later): HVCI wants mappings
 * that are not executable. */
#ifndef MdlMappingNoWrite
#define MdlMappingNoWrite 0x80000000
#endif
#ifndef MdlMappingNoExecute
#define MdlMappingNoExecute 0x40000000
#endif

#ifdef __cplusplus
}
#endif

/* MSVC's C++ as WDK drivers write it: the compiler itself declares std::align_val_t and
 * std::nothrow_t (operator new's forms name them with no header), and the WDK's <ntdef.h> gives
 * min and max as macros in C++ too (libstdc++'s <cstdlib>, which mingw-w64's <intrin.h> brings
 * in C++, removes them, and defines NOMINMAX). The driver's own NOMINMAX, defined before the first
 * DDK header, keeps them out, as with the WDK. */
#if defined(MINWDM_WDK_COMPAT) && defined(__cplusplus)
extern "C++" { /* <ntddk.h> may include this file inside its extern "C" */
#include <new>
}
#ifndef MINWDM_NOMINMAX
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif
#endif

#include <minwdm/ddk_extra.h>

#endif /* MINWDM_WDM_COMPAT_H */
