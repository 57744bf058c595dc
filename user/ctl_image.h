/* Whether a file can be a Windows x64 kernel driver, judged with wdmimage's rules before the
 * service manager is asked to load it. */
#ifndef MINWDMCTL_IMAGE_H
#define MINWDMCTL_IMAGE_H

#include <windows.h>

enum ctl_image_verdict {
    CTL_IMAGE_DRIVER,        /* a driver image (it may still break rules: see the reports) */
    CTL_IMAGE_NOT_A_DRIVER,  /* not a PE, not x64, not native, importing user-mode DLLs, or
                                over 64 MiB */
    CTL_IMAGE_UNREADABLE,    /* the file could not be read: *error says why */
};

/* fatal: the finding alone makes the file unloadable as a driver. */
typedef void (*ctl_image_report_fn)(void *context, BOOL fatal, const char *rule,
                                    const char *message);

enum ctl_image_verdict ctl_image_check(const WCHAR *path, ctl_image_report_fn report,
                                       void *context, DWORD *error);

#endif
