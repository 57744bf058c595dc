# WDK code and C++ in add_wdm_driver() (minwdm.cmake loads this file):
#
#   WDK_COMPAT       MSVC's C dialect as WDK code writes it (clang only; see MINWDM_WDK_COMPAT_OPTIONS)
#   INTEGRITY_CHECK  the image asks for code integrity checks (/INTEGRITYCHECK: DllCharacteristics
#                    FORCE_INTEGRITY, 0x80), which ObRegisterCallbacks and
#                    PsSetCreateProcessNotifyRoutineEx(2) demand of their callers on Windows
#   .cpp sources     C++ without exceptions, RTTI or thread-safe statics; global objects are
#                    constructed before DriverEntry and destroyed after DriverUnload
#
# Every driver also links, after its own code, the kit's compat library (the out-of-line copies of
# ntstrsafe.h, IoCreateDeviceSecure and the SDDL_DEVOBJ_* strings of wdmsec.lib, C++ support: a
# static library, so a driver gets only what it calls) and an import library of the ntoskrnl.exe
# exports mingw-w64's libntoskrnl.a lacks (toolchain/lib/ntoskrnl-extra.def) and one of FltMgr.sys
# for minifilters (toolchain/lib/fltmgr.def, <fltKernel.h>) and one of NETIO.SYS for Winsock Kernel
# clients (toolchain/lib/netio.def, <wsk.h>), all made in the build tree. Debug builds define DBG=1, as the WDK's do, so that KdPrint and ASSERT work.
include_guard(GLOBAL)

# MSVC's C dialect, measured construct by construct with clang 14 (docs/wdk.md):
# -fms-extensions (every driver has it) already gives __try/__except/__finally/__leave and
# __annotation; <minwdm/wdm_compat.h> maps try/except/finally/leave to them, as MSVC's <excpt.h>
# does, and adds the SAL annotations mingw-w64 lacks.
set(MINWDM_WDK_COMPAT_OPTIONS
  -fms-compatibility        # L#x (wide stringizing); no comma left before an empty __VA_ARGS__
  -fgnuc-version=4.2.1      # -fms-compatibility alone hides __GNUC__, which mingw-w64's headers test
  -Wno-invalid-token-paste  # "lit" ## x: the two tokens kept side by side, as MSVC does
  -Wno-unknown-pragmas)     # #pragma prefast, code_analysis...: for MSVC's analyzers
# MSVC's C++: a case label may narrow (CTL_CODE(0x8000, ...) is a negative int, IoControlCode a
# ULONG: `case IOCTL_X:` in a switch on it). clang makes that an error by default; -fms-compatibility
# does not lift it. And a string literal converts to a non-const pointer (RTL_CONSTANT_STRING(L"..")
# into a UNICODE_STRING's PWSTR), as MSVC allows without /Zc:strictStrings.
list(APPEND MINWDM_WDK_COMPAT_OPTIONS
  $<$<COMPILE_LANGUAGE:CXX>:-Wno-c++11-narrowing> $<$<COMPILE_LANGUAGE:CXX>:-Wno-writable-strings>)
if(CMAKE_C_COMPILER_ID STREQUAL "Clang" AND CMAKE_C_COMPILER_VERSION VERSION_GREATER_EQUAL 15)
  # <wdm.h> under WDK_COMPAT: DRIVER_NOTIFICATION_CALLBACK_ROUTINE has no prototype, so that a
  # callback may be defined with the notification's own pointer type; clang 15 and later warn.
  list(APPEND MINWDM_WDK_COMPAT_OPTIONS $<$<COMPILE_LANGUAGE:C>:-Wno-deprecated-non-prototype>)
endif()
if(CMAKE_C_COMPILER_ID STREQUAL "Clang" AND CMAKE_C_COMPILER_VERSION VERSION_GREATER_EQUAL 18)
  # From clang 18, -fms-extensions makes __FUNCTION__ a string literal after another ("lit"
  # __FUNCTION__); clang 14 to 17 cannot (one construct WDK_COMPAT cannot fix there).
  list(APPEND MINWDM_WDK_COMPAT_OPTIONS -Wno-microsoft-string-literal-from-predefined)
endif()

