/* The driver's service, through the Service Control Manager. Each function prints what it found
 * and did, and returns a ctl_exit code. Running one twice is not an error. */
#ifndef MINWDMCTL_SERVICE_H
#define MINWDMCTL_SERVICE_H

#include <windows.h>

int ctl_install(const WCHAR *name, const WCHAR *image_path);
int ctl_start(const WCHAR *name);
int ctl_stop(const WCHAR *name);
int ctl_remove(const WCHAR *name);
int ctl_status(const WCHAR *name);

#endif
