/*
 * minwdmctl as a C library: the outcome of every service call, checked field by field against
 * the real driver under Wine, including DriverEntry's recorded NTSTATUS.
 *   library_client.exe <minwdm.sys as Windows sees it>
 */
#include <string.h>
#include <wchar.h>

#include "check.h"
#include "ctl_device.h"
#include "ctl_error.h"
#include "ctl_service.h"

#define NAME L"minwdm_library"
#define SECOND L"minwdm_library2"
#define TIMEOUT_MS 15000

static struct ctl_result r;

/* Win32 codes as plain constants: winerror.h pastes an 'l' suffix that clang-tidy's CERT check
 * reports, without a location, when such a macro is expanded inside CHECK(). */
static const DWORD not_installed = ERROR_SERVICE_DOES_NOT_EXIST;
static const DWORD path_not_found = ERROR_PATH_NOT_FOUND;
static const DWORD file_not_found = ERROR_FILE_NOT_FOUND;
static const DWORD already_exists = ERROR_ALREADY_EXISTS;
static const DWORD success = ERROR_SUCCESS;
static const DWORD invalid_parameter = ERROR_INVALID_PARAMETER;

static void test_install(const WCHAR *path)
{
    struct ctl_service_info info;

    CHECK(ctl_service_remove(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_NOT_INSTALLED);
    CHECK(!ctl_service_query(NAME, &info, &r) && r.error == not_installed);
    CHECK(ctl_service_install(NAME, path, SERVICE_DEMAND_START, &r) && r.outcome == CTL_INSTALLED);
    CHECK(ctl_service_install(NAME, path, SERVICE_DEMAND_START, &r) &&
          r.outcome == CTL_ALREADY_INSTALLED);
    CHECK(ctl_service_install(NAME, path, SERVICE_AUTO_START, &r) && r.outcome == CTL_UPDATED &&
          r.previous_start_type == SERVICE_DEMAND_START && _wcsicmp(r.previous_path, path) == 0);
    CHECK(ctl_service_install(NAME, path, SERVICE_DEMAND_START, &r) && r.outcome == CTL_UPDATED &&
          r.previous_start_type == SERVICE_AUTO_START);
    CHECK(ctl_service_query(NAME, &info, &r) && info.state == SERVICE_STOPPED &&
          info.start_type == SERVICE_DEMAND_START && _wcsicmp(info.image_path, path) == 0);
    CHECK(info.group[0] == L'\0');
    /* A load-order group: set, kept by an install without one, changed, refused when empty. */
    CHECK(ctl_service_install_in_group(NAME, path, SERVICE_DEMAND_START, L"minwdm_a", &r) &&
          r.outcome == CTL_UPDATED && r.previous_group[0] == L'\0');
    CHECK(ctl_service_install(NAME, path, SERVICE_DEMAND_START, &r) &&
          r.outcome == CTL_ALREADY_INSTALLED && wcscmp(r.previous_group, L"minwdm_a") == 0);
    CHECK(ctl_service_install_in_group(NAME, path, SERVICE_DEMAND_START, L"minwdm_b", &r) &&
          r.outcome == CTL_UPDATED && wcscmp(r.previous_group, L"minwdm_a") == 0);
    CHECK(ctl_service_query(NAME, &info, &r) && wcscmp(info.group, L"minwdm_b") == 0);
    CHECK(!ctl_service_install_in_group(NAME, path, SERVICE_DEMAND_START, L"", &r) &&
          r.error == invalid_parameter);
    CHECK(!ctl_service_install(NAME, L"Z:\\nonexistent\\x.sys", SERVICE_DEMAND_START, &r) &&
          r.outcome == CTL_FAILED && r.error == path_not_found);
}

static void test_running(const WCHAR *path)
{
    struct ctl_service_info info;
    struct minwdm_version version;
    DWORD error;

    CHECK(ctl_service_start(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_STARTED);
    CHECK(ctl_service_start(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_ALREADY_RUNNING);
    CHECK(ctl_service_query(NAME, &info, &r) && info.state == SERVICE_RUNNING &&
          (info.controls_accepted & SERVICE_ACCEPT_STOP));

    HANDLE device = ctl_device_open(MINWDM_DEVICE_PATH_W, &error);
    CHECK(device != INVALID_HANDLE_VALUE && error == success);
    CHECK(ctl_device_version(device, &version) == 0 && version.abi_version == MINWDM_ABI_VERSION);
    CloseHandle(device);

    /* A second instance: its DriverEntry finds \Device\minwdm taken and records why. */
    CHECK(ctl_service_install(SECOND, path, SERVICE_DEMAND_START, &r));
    CHECK(!ctl_service_start(SECOND, TIMEOUT_MS, &r) && r.outcome == CTL_FAILED &&
          r.error == already_exists);
    CHECK(r.has_driver_status && r.driver_status == (LONG)0xC0000035); /* NAME_COLLISION */
    CHECK(ctl_service_remove(SECOND, TIMEOUT_MS, &r) && r.outcome == CTL_REMOVED &&
          !r.stopped_first);
}

static void test_teardown(void)
{
    struct ctl_service_info info;
    DWORD error;

    CHECK(ctl_service_stop(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_STOPPED);
    CHECK(ctl_service_stop(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_NOT_RUNNING);
    CHECK(ctl_device_open(MINWDM_DEVICE_PATH_W, &error) == INVALID_HANDLE_VALUE &&
          error == file_not_found);
    CHECK(ctl_service_start(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_STARTED);
    CHECK(ctl_service_remove(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_REMOVED && r.stopped_first);
    CHECK(ctl_service_remove(NAME, TIMEOUT_MS, &r) && r.outcome == CTL_NOT_INSTALLED);
    CHECK(!ctl_service_start(NAME, TIMEOUT_MS, &r) && r.error == not_installed);
    CHECK(!ctl_service_query(NAME, &info, &r) && r.error == not_installed);
}

/* A text that does not fit is reported, never turned into an empty string: the whole
 * characters that fit are kept, none is split. */
static void test_utf8(void)
{
    char out[8];

    CHECK(ctl_utf8(L"abc", out, 4) && strcmp(out, "abc") == 0);
    CHECK(!ctl_utf8(L"abcd", out, 4) && strcmp(out, "abc") == 0);
    CHECK(!ctl_utf8(L"a\u00e9", out, 3) && strcmp(out, "a") == 0);    /* e-acute: 2 bytes */
    CHECK(ctl_utf8(L"a\u00e9", out, 4) && strcmp(out, "a\xc3\xa9") == 0);
    CHECK(!ctl_utf8(L"x\U0001F600", out, 5) && strcmp(out, "x") == 0); /* a pair: 4 bytes */
    CHECK(ctl_utf8(L"x\U0001F600", out, 6) && strcmp(out, "x\xf0\x9f\x98\x80") == 0);
    CHECK(ctl_utf8(L"", out, 1) && out[0] == '\0');
    CHECK(!ctl_utf8(L"a", out, 0));
}

int wmain(int argc, WCHAR **argv)
{
    WCHAR path[CTL_PATH_MAX];

    if (argc != 2 || ctl_absolute_path(argv[1], path) != ERROR_SUCCESS) {
        fprintf(stderr, "usage: library_client <minwdm.sys>\n");
        return 2;
    }
    test_utf8();
    test_install(path);
    test_running(path);
    test_teardown();
    return check_done("library_client");
}
