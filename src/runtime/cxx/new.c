/*
 * operator new and delete for C++ drivers, every form a C++17 compiler calls: plain, array,
 * nothrow, aligned (align_val_t), sized delete, and the kit's own new (MEM_SITE), which records
 * the call site for leak reports (<minwdm/cxx.h>). Written in C under their Itanium-ABI names
 * (x86_64-w64-mingw32: size_t is `unsigned long long`, "y"), so that the kit builds them without
 * a C++ compiler; in the compat library, a driver that defines its own operators keeps them.
 * Placement new needs no code (<new> defines it inline).
 *
 * Each form is its own archive member, as in MSVC's runtime, so that a driver may define any of
 * them itself and keep the kit's others: the compat library compiles this file once per form
 * with MINWDM_CXX_FORM=<n> (toolchain/minwdm-wdk.cmake); without it, every form is compiled.
 *
 * Memory is nonpaged and zeroed (minwdm_cxx_alloc). With exceptions off nothing can be thrown: a
 * failed new returns NULL. The nothrow forms and the kit's MEM_SITE form are noexcept, so the
 * compiler tests for NULL before running a constructor; for plain new only -fcheck-new does
 * (GCC, clang 17 and later: add_wdm_driver passes it), so with clang 14 a driver uses
 * new (std::nothrow) or new (MEM_SITE) wherever an allocation may fail.
 */
#include "cxx_alloc.h"

#ifndef MINWDM_CXX_FORM
#define MINWDM_CXX_FORM 0
#endif
/* Whether this object file holds form n. */
#define FORM(n) (MINWDM_CXX_FORM == 0 || MINWDM_CXX_FORM == (n))

#define NAMED(symbol) __asm__(symbol)

void *cxx_new(size_t size) NAMED("_Znwy");
void *cxx_new_array(size_t size) NAMED("_Znay");
void *cxx_new_nothrow(size_t size, const void *nothrow) NAMED("_ZnwyRKSt9nothrow_t");
void *cxx_new_array_nothrow(size_t size, const void *nothrow) NAMED("_ZnayRKSt9nothrow_t");
void *cxx_new_aligned(size_t size, size_t alignment) NAMED("_ZnwySt11align_val_t");
void *cxx_new_array_aligned(size_t size, size_t alignment) NAMED("_ZnaySt11align_val_t");
void *cxx_new_aligned_nothrow(size_t size, size_t alignment, const void *nothrow)
    NAMED("_ZnwySt11align_val_tRKSt9nothrow_t");
void *cxx_new_array_aligned_nothrow(size_t size, size_t alignment, const void *nothrow)
    NAMED("_ZnaySt11align_val_tRKSt9nothrow_t");
void *cxx_new_site(size_t size, const struct mem_site *site) NAMED("_ZnwyPK8mem_site");
void *cxx_new_array_site(size_t size, const struct mem_site *site) NAMED("_ZnayPK8mem_site");

void cxx_delete(void *block) NAMED("_ZdlPv");
void cxx_delete_array(void *block) NAMED("_ZdaPv");
void cxx_delete_sized(void *block, size_t size) NAMED("_ZdlPvy");
void cxx_delete_array_sized(void *block, size_t size) NAMED("_ZdaPvy");
void cxx_delete_nothrow(void *block, const void *nothrow) NAMED("_ZdlPvRKSt9nothrow_t");
void cxx_delete_array_nothrow(void *block, const void *nothrow) NAMED("_ZdaPvRKSt9nothrow_t");
void cxx_delete_aligned(void *block, size_t alignment) NAMED("_ZdlPvSt11align_val_t");
void cxx_delete_array_aligned(void *block, size_t alignment) NAMED("_ZdaPvSt11align_val_t");
void cxx_delete_sized_aligned(void *block, size_t size, size_t alignment)
    NAMED("_ZdlPvySt11align_val_t");
void cxx_delete_array_sized_aligned(void *block, size_t size, size_t alignment)
    NAMED("_ZdaPvySt11align_val_t");
void cxx_delete_aligned_nothrow(void *block, size_t alignment, const void *nothrow)
    NAMED("_ZdlPvSt11align_val_tRKSt9nothrow_t");
void cxx_delete_array_aligned_nothrow(void *block, size_t alignment, const void *nothrow)
    NAMED("_ZdaPvSt11align_val_tRKSt9nothrow_t");
void cxx_delete_site(void *block, const struct mem_site *site) NAMED("_ZdlPvPK8mem_site");
void cxx_delete_array_site(void *block, const struct mem_site *site) NAMED("_ZdaPvPK8mem_site");

#if FORM(1)
/* std::nothrow, the tag that selects the nothrow forms (libstdc++ defines it, which a driver
 * does not link). */
