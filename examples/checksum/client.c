/* checksum_client: the driver's answers through the real device, against the same CRC computed
 * here (README.md, step 4). Exits 0 when every check passed. */
#include <stdio.h>
#include <windows.h>

#include "checksum.h"

static int failures;

static void check(int ok, const char *what, unsigned size)
{
    printf("%s: %s (%u bytes)\n", ok ? "ok" : "FAIL", what, size);
    failures += !ok;
}

int main(void)
{
    static unsigned char data[CHECKSUM_MAX_INPUT + 1];
    static const unsigned sizes[] = {0, 1, 9, 4096, CHECKSUM_MAX_INPUT};
    HANDLE device = CreateFileA(CHECKSUM_DEVICE_PATH, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    DWORD returned;
    uint32_t crc;

    if (device == INVALID_HANDLE_VALUE) {
        printf("FAIL: cannot open %s: error %lu\n", CHECKSUM_DEVICE_PATH, GetLastError());
        return 1;
    }
    /* Bytes that look random and are the same at every run (xorshift32). */
    for (uint32_t i = 0, x = 2463534242u; i < sizeof(data); i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        crc = 0;
        BOOL ok = DeviceIoControl(device, IOCTL_CHECKSUM_CRC32, data, sizes[i], &crc, sizeof(crc),
                                  &returned, NULL);
        check(ok && returned == sizeof(crc) && crc == checksum_crc32(data, sizes[i]),
              "the driver's CRC-32 is the client's", sizes[i]);
    }
    check(!DeviceIoControl(device, IOCTL_CHECKSUM_CRC32, data, sizeof(data), &crc, sizeof(crc),
                           &returned, NULL) && GetLastError() == ERROR_INVALID_PARAMETER,
          "too much input is refused with error 87", (unsigned)sizeof(data));
    CloseHandle(device);
    return failures ? 1 : 0;
}
