/*
 * Memory for operator new in a driver without the runtime: nonpaged, non-executable pool, zeroed
 * (ExAllocatePoolWithTag does not zero: Wine's never does). A RUNTIME driver uses the runtime's
 * allocator instead (src/runtime/cxx_memory.c), which defines the same two functions, so the
 * linker never takes this file for it.
 */
#include "cxx.h"

#define CXX_POOL_TAG 'xCwM' /* shows as "MwCx" */
#define POOL_ALIGNMENT 16u  /* what the pool guarantees on x64 */

void *minwdm_cxx_alloc(size_t size, size_t alignment, const struct mem_site *site)
{
    size_t extra = alignment > POOL_ALIGNMENT ? alignment - 1 + sizeof(void *) : 0;
    UCHAR *block, *aligned;

    (void)site;
    if (alignment & (alignment - 1) || alignment > PAGE_SIZE || size > MAXULONG_PTR - extra - 1)
        return NULL;
    block = ExAllocatePoolWithTag(NonPagedPoolNx, size + extra + (size == 0), CXX_POOL_TAG);
    if (!block)
        return NULL;
    RtlZeroMemory(block, size + extra + (size == 0));
    if (!extra)
        return block;
    /* Over-allocated: the aligned address, with the pool's own just below it. */
    aligned = (UCHAR *)(((ULONG_PTR)block + sizeof(void *) + alignment - 1) & ~(alignment - 1));
    ((void **)aligned)[-1] = block;
    return aligned;
}

void minwdm_cxx_free(void *block, size_t alignment)
{
    if (!block)
        return;
    if (alignment > POOL_ALIGNMENT)
        block = ((void **)block)[-1];
    ExFreePoolWithTag(block, CXX_POOL_TAG);
}
