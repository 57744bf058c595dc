/* The WDK's <dontuse.h> marks unsafe C library functions (strcpy, sprintf...) deprecated for its
 * static analysis. minwdm's drivers have no C library to call them from: nothing to mark. */
#ifndef MINWDM_DONTUSE_H
#define MINWDM_DONTUSE_H
#endif