extern const char cxx_nothrow NAMED("_ZSt7nothrow"); /* a label on a definition: cppcheck fails */
const char cxx_nothrow = 0;
#endif

/* Where plain new was called is unknown (the compiler calls it): its blocks say so. Forms 2 to 9
 * use it (static storage: the allocator keeps the pointer for its leak reports). */
#if MINWDM_CXX_FORM == 0 || (MINWDM_CXX_FORM >= 2 && MINWDM_CXX_FORM <= 9)
static const struct mem_site plain_new = {"operator new", 0};
#endif

#if FORM(2)
void *cxx_new(size_t size)
{
    return minwdm_cxx_alloc(size, 0, &plain_new);
}
#endif

#if FORM(3)
void *cxx_new_array(size_t size)
{
    return minwdm_cxx_alloc(size, 0, &plain_new);
}
#endif

#if FORM(4)
void *cxx_new_nothrow(size_t size, const void *nothrow)
{
    (void)nothrow;
    return minwdm_cxx_alloc(size, 0, &plain_new);
}
#endif

#if FORM(5)
void *cxx_new_array_nothrow(size_t size, const void *nothrow)
{
    (void)nothrow;
    return minwdm_cxx_alloc(size, 0, &plain_new);
}
#endif

#if FORM(6)
void *cxx_new_aligned(size_t size, size_t alignment)
{
    return minwdm_cxx_alloc(size, alignment, &plain_new);
}
#endif

#if FORM(7)
void *cxx_new_array_aligned(size_t size, size_t alignment)
{
    return minwdm_cxx_alloc(size, alignment, &plain_new);
}
#endif

#if FORM(8)
void *cxx_new_aligned_nothrow(size_t size, size_t alignment, const void *nothrow)
{
    (void)nothrow;
    return minwdm_cxx_alloc(size, alignment, &plain_new);
}
#endif

#if FORM(9)
void *cxx_new_array_aligned_nothrow(size_t size, size_t alignment, const void *nothrow)
{
    (void)nothrow;
    return minwdm_cxx_alloc(size, alignment, &plain_new);
}
#endif

#if FORM(10)
void *cxx_new_site(size_t size, const struct mem_site *site)
{
    return minwdm_cxx_alloc(size, 0, site);
}
#endif

#if FORM(11)
void *cxx_new_array_site(size_t size, const struct mem_site *site)
{
    return minwdm_cxx_alloc(size, 0, site);
}
#endif

#if FORM(12)
void cxx_delete(void *block)
{
    minwdm_cxx_free(block, 0);
}
#endif

#if FORM(13)
void cxx_delete_array(void *block)
{
    minwdm_cxx_free(block, 0);
}
#endif

#if FORM(14)
void cxx_delete_sized(void *block, size_t size)
{
    (void)size;
    minwdm_cxx_free(block, 0);
}
#endif

#if FORM(15)
void cxx_delete_array_sized(void *block, size_t size)
{
    (void)size;
    minwdm_cxx_free(block, 0);
}
#endif

#if FORM(16)
void cxx_delete_nothrow(void *block, const void *nothrow)
{
    (void)nothrow;
    minwdm_cxx_free(block, 0);
}
#endif

#if FORM(17)
void cxx_delete_array_nothrow(void *block, const void *nothrow)
{
    (void)nothrow;
    minwdm_cxx_free(block, 0);
}
#endif

#if FORM(18)
void cxx_delete_aligned(void *block, size_t alignment)
{
    minwdm_cxx_free(block, alignment);
}
#endif

#if FORM(19)
void cxx_delete_array_aligned(void *block, size_t alignment)
{
    minwdm_cxx_free(block, alignment);
}
#endif

#if FORM(20)
void cxx_delete_sized_aligned(void *block, size_t size, size_t alignment)
{
    (void)size;
    minwdm_cxx_free(block, alignment);
}
#endif

#if FORM(21)
void cxx_delete_array_sized_aligned(void *block, size_t size, size_t alignment)
{
    (void)size;
    minwdm_cxx_free(block, alignment);
}
#endif

#if FORM(22)
void cxx_delete_aligned_nothrow(void *block, size_t alignment, const void *nothrow)
{
    (void)nothrow;
    minwdm_cxx_free(block, alignment);
}
#endif

#if FORM(23)
void cxx_delete_array_aligned_nothrow(void *block, size_t alignment, const void *nothrow)
{
    (void)nothrow;
    minwdm_cxx_free(block, alignment);
}
#endif

#if FORM(24)
void cxx_delete_site(void *block, const struct mem_site *site)
{
    (void)site;
    minwdm_cxx_free(block, 0);
}
#endif

#if FORM(25)
void cxx_delete_array_site(void *block, const struct mem_site *site)
{
    (void)site;
    minwdm_cxx_free(block, 0);
}
#endif
