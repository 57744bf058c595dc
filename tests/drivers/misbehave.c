/*
 * A test driver that misuses minwdm's allocator on purpose, once in each way: it must be caught
 * and reported, and the driver host must survive. DriverEntry leaks two blocks and a cache
 * object, overruns, underruns, double-frees, frees a foreign pointer, frees with the wrong tag
 * and writes after free; the runtime reports and frees the leaks after its unload.
 */
#include <minwdm/runtime.h>

#define TAG MEM_TAG('B', 'a', 'd', '1')
#define OTHER_TAG MEM_TAG('B', 'a', 'd', '2')

static DRIVER_UNLOAD unload;

static struct mem_cache *cache;

static void unload(PDRIVER_OBJECT driver)
{
    (void)driver;
    ULONG64 leaks = mem_cache_destroy(cache);

    LOG_INFO("unloaded, %llu leaks in its cache", (unsigned long long)leaks);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    volatile UCHAR *p;

    (void)registry_path;
    cache = mem_cache_create(&driver_memory, "misbehave", 40, TAG, 4);
    if (!cache)
        return STATUS_INSUFFICIENT_RESOURCES;

    POOL_ALLOC(100, TAG);                    /* leak */
    POOL_ALLOC(5000, TAG);                   /* leak */
    mem_cache_alloc(cache, MEM_SITE);        /* leak */

    p = POOL_ALLOC(64, TAG);                 /* overrun */
    p[64] = 0xAB;
    POOL_FREE((void *)p, TAG);

    p = POOL_ALLOC(64, TAG);                 /* underrun */
    p[-1] = 0xAB;
    POOL_FREE((void *)p, TAG);
    p[-1] ^= 0xAB;                           /* (repaired; the block is freed at unload) */

    p = POOL_ALLOC(32, TAG);                 /* double free */
    POOL_FREE((void *)p, TAG);
    POOL_FREE((void *)p, TAG);

    p = POOL_ALLOC(256, TAG);                /* foreign pointer: inside a block */
    POOL_FREE((void *)(p + 96), TAG);
    POOL_FREE((void *)p, TAG);

    p = POOL_ALLOC(48, TAG);                 /* wrong tag */
    POOL_FREE((void *)p, OTHER_TAG);

    p = POOL_ALLOC(4000, TAG);               /* write after free, seen when it leaves quarantine */
    POOL_FREE((void *)p, TAG);
    p[7] = 1;

    driver->DriverUnload = unload;
    LOG_INFO("loaded");
    return STATUS_SUCCESS;
}