# C++ in the kernel: no exceptions (no unwinder to throw through), no RTTI (typeid and
# dynamic_cast need the C++ runtime), no thread-safe statics (their guards need it too); each
# unsupported use is a compile error. -fcheck-new makes `new T` test for NULL before running a
# constructor, where the compiler has it (GCC, clang 17 and later). -fsized-deallocation: `delete`
# calls operator delete(void*, size_t), as MSVC and GCC do (clang before 19 did not), so that a
# driver's own sized delete frees what its own new allocated.
set(MINWDM_KERNEL_CXX_OPTIONS -fno-exceptions -fno-rtti -fno-threadsafe-statics -fsized-deallocation)
if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang" OR CMAKE_C_COMPILER_VERSION VERSION_GREATER_EQUAL 17)
  list(APPEND MINWDM_KERNEL_CXX_OPTIONS -fcheck-new)
endif()
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  # GCC asks a driver that defines operator delete(void*, size_t) to define operator delete(void*)
  # too; the kit's compat library has every form a driver leaves out (src/runtime/cxx/new.c).
  list(APPEND MINWDM_KERNEL_CXX_OPTIONS -Wno-sized-deallocation)
endif()
list(APPEND MINWDM_KERNEL_COMPILE_OPTIONS "$<$<COMPILE_LANGUAGE:CXX>:${MINWDM_KERNEL_CXX_OPTIONS}>")
# A driver with C++ sources links with the C++ compiler, and CMake then adds what it found the C
# compiler links by default (-lmingw32 -lkernel32 -luser32..., host library folders): user-mode
# libraries a driver must never see. -nostdlib keeps the compiler's own out; these, CMake's.
foreach(language C CXX)
  set(CMAKE_${language}_IMPLICIT_LINK_LIBRARIES "")
  set(CMAKE_${language}_IMPLICIT_LINK_DIRECTORIES "")
endforeach()
list(APPEND MINWDM_KERNEL_COMPILE_DEFINITIONS "$<$<CONFIG:Debug>:DBG=1>")

# The import libraries of toolchain/lib/*.def (ntoskrnl-extra.def: the ntoskrnl.exe exports
# mingw-w64's libntoskrnl.a lacks; fltmgr.def: FltMgr.sys for minifilters; netio.def: NETIO.SYS
# for WSK), made with the dlltool of the linker in use (each writes what its own linker reads best).
function(_minwdm_import_library target def_name library_name)
  if(TARGET ${target})
    return()
  endif()
  set(def "${MINWDM_ROOT}/toolchain/lib/${def_name}")
  set(library "${CMAKE_BINARY_DIR}/minwdm-lib/${library_name}")
  if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
    get_filename_component(bin "${CMAKE_C_COMPILER}" DIRECTORY)
    string(REGEX MATCH "-[0-9]+$" suffix "${CMAKE_C_COMPILER}")
    find_program(MINWDM_DLLTOOL NAMES llvm-dlltool${suffix} llvm-dlltool HINTS "${bin}")
    set(make_library "${MINWDM_DLLTOOL}" -m i386:x86-64 -d "${def}" -l "${library}")
  else()
    find_program(MINWDM_DLLTOOL NAMES ${MINWDM_TARGET_TRIPLE}-dlltool)
    set(make_library "${MINWDM_DLLTOOL}" -d "${def}" -l "${library}")
  endif()
  if(NOT MINWDM_DLLTOOL)
    message(FATAL_ERROR "minwdm: no dlltool (llvm-dlltool for clang, ${MINWDM_TARGET_TRIPLE}-dlltool "
                        "for GCC) to make the import library of ${def}: run ./scripts/setup")
  endif()
  add_custom_command(OUTPUT "${library}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/minwdm-lib"
    COMMAND ${make_library}
    DEPENDS "${def}"
    COMMENT "Making the import library of ${def_name}"
    VERBATIM)
  add_custom_target(${target}_file DEPENDS "${library}")
  add_library(${target} INTERFACE)
  target_link_libraries(${target} INTERFACE "${library}")
  add_dependencies(${target} ${target}_file)
endfunction()

