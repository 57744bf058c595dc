/* The contract between the pnp example driver and its client: the device interface they meet
 * at, and the one request it serves. */
#ifndef MINWDM_EXAMPLE_PNP_H
#define MINWDM_EXAMPLE_PNP_H

/* {5B0E6C1C-6B0D-4D8E-9F4A-0E5C7A3D2B71}: the example's own interface class. */
#define PNP_EXAMPLE_INTERFACE_INIT                                                                 \
    {0x5b0e6c1c, 0x6b0d, 0x4d8e, {0x9f, 0x4a, 0x0e, 0x5c, 0x7a, 0x3d, 0x2b, 0x71}}

/* Returns the device's state as a 32-bit count of the times it was started. */
#define IOCTL_PNP_EXAMPLE_STARTS CTL_CODE(0x8000u, 0x900, METHOD_BUFFERED, FILE_READ_ACCESS)

#define PNP_EXAMPLE_HARDWARE_ID "Root\\MinwdmPnpExample"

#ifdef MINWDM_TESTING
/* The driver's devices between START and STOP or REMOVE: what its kernel tests (pnp_test.c) see. */
LONG pnp_started_devices(void);
#endif

#endif
