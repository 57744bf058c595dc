/* WDK code writes <DriverSpecs.h>; mingw-w64 ships it as <driverspecs.h>, and Linux file names
 * are case-sensitive. */
#include <driverspecs.h>
