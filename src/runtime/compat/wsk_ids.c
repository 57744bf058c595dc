/*
 * The Winsock Kernel interface identifier <wsk.h> declares: on Windows a WDK library defines
 * it (netio.sys does not export it). In the kit's static compat library, so a driver that
 * defines it itself links its own.
 */
#include <wsk.h>

const NPIID NPI_WSK_INTERFACE_ID = {
    0x2227e803, 0x8d8b, 0x11d4, {0xab, 0xad, 0x00, 0x90, 0x27, 0x71, 0x9e, 0x09}};
