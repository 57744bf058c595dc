/*
 * The pnp example's client: finds the device by its interface GUID (SetupDiGetClassDevs with
 * DIGCF_DEVICEINTERFACE), opens it and asks how often it was started. Prints the device path
 * and the count. Exit status: 0 found and answered, 1 no such device, 2 it did not answer.
 */
#include <windows.h>

#include <initguid.h>
#include <setupapi.h>
#include <stdio.h>
#include <winioctl.h>

#include "pnp.h"

static const GUID interface_guid = PNP_EXAMPLE_INTERFACE_INIT;

int main(void)
{
    SP_DEVICE_INTERFACE_DATA data = {.cbSize = sizeof(data)};
    union {
        SP_DEVICE_INTERFACE_DETAIL_DATA_A detail;
        char bytes[1024];
    } path;
    HDEVINFO set;
    ULONG starts = 0;
    DWORD returned;

    set = SetupDiGetClassDevsA(&interface_guid, NULL, NULL, DIGCF_DEVICEINTERFACE | DIGCF_PRESENT);
    if (set == INVALID_HANDLE_VALUE || !SetupDiEnumDeviceInterfaces(set, NULL, &interface_guid, 0, &data)) {
        fprintf(stderr, "pnp client: no device with the example's interface (error %lu): is "
                        "it installed (minwdmctl install-device pnp.inf %s)?\n",
                GetLastError(), PNP_EXAMPLE_HARDWARE_ID);
        return 1;
    }
    path.detail.cbSize = sizeof(path.detail);
    if (!SetupDiGetDeviceInterfaceDetailA(set, &data, &path.detail, sizeof(path), NULL, NULL)) {
        fprintf(stderr, "pnp client: no path for the interface (error %lu)\n", GetLastError());
        return 1;
    }
    SetupDiDestroyDeviceInfoList(set);
    printf("device: %s\n", path.detail.DevicePath);
    HANDLE device = CreateFileA(path.detail.DevicePath, GENERIC_READ, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (device == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "pnp client: cannot open it (error %lu)\n", GetLastError());
        return 2;
    }
    BOOL ok = DeviceIoControl(device, IOCTL_PNP_EXAMPLE_STARTS, NULL, 0, &starts, sizeof(starts),
                              &returned, NULL);
    CloseHandle(device);
    if (!ok || returned != sizeof(starts)) {
        fprintf(stderr, "pnp client: the request failed (error %lu)\n", GetLastError());
        return 2;
    }
    printf("started %lu time%s\n", starts, starts == 1 ? "" : "s");
    return 0;
}
