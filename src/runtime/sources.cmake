# The runtime's sources: the one list every build that uses them reads (drivers, minwdmctl, the
# host tests, fuzzers and benchmarks). Sets MINWDM_RUNTIME_DIR, MINWDM_CORE_SOURCES (portable C,
# no DDK header: builds for the kernel, user mode and the host) and MINWDM_KERNEL_SOURCES (the
# kernel glue), MINWDM_COMPAT_SOURCES and MINWDM_CXX_NEW_FORMS (the compat library's), and defines minwdm_add_core_library().
set(MINWDM_RUNTIME_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(MINWDM_CORE_SOURCES
  core/mem.c core/mem_selftest.c core/special_arena.c core/log.c core/format.c core/ntstatus_names.c
  core/irp_names.c core/device_security.c core/control.c core/test_runner.c core/kstring.c)
list(TRANSFORM MINWDM_CORE_SOURCES PREPEND "${MINWDM_RUNTIME_DIR}/")
set(MINWDM_KERNEL_SOURCES
  entry.c control_device.c pool.c kernel_lock.c kernel_log.c registry.c device_access.c
  user_buffer.c cxx_memory.c seh_call.c exception_guard.c special_pool.c)
list(TRANSFORM MINWDM_KERNEL_SOURCES PREPEND "${MINWDM_RUNTIME_DIR}/")
# The verifier (src/verifier, docs/verifier.md), linked into verified images only.
set(MINWDM_VERIFIER_SOURCES
  core.c routines.c imports.c locks.c pool.c irp.c pending.c callbacks.c notify.c resources.c backend.c)
list(TRANSFORM MINWDM_VERIFIER_SOURCES PREPEND "${MINWDM_RUNTIME_DIR}/../verifier/")
# The kit's compat library, which every driver links (a static library: a driver gets what it
# calls): ntstrsafe's out-of-line copies, wdmsec.lib's IoCreateDeviceSecure, C++ support, and the
# kernel routines Wine lacks or stubs, used only where the kernel has none (compat/kernel_routine.h).
set(MINWDM_COMPAT_SOURCES
  compat/ntstrsafe.c compat/wdmsec.c compat/kernel_routine.c compat/csq.c compat/guarded_mutex.c
  compat/resource.c compat/raise_status.c compat/system_thread.c compat/system_time.c compat/fltmgr.c compat/wsk_ids.c
  compat/wpp.c core/ntstatus_names.c core/irp_names.c core/format.c device_access.c core/device_security.c
  cxx/init.c cxx/pool.c cxx/entry.c cxx/pure_virtual.c
  compat/stack_cookie.c compat/stack_cookie_entry.c)
list(TRANSFORM MINWDM_COMPAT_SOURCES PREPEND "${MINWDM_RUNTIME_DIR}/")
# cxx/new.c, compiled once per operator new/delete form (MINWDM_CXX_FORM=1..N): one archive
# member each, so that a driver may define any of them itself.
set(MINWDM_CXX_NEW_FORMS 25)

# minwdm_add_core_library(<target>): a static library of the portable core for this project's
# compiler, with the public headers (include/) and the runtime's own (src/runtime).
function(minwdm_add_core_library target)
  add_library(${target} STATIC ${MINWDM_CORE_SOURCES})
  target_include_directories(${target} PUBLIC "${MINWDM_RUNTIME_DIR}/../../include"
                                              "${MINWDM_RUNTIME_DIR}")
endfunction()
