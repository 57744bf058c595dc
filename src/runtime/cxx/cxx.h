/* The kit's C++ support, shared by its files (src/runtime/cxx, src/runtime/cxx_memory.c). */
#ifndef MINWDM_CXX_INTERNAL_H
#define MINWDM_CXX_INTERNAL_H

#include <ntddk.h>

#include <minwdm/mem.h>

/* Memory for operator new: zeroed, aligned to `alignment` (0: the default, 16 bytes), NULL on
 * failure. The runtime's (src/runtime/cxx_memory.c) comes from the driver's allocator, with the
 * call site when new was given one; without the runtime (cxx/pool.c) from the pool. */
void *minwdm_cxx_alloc(size_t size, size_t alignment, const struct mem_site *site);
void minwdm_cxx_free(void *block, size_t alignment);

/* Constructs the driver's global objects (the linker's __CTOR_LIST__), once. PASSIVE_LEVEL. */
void minwdm_cxx_construct(void);
/* Destroys them, and function-local statics, in reverse order of construction. PASSIVE_LEVEL. */
void minwdm_cxx_destroy(void);

#endif
