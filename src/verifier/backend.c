/*
 * Where the verifier's pool blocks come from: the runtime's special pool (guard pages, rules
 * pool-overrun and pool-use-after-free; src/runtime/special_pool.h), which is on in test and
 * verified builds under Wine. When it is off (Windows), full or asked for executable memory, the
 * real pool routines serve (the caller falls back on NULL / 0).
 */
#include "special_pool.h"
#include "verifier.h"

void *verifier_pool_backend_alloc(size_t size, ULONG tag, int executable_requested)
{
    return special_pool_alloc(size, tag, executable_requested);
}

int verifier_pool_backend_free(void *block)
{
    return special_pool_free(block);
}
