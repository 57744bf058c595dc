# The runtime's sources: the one list every build that uses them reads (drivers, minwdmctl, the
# host tests, fuzzers and benchmarks). Sets MINWDM_RUNTIME_DIR, MINWDM_CORE_SOURCES (portable C,
# no DDK header: builds for the kernel, user mode and the host) and MINWDM_KERNEL_SOURCES (the
# kernel glue), and defines minwdm_add_core_library().
set(MINWDM_RUNTIME_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(MINWDM_CORE_SOURCES
  core/mem.c core/mem_selftest.c core/log.c core/format.c core/ntstatus_names.c
  core/device_security.c core/control.c core/test_runner.c core/kstring.c)
list(TRANSFORM MINWDM_CORE_SOURCES PREPEND "${MINWDM_RUNTIME_DIR}/")
set(MINWDM_KERNEL_SOURCES
  entry.c control_device.c pool.c kernel_lock.c kernel_log.c registry.c device_access.c
  user_buffer.c cxx_memory.c)
list(TRANSFORM MINWDM_KERNEL_SOURCES PREPEND "${MINWDM_RUNTIME_DIR}/")
# The kit's compat library, which every driver links (a static library: a driver gets what it
# calls): ntstrsafe's out-of-line copies, wdmsec.lib's IoCreateDeviceSecure, C++ support.
set(MINWDM_COMPAT_SOURCES
  compat/ntstrsafe.c compat/wdmsec.c device_access.c core/device_security.c
  cxx/init.c cxx/new.c cxx/pool.c cxx/entry.c cxx/pure_virtual.c
  compat/stack_cookie.c compat/stack_cookie_entry.c)
list(TRANSFORM MINWDM_COMPAT_SOURCES PREPEND "${MINWDM_RUNTIME_DIR}/")

# minwdm_add_core_library(<target>): a static library of the portable core for this project's
# compiler, with the public headers (include/) and the runtime's own (src/runtime).
function(minwdm_add_core_library target)
  add_library(${target} STATIC ${MINWDM_CORE_SOURCES})
  target_include_directories(${target} PUBLIC "${MINWDM_RUNTIME_DIR}/../../include"
                                              "${MINWDM_RUNTIME_DIR}")
endfunction()
