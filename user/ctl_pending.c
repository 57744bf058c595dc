#include "ctl_pending.h"
#include "core/irp_names.h"

#include <stdio.h>
#include <string.h>

int ctl_pending_valid(const struct ctl_pending_list *list, size_t size, uint64_t instance)
{
    const struct minwdm_pending_irps *h = &list->header;

    return size >= sizeof(*h) && h->abi_version == MINWDM_CONTROL_ABI_VERSION &&
           h->instance == instance && h->count <= MINWDM_PENDING_IRPS_MAX &&
           h->count <= h->total &&
           size == sizeof(*h) + (size_t)h->count * sizeof(list->entries[0]);
}

static void append(char *text, size_t size, const char *line)
{
    size_t used = strlen(text);

    if (used + 1 < size)
        snprintf(text + used, size - used, "%s", line);
}

void ctl_pending_lines(const struct ctl_pending_list *list, uint64_t now, const char *image,
                       char *text, size_t size)
{
    char line[400], code[16];

    for (uint32_t i = 0; i < list->header.count; i++) {
        const struct minwdm_pending_irp *e = &list->entries[i];
        uint64_t ms = now > e->since ? (now - e->since) / 10000 : 0;
        code[0] = '\0';
        if (e->major == 14 || e->major == 15) /* IRP_MJ_(INTERNAL_)DEVICE_CONTROL */
            snprintf(code, sizeof(code), " 0x%lx", (unsigned long)e->code);
        snprintf(line, sizeof(line), "\npending: %s%s for %llu.%03llu s, %s, dispatched to %s+0x%lx",
                 minwdm_irp_major_name(e->major), code, (unsigned long long)(ms / 1000),
                 (unsigned long long)(ms % 1000),
                 e->cancel_routine ? "with a cancel routine"
                                   : "with NO cancel routine (a process waiting for it cannot end)",
                 image, (unsigned long)e->dispatch);
        append(text, size, line);
    }
    if (list->header.total > list->header.count) {
        snprintf(line, sizeof(line), "\npending: %lu more requests, not listed",
                 (unsigned long)(list->header.total - list->header.count));
        append(text, size, line);
    }
}
