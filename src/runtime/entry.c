/*
 * The entry point of every RUNTIME driver (the linker's --entry): starts the runtime, calls the
 * driver's DriverEntry, and wraps its DriverUnload, so that a driver has no runtime start or
 * stop code of its own. KMDF's FxDriverEntry does the same for KMDF drivers.
 */
#include "compat/compat_decide.h"
#include "cxx/cxx.h"
#include "exception_guard.h"
#include <minwdm/stack_cookie.h>
#include "registry.h"
#include "runtime_internal.h"
#include "special_pool.h"

DRIVER_INITIALIZE minwdm_runtime_entry;
static DRIVER_UNLOAD runtime_unload;

/* The runtime's own lines say "runtime" where a driver's say their function. */
#define RUNTIME_LOG(level, ...)                                                  \
    do {                                                                         \
        if (log_enabled(&driver_log, level))                                     \
            log_message(&driver_log, level, "runtime", __VA_ARGS__);             \
    } while (0)

/* Generated for each RUNTIME driver by add_wdm_driver: NULL, or a test build's kernel tests. */
extern const struct minwdm_test_suite *const minwdm_driver_tests;
/* Generated too: a verified build's verifier start (src/verifier/core.c), NULL otherwise. */
extern void (*const minwdm_verifier_start)(PUNICODE_STRING registry_path);

static PDRIVER_UNLOAD driver_unload; /* the driver's own */
static struct runtime_control control;
static struct test_runner test_runner;
static char driver_name[MINWDM_DRIVER_NAME_SIZE]; /* the service name, as log lines show it */
static WCHAR service_key_name[sizeof("\\Registry\\Machine\\System\\CurrentControlSet\\Services\\") +
                               256]; /* the service manager's longest name */
static UNICODE_STRING service_key;

/* The service name is the key's last component: \REGISTRY\MACHINE\...\Services\<name>. */
MINWDM_INIT_CODE static void service_name_of(PCUNICODE_STRING path, UNICODE_STRING *name)
{
    USHORT count = path->Length / sizeof(WCHAR), start = count;

    while (start > 0 && path->Buffer[start - 1] != L'\\')
        start--;
    name->Buffer = path->Buffer + start;
    name->Length = name->MaximumLength = (USHORT)((count - start) * sizeof(WCHAR));
}

/* Log lines name the driver in ASCII: anything else becomes '_'. */
MINWDM_INIT_CODE static void ascii_name_of(PCUNICODE_STRING service)
{
    USHORT count = service->Length / sizeof(WCHAR), i;

    for (i = 0; i < count && i < sizeof(driver_name) - 1; i++) {
        WCHAR c = service->Buffer[i];
        driver_name[i] = '_';
        if (c > 0x20 && c < 0x7F)
            driver_name[i] = (char)c;
    }
    driver_name[i] = '\0';
}


/* After the driver's own clean-up: what is still out is a leak, reported and freed. */
MINWDM_PAGED_CODE static void runtime_stop(const char *what)
{
    struct mem_stats now;

    /* What the driver left (the verifier's findings, in the saved log): first, while the special
     * pool the verifier's blocks may live in is still there. */
    if (runtime_verifier)
        runtime_verifier->unload_check();
    mem_stats(&driver_memory, &now, NULL, NULL);
    ULONG64 bytes = now.outstanding_bytes;
    ULONG64 leaks = pool_shutdown();
    struct minwdm_unload_report report;

    control_unload_report(&control, leaks, bytes, &report);
    if (service_key.Length)
        registry_write(&service_key, MINWDM_UNLOAD_REPORT_VALUE, REG_BINARY, &report,
                       sizeof(report));
    if (leaks)
        RUNTIME_LOG(MINWDM_LOG_ERROR, "%llu blocks (%llu bytes) leaked: freed by the runtime",
                  (unsigned long long)leaks, (unsigned long long)bytes);
    RUNTIME_LOG(MINWDM_LOG_INFO, "%s, %llu leaked blocks", what, (unsigned long long)leaks);
    kernel_log_save(&service_key);
}

void runtime_save_log(void)
{
    kernel_log_save(&service_key);
}

MINWDM_PAGED_CODE static void runtime_unload(PDRIVER_OBJECT driver)
{
    /* No request in the driver's code from now on (Wine unloads while requests run). */
    control_device_unroute();
    /* So that the driver's unload finds only its own devices in driver->DeviceObject. */
    control_device_delete();
    if (service_key.Length) { /* cleared by runtime_stop's report once the unload returned */
        struct minwdm_unload_report started;
        control_unload_report(&control, 0, 0, &started);
        started.flags = MINWDM_UNLOAD_STARTED;
        registry_write(&service_key, MINWDM_UNLOAD_REPORT_VALUE, REG_BINARY, &started,
                       sizeof(started));
    }
    if (exception_guard_enabled)
        EXCEPTION_GUARD(EXCEPTION_GUARD_DRIVER_UNLOAD, driver_unload, driver, 0, 0, 0);
    else
        driver_unload(driver);
    minwdm_cxx_destroy(); /* C++ global objects, before the leak check */
    runtime_stop("unloaded");
}

