/* The requests of planted_wdk.sys, shared by the driver and its client: one IOCTL per planted
 * bug, each named after the verifier rule that must catch it. Plain WDK: no kit header. */
#ifndef PLANTED_WDK_H
#define PLANTED_WDK_H

#define PLANTED_DEVICE_NAME L"\\Device\\PlantedWdk"
#define PLANTED_LINK_NAME L"\\DosDevices\\PlantedWdk"
#define PLANTED_USER_NAME L"\\\\.\\PlantedWdk"

#define PLANTED_CODE(n) CTL_CODE(0x8337u, 0x800 + (n), METHOD_BUFFERED, FILE_ANY_ACCESS)

/* X(name, number): the client's argument is the name. */
#define PLANTED_BUGS(X)                 \
    X(clean, 0)                         \
    X(irql, 1)                          \
    X(irql_wait, 2)                     \
    X(paged_code, 3)                    \
    X(irql_not_restored, 4)             \
    X(pool_leak, 5)                     \
    X(pool_double_free, 6)              \
    X(pool_tag, 7)                      \
    X(pool_executable, 8)               \
    X(lock_held_on_return, 9)           \
    X(lock_recursive, 10)               \
    X(lock_not_owner, 11)               \
    X(lock_order, 12)                   \
    X(irp_pending_unmarked, 13)         \
    X(irp_completed_twice, 14)          \
    X(irp_status_mismatch, 15)          \
    X(irp_information, 16)              \
    X(irp_lost, 17)                     \
    X(irp_completed_pending, 18)        \
    X(unload_callback, 19)              \
    X(unload_timer, 20)                 \
    X(unload_workitem, 21)              \
    X(unload_thread, 22)                \
    X(unload_device, 23)                \
    X(unload_symlink, 24)               \
    X(unload_mdl, 25)                   \
    X(unload_reference, 26)             \
    X(unload_handle, 27)                \
    X(unload_irp, 28)                   \
    X(dpc_lock_held, 29)                \
    X(pool_probe, 30) /* not a bug: fails when the pool does (fault injection) */ \
    X(completion_target, 31) /* not a bug: what the driver sends itself, completed at once */ \
    X(completion_irql, 32)              \
    X(completion_irql_not_restored, 33) \
    X(completion_lock_held, 34)

#endif
