/* What the driver's kernel glue shares between its files. */
#ifndef MINWDM_DRIVER_H
#define MINWDM_DRIVER_H

#include <minwdm/runtime.h>

#include "core/request.h"

#define HANDLE_TAG MEM_TAG('M', 'w', 'H', 'd')
#define HANDLE_CACHE_DEPTH 32

struct device_extension {
    struct minwdm_device device;
    struct mem_cache *handles; /* one struct handle_context per open handle */
};

/* What the driver keeps per open handle (FileObject->FsContext). */
struct handle_context {
    uint64_t requests;
};

DRIVER_DISPATCH dispatch_create;
DRIVER_DISPATCH dispatch_close;
DRIVER_DISPATCH dispatch_device_control;

#endif
