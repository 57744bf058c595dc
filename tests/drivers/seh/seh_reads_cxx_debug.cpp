/* seh_reads.inc as C++, not optimised (-O0, as a Debug build). */
#include <ntddk.h>

#include "seh_wdk.h"

#define SEH_SUFFIX cxx_debug
#include "seh_reads.inc"
