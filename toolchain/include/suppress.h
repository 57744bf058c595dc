/* The WDK's <suppress.h> holds macros for its static analysis (code analysis warning
 * suppressions); minifilter samples include it. Nothing to do here. */
#ifndef MINWDM_SUPPRESS_H
#define MINWDM_SUPPRESS_H
#endif
