/*
 * The verifier's core: findings, the rules turned off for one test, the virtual IRQL of each
 * thread, and the start and unload hooks the runtime's entry point calls. docs/verifier.md.
 */
#include <stdarg.h>

#include <minwdm/format.h>

#include "verifier.h"

#include "exception_guard.h"
#include "image.h"


/* Generated for each verified image (add_wdm_test, add_wdm_driver(... VERIFY)): the rules its
 * build turned off, separated by spaces. */
extern const char minwdm_verifier_rules_off[];

static const struct {
    const char *name;
    const char *windows; /* what Windows with Driver Verifier does */
} rules[RULE_COUNT] = {
    [RULE_IRQL] = {"irql", "bug check 0xC4 or IRQL_NOT_LESS_OR_EQUAL (0xA)"},
    [RULE_PAGED_CODE] = {"paged-code", "bug check 0xC4, or IRQL_NOT_LESS_OR_EQUAL (0xA) when the page is out"},
    [RULE_IRQL_NOT_RESTORED] = {"irql-not-restored", "bug check 0xC4 with Force IRQL checking, or IRQL_NOT_LESS_OR_EQUAL (0xA) later"},
    [RULE_POOL_LEAK] = {"pool-leak", "bug check 0xC4 0x62 at unload"},
    [RULE_POOL_DOUBLE_FREE] = {"pool-double-free", "bug check 0xC2 BAD_POOL_CALLER 0x7, or pool corruption"},
    [RULE_POOL_TAG] = {"pool-tag", "bug check 0xC2 BAD_POOL_CALLER 0xA"},
    [RULE_POOL_EXECUTABLE] = {"pool-executable", "refused by HVCI and Driver Verifier's code integrity checks"},
    [RULE_POOL_OVERRUN] = {"pool-overrun", "bug check 0xD6 or 0xC1 with special pool"},
    [RULE_POOL_USE_AFTER_FREE] = {"pool-use-after-free", "bug check 0xD5 with special pool"},
    [RULE_LOCK_HELD_ON_RETURN] = {"lock-held-on-return", "a deadlock, or bug check 0xC4"},
    [RULE_LOCK_RECURSIVE] = {"lock-recursive", "a hang (the CPU spins for ever); bug check 0xC4 0x1000 with deadlock detection"},
    [RULE_LOCK_NOT_OWNER] = {"lock-not-owner", "bug check 0xC4 with deadlock detection, or a corrupted lock"},
    [RULE_LOCK_ORDER] = {"lock-order", "a possible deadlock: bug check 0xC4 0x1001 with deadlock detection"},
    [RULE_IRP_PENDING_UNMARKED] = {"irp-pending-unmarked", "bug check 0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION, or a request that never completes"},
    [RULE_IRP_COMPLETED_TWICE] = {"irp-completed-twice", "bug check 0x44 MULTIPLE_IRP_COMPLETE_REQUESTS"},
    [RULE_IRP_STATUS_MISMATCH] = {"irp-status-mismatch", "bug check 0xC9 with I/O verification; callers see the wrong status"},
    [RULE_IRP_INFORMATION] = {"irp-information", "the I/O manager copies Information bytes: kernel memory disclosed to user mode"},
    [RULE_IRP_LOST] = {"irp-lost", "the request never completes: a hung process that cannot exit"},
    [RULE_IRP_COMPLETED_PENDING] = {"irp-completed-pending", "bug check 0xC9 with I/O verification"},
    [RULE_UNLOAD_CALLBACK] = {"unload-callback", "bug check 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS"},
    [RULE_UNLOAD_TIMER] = {"unload-timer", "bug check 0xC7 TIMER_OR_DPC_INVALID"},
    [RULE_UNLOAD_WORKITEM] = {"unload-workitem", "bug check 0xCE, or 0xC4 for a work item left allocated"},
    [RULE_UNLOAD_THREAD] = {"unload-thread", "bug check 0xCE: the thread runs unloaded code"},
    [RULE_UNLOAD_DEVICE] = {"unload-device", "the driver object cannot go: the driver stays loaded"},
    [RULE_UNLOAD_SYMLINK] = {"unload-symlink", "a dangling symbolic link; the next load fails with a name collision"},
    [RULE_UNLOAD_MDL] = {"unload-mdl", "a leak of non-paged pool (Driver Verifier: 0xC4 0x62)"},
    [RULE_UNLOAD_REFERENCE] = {"unload-reference", "the object never goes away (a leak)"},
    [RULE_UNLOAD_HANDLE] = {"unload-handle", "a kernel handle leak (Driver Verifier: 0xC4 with handle checks)"},
    [RULE_UNLOAD_IRP] = {"unload-irp", "the request never completes; unload waits or bug check 0xCE"},
};

static ULONG rules_off;   /* bit per rule */
static char image_name[64] = "driver.sys";
static volatile LONG64 findings;
static KSPIN_LOCK own_lock;
static BOOLEAN on_wine;

BOOLEAN vfy_on_wine(void)
{
    return on_wine;
}

static KIRQL (*real_raise)(PKSPIN_LOCK);
static VOID (*real_release)(PKSPIN_LOCK, KIRQL);
static HANDLE (*real_thread_id)(void);

