/*
 * Where the verifier's pool blocks come from. Special pool (guard pages, rules pool-overrun and
 * pool-use-after-free) joins here: special_pool_alloc/special_pool_free of
 * src/runtime/special_pool.h, when that is in the tree. Until then, and whenever special pool
 * is off or full, the real pool routines serve (the caller falls back on NULL / 0).
 */
#include "verifier.h"

void *verifier_pool_backend_alloc(size_t size, ULONG tag, int executable_requested)
{
    (void)size;
    (void)tag;
    (void)executable_requested;
    return NULL;
}

int verifier_pool_backend_free(void *block)
{
    (void)block;
    return 0;
}
