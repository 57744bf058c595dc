/* The planted driver's requests, shared with its client (tests/wine/planted_client.c). */
#ifndef PLANTED_H
#define PLANTED_H

#define PLANTED_DEVICE_TYPE 0x8159u
#define PLANTED_TAG MEM_TAG('P', 'l', 'n', 't')
#define PLANTED_CODE(function) ((PLANTED_DEVICE_TYPE << 16) | ((function) << 2)) /* buffered */
#define IOCTL_PLANTED_OK PLANTED_CODE(0x800)
#define IOCTL_PLANTED_LEAK PLANTED_CODE(0x801)
#define IOCTL_PLANTED_HANG PLANTED_CODE(0x802)
#define IOCTL_PLANTED_CRASH PLANTED_CODE(0x803)
#define IOCTL_PLANTED_CRASH_AT_UNLOAD PLANTED_CODE(0x804) /* arms a NULL read in DriverUnload */

#endif
