/*
 * Where the verifier's pool blocks come from: the special pool (guard pages: rules pool-overrun
 * and pool-use-after-free, src/runtime/special_pool.h) when it is on and the block fits, else the
 * real pool routines (the callers fall back on NULL / 0).
 */
#include "verifier.h"

#include "special_pool.h"

void *verifier_pool_backend_alloc(size_t size, ULONG tag, int executable_requested)
{
    return special_pool_alloc(size, tag, executable_requested);
}

int verifier_pool_backend_free(void *block)
{
    return special_pool_free(block);
}
