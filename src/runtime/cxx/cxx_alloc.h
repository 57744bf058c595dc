/* What operator new and delete call (src/runtime/cxx/new.c): no DDK header, so that the 25
 * compiles of new.c, one per form, do not each parse the Windows headers. */
#ifndef MINWDM_CXX_ALLOC_H
#define MINWDM_CXX_ALLOC_H

#include <stddef.h>

#include <minwdm/mem.h>

/* Memory for operator new: zeroed, aligned to `alignment` (0: the default, 16 bytes), NULL on
 * failure. The runtime's (src/runtime/cxx_memory.c) comes from the driver's allocator, with the
 * call site when new was given one; without the runtime (cxx/pool.c) from the pool. */
void *minwdm_cxx_alloc(size_t size, size_t alignment, const struct mem_site *site);
void minwdm_cxx_free(void *block, size_t alignment);

#endif
