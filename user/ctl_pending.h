/*
 * The pending list a verified driver keeps in its saved key (MINWDM_PENDING_IRPS_VALUE of
 * <minwdm/control.h>): checked and turned into lines for `minwdmctl test` when a kernel test or a
 * client does not finish. Portable C: no Windows header, nothing prints.
 */
#ifndef MINWDMCTL_PENDING_H
#define MINWDMCTL_PENDING_H

#include <minwdm/control.h>
#include <stddef.h>
#include <stdint.h>

struct ctl_pending_list {
    struct minwdm_pending_irps header;
    struct minwdm_pending_irp entries[MINWDM_PENDING_IRPS_MAX];
};

/* Whether `size` bytes read from the value are a list of the load `instance`: the header whole,
 * this ABI, at most MINWDM_PENDING_IRPS_MAX entries and no more than its total, exactly `count`
 * entries after the header. */
int ctl_pending_valid(const struct ctl_pending_list *list, size_t size, uint64_t instance);

/* Appends one line per request to text (NUL-terminated, cut to size), each starting with a
 * newline: "pending: IRP_MJ_DEVICE_CONTROL 0x222003 for 3.004 s, with NO cancel routine ...,
 * dispatched to <image>+0x<offset>", `now` on the list's clock (100 ns units). */
void ctl_pending_lines(const struct ctl_pending_list *list, uint64_t now, const char *image,
                       char *text, size_t size);

#endif