static uint32_t current_irql(void)
{
    return runtime_irql();
}

/* A test build serves its kernel tests through the control device. */
MINWDM_INIT_CODE static void tests_start(void)
{
    if (!minwdm_driver_tests) {
        kernel_log_hide_addresses(); /* a release build: no raw kernel address in its log */
        return;
    }
    test_runner.ops = minwdm_driver_tests->runner;
    test_runner.suite = minwdm_driver_tests;
    test_runner.memory = &driver_memory;
    test_runner.log = &driver_log;
    test_runner.platform.irql = current_irql;
    test_runner.platform.now = driver_log.platform.now; /* the log's clock: 100 ns units */
    control.tests = &test_runner;
    exception_guard_enable(); /* an exception leaving the driver fails the test */
    test_runner.ops->start(&test_runner);
}

MINWDM_INIT_CODE static NTSTATUS runtime_start(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
    /* Test and verified builds put every block in the special pool (under Wine); SpecialPool
     * overrides. */
    struct pool_settings settings = {0, 0, minwdm_driver_tests || runtime_verifier
                                               ? SPECIAL_POOL_OVERRUNS : 0};
    UNICODE_STRING service;

    service_name_of(path, &service);
    ascii_name_of(&service);
    service_key.Buffer = service_key_name;
    service_key.MaximumLength = sizeof(service_key_name);
    if (path->Length <= service_key.MaximumLength) /* else nothing is saved there */
        RtlCopyUnicodeString(&service_key, path);
    kernel_log_start(driver_name, path);
    registry_read_dword(path, L"AllocFailAt", &settings.fail_at);
    registry_read_dword(path, L"StrictIrqlChecks", &settings.strict_irql);
    registry_read_dword(path, L"SpecialPool", &settings.special_pool);
    pool_init(&settings);
    if (settings.strict_irql)
        RUNTIME_LOG(MINWDM_LOG_INFO, "StrictIrqlChecks: nonpaged calls checked up to DISPATCH_LEVEL too");
    control.memory = &driver_memory;
    control.log = &driver_log;
    control.pool = pool_kind();
    tests_start();
    return control_device_create(driver, &service, &control);
}

/* Unprotected: it sets the stack cookie's guard before anything else runs. */
MINWDM_INIT_CODE MINWDM_NO_STACK_PROTECTOR NTSTATUS minwdm_runtime_entry(PDRIVER_OBJECT driver,
                                                                       PUNICODE_STRING path)
{
    NTSTATUS status;

    minwdm_stack_cookie_init(); /* before any protected function runs */
    if (minwdm_verifier_start)
        minwdm_verifier_start(path); /* first: it stands between the driver and the kernel */
    compat_decide_linked(); /* the compat routines' source, at PASSIVE_LEVEL */
    status = runtime_start(driver, path);

    if (NT_SUCCESS(status)) {
        minwdm_cxx_construct(); /* C++ global objects: they may log and allocate */
        status = exception_guard_enabled
                     ? (NTSTATUS)EXCEPTION_GUARD(EXCEPTION_GUARD_DRIVER_ENTRY, DriverEntry, driver,
                                                 path, 0, 0)
                     : DriverEntry(driver, path);
        if (!NT_SUCCESS(status)) {
            minwdm_cxx_destroy();
            control_device_delete();
        }
    } else {
        RUNTIME_LOG(MINWDM_LOG_ERROR, "no control device: 0x%08X", (unsigned)status);
    }
    if (!NT_SUCCESS(status)) {
        char hex[11];
        /* For minwdmctl: the service manager passes on only a Win32 translation. */
        if (service_key.Length)
            registry_write(&service_key, MINWDM_LOAD_STATUS_VALUE, REG_DWORD, &status,
                           sizeof(status));
        RUNTIME_LOG(MINWDM_LOG_ERROR, "DriverEntry failed: %s", minwdm_ntstatus_text(status, hex));
        runtime_stop("not loaded");
        return status;
    }
    control_device_route(driver);
    /* A driver without an unload routine cannot be stopped: the runtime keeps it so. */
    driver_unload = driver->DriverUnload;
    if (driver_unload)
        driver->DriverUnload = runtime_unload;
    return STATUS_SUCCESS;
}
