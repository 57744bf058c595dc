/* Memory for a RUNTIME C++ driver's operator new (cxx/new.c): the driver's allocator, so that
 * `minwdmctl stats` counts it and the runtime reports what is left at unload, by call site. */
#include "cxx/cxx.h"
#include "runtime_internal.h"

#define CXX_TAG MEM_TAG('M', 'w', 'C', 'x')

void *minwdm_cxx_alloc(size_t size, size_t alignment, const struct mem_site *site)
{
    if (alignment)
        return mem_alloc_aligned(&driver_memory, size, alignment, CXX_TAG, MEM_NONPAGED, site);
    return mem_alloc(&driver_memory, size, CXX_TAG, MEM_NONPAGED, site);
}

void minwdm_cxx_free(void *block, size_t alignment)
{
    (void)alignment; /* mem_free knows an aligned block */
    mem_free(&driver_memory, block, CXX_TAG);
}
