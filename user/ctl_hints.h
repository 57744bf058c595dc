/* What minwdmctl advises for a Win32 error, and which exit code it maps to. Portable C (no
 * Windows header), so that the host tests cover the failures Wine cannot produce. */
#ifndef MINWDMCTL_HINTS_H
#define MINWDMCTL_HINTS_H

#include <stdint.h>

/* Exit codes, documented in `minwdmctl --help` and docs/minwdmctl.md. */
enum ctl_exit {
    CTL_EXIT_OK = 0,
    CTL_EXIT_FAILED = 1,        /* anything not listed below */
    CTL_EXIT_USAGE = 2,         /* bad command line */
    CTL_EXIT_NOT_FOUND = 3,     /* file, service or device does not exist */
    CTL_EXIT_ACCESS_DENIED = 4, /* not elevated */
    CTL_EXIT_DRIVER = 5,        /* not a valid driver image, failed to start, or failed a request */
    CTL_EXIT_HUNG = 6,          /* test: a request never ended; the driver was left loaded */
};

/* Where an error came from changes what it means: 87 from StartService is DriverEntry's status
 * translated, 87 from the command line is a bad parameter. */
enum ctl_context {
    CTL_CONTEXT_SERVICE, /* the service manager: install, stop, remove, status */
    CTL_CONTEXT_START,   /* StartService: loading the image and running DriverEntry */
    CTL_CONTEXT_DEVICE,  /* opening the device or a request to it */
};

/* A one-line suggestion, or NULL when there is nothing useful to add. */
const char *ctl_hint(uint32_t error, enum ctl_context context);

/* The exit code for a failure with this Win32 error. */
int ctl_exit_code(uint32_t error, enum ctl_context context);

#endif
