#include "ctl_hints.h"

#include <stddef.h>

/* Win32 error codes used here, by value: this file includes no Windows header. */
enum {
    ERR_INVALID_FUNCTION = 1,
    ERR_FILE_NOT_FOUND = 2,
    ERR_PATH_NOT_FOUND = 3,
    ERR_ACCESS_DENIED = 5,
    ERR_GEN_FAILURE = 31,
    ERR_INVALID_PARAMETER = 87,
    ERR_INSUFFICIENT_BUFFER = 122,
    ERR_ALREADY_EXISTS = 183,
    ERR_BAD_EXE_FORMAT = 193,
    ERR_INVALID_IMAGE_HASH = 577,
    ERR_INVALID_SERVICE_CONTROL = 1052,
    ERR_SERVICE_REQUEST_TIMEOUT = 1053,
    ERR_SERVICE_ALREADY_RUNNING = 1056,
    ERR_SERVICE_DISABLED = 1058,
    ERR_SERVICE_DOES_NOT_EXIST = 1060,
    ERR_SERVICE_CANNOT_ACCEPT_CTRL = 1061,
    ERR_SERVICE_NOT_ACTIVE = 1062,
    ERR_SERVICE_MARKED_FOR_DELETE = 1072,
    ERR_SERVICE_EXISTS = 1073,
    ERR_DRIVER_BLOCKED = 1275,
    ERR_NO_SYSTEM_RESOURCES = 1450,
};

enum { ANY = -1 };

static const struct {
    uint32_t error;
    int context; /* an enum ctl_context, or ANY */
    const char *hint;
} hints[] = {
    {ERR_FILE_NOT_FOUND, CTL_CONTEXT_DEVICE,
     "the device exists only while the driver runs: minwdmctl start"},
    {ERR_FILE_NOT_FOUND, CTL_CONTEXT_START,
     "the image the service points to is gone: minwdmctl install <driver.sys> again"},
    {ERR_FILE_NOT_FOUND, ANY, "the file does not exist: check the path"},
    {ERR_PATH_NOT_FOUND, CTL_CONTEXT_START,
     "the image the service points to is gone: minwdmctl install <driver.sys> again"},
    {ERR_PATH_NOT_FOUND, ANY, "a folder in the path does not exist: check the path"},
    {ERR_ACCESS_DENIED, ANY, "run minwdmctl from an elevated (Administrator) prompt"},
    {ERR_INVALID_PARAMETER, CTL_CONTEXT_DEVICE,
     "the driver refused the request's size or contents"},
    {ERR_INVALID_PARAMETER, CTL_CONTEXT_SERVICE,
     "a parameter was refused: check the command line (minwdmctl --help)"},
    {ERR_INVALID_FUNCTION, CTL_CONTEXT_DEVICE,
     "the driver does not know this request: are minwdmctl and the driver from the same "
     "build? (minwdmctl version)"},
    {ERR_INSUFFICIENT_BUFFER, CTL_CONTEXT_DEVICE,
     "the output buffer is too small for the answer (ioctl: raise --out-size)"},
    {ERR_BAD_EXE_FORMAT, ANY,
     "not a valid x64 driver image (wrong architecture, not a PE file, or a bad checksum): "
     "check it with `wdmimage check`"},
    {ERR_INVALID_IMAGE_HASH, ANY,
     "Windows refused the signature: enable test signing (bcdedit /set testsigning on, Secure "
     "Boot off, reboot) and load the signed image as the build made it: any change after "
     "signing breaks the signature (docs/windows.md)"},
    {ERR_DRIVER_BLOCKED, ANY,
     "blocked by policy: the vulnerable driver blocklist, HVCI (memory integrity) or Smart "
     "App Control refused this image"},
    {ERR_ALREADY_EXISTS, CTL_CONTEXT_START,
     "DriverEntry found its device name taken: is the driver already loaded under another "
     "service name?"},
    {ERR_GEN_FAILURE, CTL_CONTEXT_START,
     "DriverEntry failed: its log says why (a minwdm driver's follows; else DebugView)"},
    {ERR_NO_SYSTEM_RESOURCES, CTL_CONTEXT_START,
     "DriverEntry ran out of memory (STATUS_INSUFFICIENT_RESOURCES)"},
    {ERR_SERVICE_REQUEST_TIMEOUT, CTL_CONTEXT_START,
     "DriverEntry did not return in time: read its log (DebugView, or minwdmctl log)"},
    {ERR_SERVICE_REQUEST_TIMEOUT, ANY,
     "the driver did not unload in time; a driver without an unload routine never does and "
     "goes at the next reboot"},
    {ERR_INVALID_SERVICE_CONTROL, ANY,
     "the driver has no unload routine and cannot stop: it goes at the next reboot"},
    {ERR_SERVICE_CANNOT_ACCEPT_CTRL, ANY,
     "the service is starting or stopping and takes no request now; a driver without an "
     "unload routine stays in STOP_PENDING until reboot"},
    {ERR_SERVICE_ALREADY_RUNNING, ANY, "the driver already runs: minwdmctl stop, then start"},
    {ERR_SERVICE_DISABLED, ANY,
     "the service is disabled: minwdmctl install <driver.sys> --start demand"},
    {ERR_SERVICE_DOES_NOT_EXIST, ANY,
     "the driver is not installed: minwdmctl install <driver.sys>"},
    {ERR_SERVICE_NOT_ACTIVE, ANY, "the driver is not running: minwdmctl start"},
    {ERR_SERVICE_MARKED_FOR_DELETE, ANY,
     "the service is marked for deletion: close what holds it open (services.msc, a handle "
     "to the device), then try again; a reboot always clears it"},
    {ERR_SERVICE_EXISTS, ANY,
     "already installed: minwdmctl install updates it, minwdmctl remove deletes it"},
    {0, CTL_CONTEXT_START,
     "Windows could not load the image, or DriverEntry failed and this is its NTSTATUS "
     "translated: the driver's log says more (a minwdm driver's follows; else DebugView)"},
};

const char *ctl_hint(uint32_t error, enum ctl_context context)
{
    const char *fallback = NULL;

    for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
        if (hints[i].error == error && (hints[i].context == ANY || hints[i].context == (int)context))
            return hints[i].hint;
        if (hints[i].error == 0 && hints[i].context == (int)context)
            fallback = hints[i].hint;
    }
    return fallback;
}

int ctl_exit_code(uint32_t error, enum ctl_context context)
{
    switch (error) {
    case ERR_FILE_NOT_FOUND:
    case ERR_PATH_NOT_FOUND:
    case ERR_SERVICE_DOES_NOT_EXIST:
        return CTL_EXIT_NOT_FOUND;
    case ERR_ACCESS_DENIED:
        return CTL_EXIT_ACCESS_DENIED;
    case ERR_INVALID_SERVICE_CONTROL:
    case ERR_SERVICE_REQUEST_TIMEOUT:
    case ERR_SERVICE_CANNOT_ACCEPT_CTRL:
        return CTL_EXIT_DRIVER; /* the driver cannot (or did not) stop */
    default:
        return context == CTL_CONTEXT_SERVICE ? CTL_EXIT_FAILED : CTL_EXIT_DRIVER;
    }
}