# The kit's compat library (src/runtime/sources.cmake: MINWDM_COMPAT_SOURCES), built once per
# build tree. It needs the kernel's exports, hence the libraries after it on the link line.
function(_minwdm_compat_library)
  if(TARGET minwdm_compat)
    return()
  endif()
  _minwdm_import_library(minwdm_ntoskrnl_extra ntoskrnl-extra.def libntoskrnl-extra.a)
  _minwdm_import_library(minwdm_fltmgr fltmgr.def libfltmgr.a)
  _minwdm_import_library(minwdm_netio netio.def libnetio.a)
  # operator new and delete, one form per object file (src/runtime/cxx/new.c)
  set(forms)
  foreach(form RANGE 1 ${MINWDM_CXX_NEW_FORMS})
    set(file "${CMAKE_BINARY_DIR}/minwdm-lib/cxx_new_${form}.c")
    file(CONFIGURE OUTPUT "${file}" @ONLY CONTENT
      "/* Generated: form @form@ of operator new/delete. */\n#define MINWDM_CXX_FORM @form@\n#include \"@MINWDM_RUNTIME_DIR@/cxx/new.c\"\n")
    list(APPEND forms "${file}")
  endforeach()
  add_library(minwdm_compat STATIC ${MINWDM_COMPAT_SOURCES} ${forms})
  target_wdm_settings(minwdm_compat)
  target_include_directories(minwdm_compat PRIVATE "${MINWDM_RUNTIME_DIR}")
  target_compile_options(minwdm_compat PRIVATE -Oz)
  target_compile_definitions(minwdm_compat PRIVATE MINWDM_NTSTATUS_DRIVER_NAMES_ONLY=1)
  target_link_libraries(minwdm_compat INTERFACE ntoskrnl minwdm_ntoskrnl_extra hal minwdm_fltmgr
                        minwdm_netio)
endfunction()

# Whether a target compiles C++.
function(_minwdm_has_cxx target result)
  get_target_property(sources ${target} SOURCES)
  set(found FALSE)
  foreach(source IN LISTS sources)
    if(source MATCHES "\\.(cpp|cxx|cc|C|c\\+\\+)$")
      set(found TRUE)
    endif()
  endforeach()
  set(${result} ${found} PARENT_SCOPE)
endfunction()

# add_wdm_driver's WDK and C++ part: compile options, link options, the compat and import
# libraries. Called before the kernel's own libraries are linked, so that those come after.
# Sets <entry_var> to the entry point of a driver without RUNTIME: DriverEntry, or for C++ the
# kit's minwdm_cxx_entry, which constructs global objects, calls DriverEntry and destroys them
# after DriverUnload (the runtime's own entry point does the same for RUNTIME drivers).
function(_minwdm_wdk_driver name wdk_compat integrity_check entry_var)
  set(options) # for add_wdm_test's variant of the driver
  if(wdk_compat)
    list(APPEND options WDK_COMPAT)
  endif()
  if(integrity_check)
    list(APPEND options INTEGRITY_CHECK)
  endif()
  set_property(TARGET ${name} PROPERTY MINWDM_WDK_OPTIONS "${options}")
  if(wdk_compat)
    if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
      message(FATAL_ERROR "add_wdm_driver(${name} ... WDK_COMPAT): WDK_COMPAT needs clang (the "
        "default preset, toolchain/clang-x64.cmake). MinGW GCC has no MSVC preprocessor mode "
        "(L#x, \"lit\" ## x, the comma before an empty __VA_ARGS__, \"lit\" __FUNCTION__) and no "
        "structured exception handling in C (try/except, __try/__except)")
    endif()
    target_compile_options(${name} PRIVATE ${MINWDM_WDK_COMPAT_OPTIONS})
    target_compile_definitions(${name} PRIVATE MINWDM_WDK_COMPAT=1)
  endif()
  if(integrity_check)
    if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
      target_link_options(${name} PRIVATE -Wl,--Xlink=-integritycheck) # lld's /INTEGRITYCHECK
    else()
      target_link_options(${name} PRIVATE -Wl,--forceinteg)             # GNU ld's spelling
    endif()
  endif()
  _minwdm_has_cxx(${name} cxx)
  if(cxx)
    get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
    if(NOT "CXX" IN_LIST languages)
      message(FATAL_ERROR "add_wdm_driver(${name}): C++ sources need the C++ compiler: name CXX "
                          "in project(), e.g. project(${name} C CXX)")
    endif()
    set_target_properties(${name} PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
                                             CXX_EXTENSIONS ON)
    set(${entry_var} minwdm_cxx_entry PARENT_SCOPE)
    set_property(TARGET ${name} PROPERTY MINWDM_ENTRY minwdm_cxx_entry)
  else()
    set(${entry_var} DriverEntry PARENT_SCOPE)
  endif()
  _minwdm_compat_library()
  target_link_libraries(${name} PRIVATE minwdm_compat)
  # Relink when the import library changes (a new export in the .def).
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS
               "${MINWDM_ROOT}/toolchain/lib/ntoskrnl-extra.def"
               "${MINWDM_ROOT}/toolchain/lib/fltmgr.def"
               "${MINWDM_ROOT}/toolchain/lib/netio.def")
endfunction()