int vfy_rule_on(enum vfy_rule rule)
{
    return !(rules_off & (1u << rule));
}

int vfy_in_image(const void *address)
{
    uintptr_t base = (uintptr_t)minwdm_image_base, at = (uintptr_t)address;

    return address && at >= base && at - base < minwdm_image_size();
}

uint32_t vfy_image_offset(const void *address)
{
    return vfy_in_image(address) ? (uint32_t)((uintptr_t)address - (uintptr_t)minwdm_image_base) : 0;
}

const char *vfy_site_name(const void *site, char *buffer, size_t size)
{
    uintptr_t base = (uintptr_t)minwdm_image_base, at = (uintptr_t)site;

    if (!vfy_in_image(site))
        format_string(buffer, size, "%p (outside %s)", site, image_name);
    else
        format_string(buffer, size, "%s+0x%llx", image_name, (unsigned long long)(at - base));
    return buffer;
}

void vfy_report(enum vfy_rule rule, const void *site, const char *format, ...)
{
    char what[320], where[96];
    va_list arguments;

    if (!vfy_rule_on(rule))
        return;
    va_start(arguments, format);
    format_vstring(what, sizeof(what), format, arguments);
    va_end(arguments);
    InterlockedIncrement64(&findings);
    /* A return address is the instruction after the call: one byte back is inside the call. */
    log_message(&driver_log, MINWDM_LOG_ERROR, "verifier", "%s: %s (Windows: %s) at %s",
                rules[rule].name, what, rules[rule].windows,
                vfy_site_name(site ? (const char *)site - 1 : NULL, where, sizeof(where)));
}

/* Sites given as a routine's address (judged when it returns) are not return addresses. */
void vfy_report_routine(enum vfy_rule rule, const void *routine, const char *what)
{
    vfy_report(rule, routine ? (const char *)routine + 1 : NULL, "%s", what);
}

/* --- the verifier's own lock --- */

KIRQL vfy_lock(void)
{
    return real_raise(&own_lock);
}

void vfy_unlock(KIRQL old)
{
    real_release(&own_lock, old);
}

/* --- the virtual IRQL: a slot per thread above PASSIVE_LEVEL; a thread writes only its own --- */

#define THREAD_SLOTS 64

static struct {
    volatile LONG64 thread;
    KIRQL irql;
} threads[THREAD_SLOTS];
static volatile LONG raised_threads;

static LONG64 current_thread(void)
{
    return (LONG64)(ULONG_PTR)real_thread_id();
}

KIRQL vfy_irql(void)
{
    if (!raised_threads)
        return PASSIVE_LEVEL;
    LONG64 self = current_thread();
    for (unsigned i = 0; i < THREAD_SLOTS; i++)
        if (threads[i].thread == self)
            return threads[i].irql;
    return PASSIVE_LEVEL;
}

void vfy_set_irql(KIRQL irql)
{
    LONG64 self = current_thread();
    unsigned i;

    for (i = 0; i < THREAD_SLOTS; i++)
        if (threads[i].thread == self)
            break;
    if (i == THREAD_SLOTS) {
        if (irql == PASSIVE_LEVEL)
            return;
        for (i = 0; i < THREAD_SLOTS; i++)
            if (!threads[i].thread && !InterlockedCompareExchange64(&threads[i].thread, self, 0))
                break;
        if (i == THREAD_SLOTS)
            return; /* more than THREAD_SLOTS threads raised at once: this one reads PASSIVE */
        InterlockedIncrement(&raised_threads);
    }
    threads[i].irql = irql;
    if (irql == PASSIVE_LEVEL) {
        InterlockedExchange64(&threads[i].thread, 0);
        InterlockedDecrement(&raised_threads);
    }
}

static const char *irql_name(KIRQL irql)
{
    static const char *const names[] = {"PASSIVE_LEVEL", "APC_LEVEL", "DISPATCH_LEVEL"};
    return irql < 3 ? names[irql] : irql == HIGH_LEVEL ? "HIGH_LEVEL" : "a device IRQL";
}

void vfy_check_irql(const char *routine, KIRQL maximum, const void *site)
{
    KIRQL now = vfy_irql();

    if (now > maximum)
        vfy_report(RULE_IRQL, site, "%s called at %s (%u), above its maximum %s (%u)", routine,
                   irql_name(now), now, irql_name(maximum), maximum);
}

/* The real IRQL follows on Windows; Wine emulates CR8 slowly and reads it as 0 anyway. */
static void set_real_irql(KIRQL irql)
{
    if (!on_wine)
        __writecr8(irql);
}

KIRQL minwdm_verifier_irql(void)
{
    return vfy_irql();
}

KIRQL minwdm_verifier_raise_irql(KIRQL new_irql)
{
    KIRQL old = vfy_irql();

    if (new_irql < old)
        vfy_report(RULE_IRQL, CALLER(), "KeRaiseIrql to %s (%u) from the higher %s (%u)",
                   irql_name(new_irql), new_irql, irql_name(old), old);
    set_real_irql(new_irql);
    vfy_set_irql(new_irql);
    return old;
}

