/* The kit's C++ support, shared by its files (src/runtime/cxx, src/runtime/cxx_memory.c). */
#ifndef MINWDM_CXX_INTERNAL_H
#define MINWDM_CXX_INTERNAL_H

#include <ntddk.h>

#include "cxx_alloc.h"

/* Constructs the driver's global objects (the linker's __CTOR_LIST__), once. PASSIVE_LEVEL. */
void minwdm_cxx_construct(void);
/* Destroys them, and function-local statics, in reverse order of construction. PASSIVE_LEVEL. */
void minwdm_cxx_destroy(void);

#endif
