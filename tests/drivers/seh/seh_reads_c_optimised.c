/* seh_reads.inc as C, optimised as the build is (-O2 in Release). */
#include <ntddk.h>

#include "seh_wdk.h"

#define SEH_SUFFIX c_optimised
#include "seh_reads.inc"