VOID minwdm_verifier_lower_irql(KIRQL new_irql)
{
    KIRQL old = vfy_irql();

    if (new_irql > old)
        vfy_report(RULE_IRQL, CALLER(), "KeLowerIrql to %s (%u) from the lower %s (%u)",
                   irql_name(new_irql), new_irql, irql_name(old), old);
    vfy_set_irql(new_irql);
    set_real_irql(new_irql);
}

VOID minwdm_verifier_paged_code(const char *function, const char *file, int line)
{
    KIRQL now = vfy_irql();

    if (now > APC_LEVEL && vfy_rule_on(RULE_PAGED_CODE)) {
        InterlockedIncrement64(&findings);
        log_message(&driver_log, MINWDM_LOG_ERROR, "verifier",
                    "paged-code: PAGED_CODE() reached at %s (%u), above APC_LEVEL (Windows: %s) "
                    "at %s (%s:%d)", irql_name(now), now, rules[RULE_PAGED_CODE].windows, function,
                    file, line);
    }
}

/* Restores an IRQL a routine left changed (after reporting it): the driver goes on sane. */
void vfy_restore_irql(KIRQL irql)
{
    vfy_set_irql(irql);
    set_real_irql(irql);
}

/* --- start and unload --- */

static void read_rules_off(void)
{
    const char *p = minwdm_verifier_rules_off;

    while (*p) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        for (unsigned r = 0; r < RULE_COUNT; r++)
            if (strlen(rules[r].name) == (size_t)(end - p) && !memcmp(rules[r].name, p, end - p))
                rules_off |= 1u << r;
        p = end;
    }
}

/* ImagePath's last component, as the Linux side finds the image and its symbols by. */
static void read_image_name(PUNICODE_STRING registry_path)
{
    UNICODE_STRING value = RTL_CONSTANT_STRING(L"ImagePath");
    OBJECT_ATTRIBUTES attributes;
    union {
        KEY_VALUE_PARTIAL_INFORMATION info;
        UCHAR bytes[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + 520];
    } answer;
    ULONG length = 0;
    HANDLE key;

    InitializeObjectAttributes(&attributes, registry_path,
                               OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(vfy_real_ZwOpenKey(&key, KEY_READ, &attributes)))
        return;
    NTSTATUS status = vfy_real_ZwQueryValueKey(key, &value, KeyValuePartialInformation, &answer,
                                               sizeof(answer) - sizeof(WCHAR), &length);
    vfy_real_ZwClose(key);
    if (!NT_SUCCESS(status) || (answer.info.Type != REG_EXPAND_SZ && answer.info.Type != REG_SZ))
        return;
    const WCHAR *text = (const WCHAR *)answer.info.Data;
    ULONG count = answer.info.DataLength / sizeof(WCHAR), start = 0, n = 0;
    while (count && !text[count - 1])
        count--;
    for (ULONG i = 0; i < count; i++)
        if (text[i] == L'\\' || text[i] == L'/')
            start = i + 1;
    for (ULONG i = start; i < count && n + 1 < sizeof(image_name); i++)
        image_name[n++] = (char)(text[i] > 0x20 && text[i] < 0x7F ? text[i] : L'_');
    if (n)
        image_name[n] = '\0';
}

static KIRQL hook_irql(void)
{
    return vfy_irql();
}

static const struct runtime_verifier hooks = {
    .irql = hook_irql,
    .dispatch = vfy_dispatch,
    .irp_arrived = vfy_irp_arrived,
    .unload_check = vfy_unload_check,
};

/* The runtime's entry point calls this first of all (PASSIVE_LEVEL). */
MINWDM_INIT_CODE void minwdm_verifier_start_hook(PUNICODE_STRING registry_path)
{
    static struct runtime_verifier runtime_hooks;
    UNICODE_STRING wine = RTL_CONSTANT_STRING(L"wine_ntoskrnl_main_loop");

    vfy_routines_start();
    real_raise = vfy_real_KeAcquireSpinLockRaiseToDpc;
    real_release = vfy_real_KeReleaseSpinLock;
    real_thread_id = PsGetCurrentThreadId;
    KeInitializeSpinLock(&own_lock);
    on_wine = vfy_import_MmGetSystemRoutineAddress(&wine) != NULL;
    read_rules_off();
    read_image_name(registry_path);
    vfy_pending_list_key(registry_path);
    runtime_hooks = hooks;
    vfy_real_pool(&runtime_hooks);
    runtime_verifier = &runtime_hooks;
    exception_guard_enabled = TRUE; /* an exception leaving the driver is a finding too */
}

/* After the driver's unload and the runtime's own clean-up, before the log is saved. */
void vfy_unload_check(void)
{
    vfy_pending_list_stop(); /* its thread runs the verifier's code: gone before the image */
    vfy_notify_stop();       /* likewise, and it calls the driver's notify routines */
    vfy_irps_check_unload();
    vfy_resources_check_unload();
    vfy_pool_check_unload();
    log_message(&driver_log, MINWDM_LOG_INFO, "runtime", "the verifier found %lld problems in "
                "this load", (long long)findings);
}
