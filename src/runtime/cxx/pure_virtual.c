/* A pure virtual function called (from a constructor or destructor of its abstract class): a bug
 * no C++ runtime recovers from, and Windows' own C++ support stops the system too. A file of its
 * own, so that only a driver whose classes have pure virtual functions imports KeBugCheckEx. */
#include "cxx.h"

#ifndef DRIVER_VERIFIER_DETECTED_VIOLATION
#define DRIVER_VERIFIER_DETECTED_VIOLATION 0xC4 /* bugcodes.h of the WDK */
#endif

/* The C++ ABI's __cxa_pure_virtual, under a name that is not reserved. */
void cxa_pure_virtual(void) __asm__("__cxa_pure_virtual");

void cxa_pure_virtual(void)
{
    DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "minwdm: pure virtual function called\n");
    KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x4D57 /* "MW" */, 0, 0, 0);
}
