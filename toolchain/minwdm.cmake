# minwdm's driver-building module: add_wdm_driver() turns C sources into a correct .sys.
#
#   add_wdm_driver(<name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>] [RUNTIME]
#                  [ALLOW_EXPORTS] [ALLOW_IMPORTS <module>...] [NO_PE_TEST])
#   target_wdm_settings(<target>)   kernel-mode compile settings for any other target
#
# <name> is an ordinary CMake target (target_link_libraries, target_include_directories and
# target_compile_definitions work on it). It links <name>.sys with every driver-specific flag,
# then wdmimage (a host tool built here) fixes and checks the image, and osslsigncode signs it,
# into <OUTPUT_DIRECTORY>/<name>.sys (default: CMAKE_RUNTIME_OUTPUT_DIRECTORY, else the binary
# dir). RUNTIME links minwdm's allocator and logger (src/pool.h, src/kernel_log.h). Unless
# BUILD_TESTING is OFF, ctest re-checks the image ("pe.<name>"), its signature
# ("signature.<name>") and its symbols ("symbols.<name>", toolchain/symbols.cmake). The
# toolchain files load this module after project(); including it by hand works too.
#
# Signing (x64 Windows loads no unsigned driver, even in test mode): by default with a test
# certificate generated in <build>/signing/ (its private key never leaves that folder), or
# with your own: -DMINWDM_SIGNING_PFX=<file.pfx> [-DMINWDM_SIGNING_PASSWORD_FILE=<file>].
# -DMINWDM_SIGNING=OFF leaves drivers unsigned.
include_guard(GLOBAL)

if(NOT CMAKE_SYSTEM_NAME STREQUAL "Windows" OR NOT CMAKE_C_COMPILER_ID MATCHES "Clang|GNU")
  message(FATAL_ERROR "minwdm: configure with toolchain/clang-x64.cmake or toolchain/gcc-x64.cmake "
                      "(cmake -DCMAKE_TOOLCHAIN_FILE=...), not the host compiler")
endif()

set(MINWDM_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." CACHE INTERNAL "")
get_filename_component(MINWDM_ROOT "${MINWDM_ROOT}" ABSOLUTE)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# The DDK headers of mingw-w64 (ntddk.h, wdm.h, ntifs.h) live in the ddk folder of the
# compiler's own include directory.
find_path(MINWDM_DDK_INCLUDE_DIR wdm.h
  PATHS ${CMAKE_C_IMPLICIT_INCLUDE_DIRECTORIES} ${CMAKE_FIND_ROOT_PATH}
  PATH_SUFFIXES ddk include/ddk
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH REQUIRED)

# Each driver's PE check is a test, unless the project turns testing off (BUILD_TESTING=OFF).
# enable_testing() only takes effect at directory scope, hence here and not in the function.
if(NOT DEFINED BUILD_TESTING OR BUILD_TESTING)
  enable_testing()
endif()

# Flags of every driver translation unit, and why.
set(MINWDM_KERNEL_COMPILE_OPTIONS
  -ffreestanding               # no hosted C library in the kernel
  -fno-stack-protector         # the CRT's cookie support does not exist in a driver
  -fno-stack-check
  -mno-stack-arg-probe         # __chkstk/___chkstk_ms are not kernel exports
  -fno-common
  -ffunction-sections          # so that the linker drops what nothing calls
  # the same for data, with clang; MinGW GCC would put zeroed data in .data$name sections, which
  # take file space (a 32 KiB zeroed buffer: 32 KiB more image)
  $<$<C_COMPILER_ID:Clang>:-fdata-sections>
  -fms-extensions              # the DDK headers use anonymous structs; clang also gets __try
  -fasynchronous-unwind-tables # .pdata for every non-leaf function: x64 exceptions need it
  -Wframe-larger-than=1024     # kernel stacks are small (24 KiB on x64)
  -Wall -Wextra
  -Wno-multichar               # pool tags are written 'abcd' in WDK code
  $<$<CONFIG:Release,RelWithDebInfo>:-O2>) # what /O2 is to MSVC drivers; -O3 bloats non-paged code
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  # Warnings from the mingw DDK headers themselves are not the driver's.
  list(APPEND MINWDM_KERNEL_COMPILE_OPTIONS -Wno-pragma-pack)
endif()
set(MINWDM_KERNEL_COMPILE_DEFINITIONS
  _WIN32_WINNT=0x0A00 NTDDI_VERSION=0x0A000000 WINVER=0x0A00 # Windows 10 declarations
  MINWDM_KERNEL)                                              # portable code built for the kernel

# Link flags: a native-subsystem DLL-shaped image, entry DriverEntry, relocatable, NX, no CRT.
set(MINWDM_KERNEL_LINK_OPTIONS
  -nostdlib -shared -s
  -Wl,--subsystem,native
  -Wl,--entry,DriverEntry
  -Wl,--image-base,0x140000000
  -Wl,--dynamicbase
  -Wl,--nxcompat
  -Wl,--section-alignment,0x1000   # HVCI: every section on its own page
  -Wl,--file-alignment,0x200
  -Wl,--exclude-all-symbols        # a driver exports nothing unless asked
  -Wl,--gc-sections)               # unreferenced code and data stay out of non-paged memory
set(MINWDM_KERNEL_LIBRARIES ntoskrnl hal)

# --- signing ---
option(MINWDM_SIGNING "Sign every driver (x64 Windows loads no unsigned driver)" ON)
set(MINWDM_SIGNING_PFX "" CACHE FILEPATH
    "Your own PKCS#12 to sign drivers with (default: a generated test certificate)")
set(MINWDM_SIGNING_PASSWORD_FILE "" CACHE FILEPATH "A file holding MINWDM_SIGNING_PFX's password")
if(MINWDM_SIGNING AND NOT TARGET minwdm_signing_certificate)
  find_program(MINWDM_OSSLSIGNCODE osslsigncode)
  find_program(MINWDM_OPENSSL openssl)
  if(NOT MINWDM_OSSLSIGNCODE OR NOT MINWDM_OPENSSL)
    message(FATAL_ERROR "minwdm: signing drivers needs osslsigncode and openssl: run "
                        "./scripts/setup, or configure with -DMINWDM_SIGNING=OFF")
  endif()
  set(dir "${CMAKE_BINARY_DIR}/signing")
  if(MINWDM_SIGNING_PFX)
    get_filename_component(name "${MINWDM_SIGNING_PFX}" NAME_WE)
    set(pfx "${MINWDM_SIGNING_PFX}")
    set(password_file "${MINWDM_SIGNING_PASSWORD_FILE}")
    set(made "${dir}/${name}.cer")
  else()
    set(name minwdm-test-signing)
    set(pfx "${dir}/signing.pfx")
    set(password_file "")
    set(made "${dir}/${name}.cer" "${pfx}")
  endif()
  # Made once per build tree (and again if removed): a new certificate would have to be
  # imported on every test machine again.
  add_custom_command(OUTPUT ${made}
    COMMAND "${CMAKE_COMMAND}" -DOPENSSL=${MINWDM_OPENSSL} -DDIR=${dir} -DNAME=${name}
            -DPFX=${MINWDM_SIGNING_PFX} -DPASSWORD_FILE=${password_file}
            -P "${MINWDM_ROOT}/toolchain/signing/certificate.cmake"
    COMMENT "Preparing the signing certificate in ${dir}"
    VERBATIM)
  add_custom_target(minwdm_signing_certificate DEPENDS ${made})
  set(MINWDM_SIGNING_PFX_IN_USE "${pfx}" CACHE INTERNAL "")
  set(MINWDM_SIGNING_PASSWORD_IN_USE "${password_file}" CACHE INTERNAL "")
  # The public certificate: for certutil -addstore on Windows, and osslsigncode verify here.
  set(MINWDM_SIGNING_CER "${dir}/${name}.cer" CACHE INTERNAL "")
  set(MINWDM_SIGNING_PEM "${dir}/${name}.pem" CACHE INTERNAL "")
endif()
if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  # lld: a kernel driver (/DRIVER); identical functions folded into one
  list(APPEND MINWDM_KERNEL_LINK_OPTIONS -Wl,--Xlink=-driver -Wl,--icf=all)
elseif(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  # Compiler helpers (128-bit division and the like); the PE check rejects anything it imports.
  list(APPEND MINWDM_KERNEL_LIBRARIES gcc)
endif()
# Symbols (.pdb with clang, .debug with GCC) beside each driver; -DMINWDM_SYMBOLS=OFF: none.
include("${CMAKE_CURRENT_LIST_DIR}/symbols.cmake")

# Builds a CMake project for the build machine (host compiler, no toolchain file) in its own tree
# under the binary dir, at every build; the products are the files it makes there.
#   minwdm_add_host_project(<name> <source-dir> <build-type> [COMPILER <cc>] <product>...)
include(ExternalProject)
find_program(MINWDM_HOST_C_COMPILER NAMES cc gcc clang REQUIRED)
function(minwdm_add_host_project name source_dir build_type)
  set(compiler "${MINWDM_HOST_C_COMPILER}")
  set(names ${ARGN})
  if(ARGC GREATER 4 AND ARGV3 STREQUAL "COMPILER")
    set(compiler "${ARGV4}")
    list(REMOVE_AT names 0 1)
  endif()
  set(binary_dir "${CMAKE_BINARY_DIR}/${name}")
  list(TRANSFORM names PREPEND "${binary_dir}/" OUTPUT_VARIABLE products)
  ExternalProject_Add(minwdm_${name}
    SOURCE_DIR "${source_dir}"
    BINARY_DIR "${binary_dir}"
    CMAKE_ARGS -DCMAKE_C_COMPILER=${compiler} -DCMAKE_BUILD_TYPE=${build_type}
               -DCMAKE_TOOLCHAIN_FILE= -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    BUILD_BYPRODUCTS ${products})
endfunction()

# wdmimage runs on the build machine, so it is built with the host compiler.
if(NOT TARGET minwdm_host-tools)
  minwdm_add_host_project(host-tools "${MINWDM_ROOT}/toolchain/wdmimage" Release wdmimage)
  set(MINWDM_WDMIMAGE "${CMAKE_BINARY_DIR}/host-tools/wdmimage" CACHE INTERNAL "")
endif()

# Compiles a target's C sources as kernel-mode code (add_wdm_driver does it for drivers; object
# libraries shared by several drivers use it directly).
function(target_wdm_settings target)
  set_target_properties(${target} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS ON)
  target_compile_options(${target} PRIVATE ${MINWDM_KERNEL_COMPILE_OPTIONS})
  target_compile_definitions(${target} PRIVATE ${MINWDM_KERNEL_COMPILE_DEFINITIONS})
  # toolchain/include wraps <wdm.h> so that <ntddk.h>, <wdm.h> and <ntifs.h> bring the compat header.
  target_include_directories(${target} SYSTEM PRIVATE
    "${MINWDM_ROOT}/toolchain/include" "${MINWDM_DDK_INCLUDE_DIR}")
  target_include_directories(${target} PRIVATE "${MINWDM_ROOT}/include")
endfunction()

# minwdm's runtime for drivers, built once per build tree from minwdm's sources: the allocator
# (src/pool.h over src/core/mem.h), the logger (src/kernel_log.h over src/core/log.h) and the
# admins-only device access (src/device_access.h).
function(minwdm_runtime_library)
  if(TARGET minwdm_runtime)
    return()
  endif()
  set(src "${MINWDM_ROOT}/src")
  add_library(minwdm_runtime OBJECT
    "${src}/pool.c" "${src}/kernel_lock.c" "${src}/kernel_log.c" "${src}/registry.c"
    "${src}/device_access.c"
    "${src}/core/mem.c" "${src}/core/mem_selftest.c" "${src}/core/log.c" "${src}/core/format.c"
    "${src}/core/ntstatus_names.c" "${src}/core/device_security.c")
  target_wdm_settings(minwdm_runtime)
  target_include_directories(minwdm_runtime PUBLIC "${src}")
  target_compile_definitions(minwdm_runtime PRIVATE MINWDM_NTSTATUS_DRIVER_NAMES_ONLY=1)
  # Non-paged code is memory the driver holds for as long as it runs: it is compiled for size.
  target_compile_options(minwdm_runtime PRIVATE -Oz)
endfunction()

function(add_wdm_driver name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALLOW_EXPORTS;NO_PE_TEST;RUNTIME" "OUTPUT_DIRECTORY"
                        "SOURCES;ALLOW_IMPORTS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_wdm_driver(${name}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "add_wdm_driver(${name}): SOURCES is required")
  endif()
  set(out_dir "${arg_OUTPUT_DIRECTORY}")
  if(NOT out_dir)
    set(out_dir "${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
  endif()
  if(NOT out_dir)
    set(out_dir "${CMAKE_CURRENT_BINARY_DIR}")
  endif()

  add_library(${name} MODULE ${arg_SOURCES})
  target_wdm_settings(${name})
  # The linker's output stays in a private folder; only the fixed image reaches out_dir.
  set_target_properties(${name} PROPERTIES
    PREFIX "" SUFFIX ".sys"
    LIBRARY_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/${name}.link")
  target_link_options(${name} PRIVATE ${MINWDM_KERNEL_LINK_OPTIONS})
  target_link_libraries(${name} PRIVATE ${MINWDM_KERNEL_LIBRARIES})
  minwdm_driver_symbols(${name} "${out_dir}" symbols) # symbols.cmake
  if(arg_RUNTIME)
    minwdm_runtime_library()
    target_link_libraries(${name} PRIVATE minwdm_runtime)
  endif()
  add_dependencies(${name} minwdm_host-tools)
  # Relink (and so re-fix) when wdmimage changes: its rules may have.
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${MINWDM_WDMIMAGE}")

  set(policy)
  if(arg_ALLOW_EXPORTS)
    list(APPEND policy --allow-exports)
  endif()
  foreach(module IN LISTS arg_ALLOW_IMPORTS)
    list(APPEND policy --allow-import ${module})
  endforeach()
  set(image "${out_dir}/${name}.sys")
  set(check_policy ${policy})
  if(MINWDM_SIGNING)
    # Signed last: any change after signing would break the signature (Windows: error 577).
    set(fixed "${CMAKE_CURRENT_BINARY_DIR}/${name}.link/${name}.unsigned.sys")
    set(password) # the generated PKCS#12 has an empty password: osslsigncode tries that first
    if(MINWDM_SIGNING_PASSWORD_IN_USE)
      set(password -readpass "${MINWDM_SIGNING_PASSWORD_IN_USE}")
    endif()
    set(sign
      COMMAND "${MINWDM_OSSLSIGNCODE}" sign -pkcs12 "${MINWDM_SIGNING_PFX_IN_USE}" ${password}
              -h sha256 -n "${name}" -in "${fixed}" -out "${image}")
    add_dependencies(${name} minwdm_signing_certificate)
    list(APPEND check_policy --signed)
  else()
    set(fixed "${image}")
    set(sign)
  endif()
  # A fix that fails deletes the linker's output too, so the next build relinks instead of
  # leaving a stale image behind; the signed image is made anew or not at all.
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
    COMMAND "${CMAKE_COMMAND}" -E rm -f "${image}"
    ${symbols}
    COMMAND "${MINWDM_WDMIMAGE}" fix ${policy} --remove-input-on-error
            "$<TARGET_FILE:${name}>" -o "${fixed}"
    ${sign}
    COMMENT "wdmimage: fixing and checking ${name}.sys$<$<BOOL:${MINWDM_SIGNING}>:, then signing it>"
    VERBATIM)
  set_property(TARGET ${name} PROPERTY MINWDM_IMAGE "${image}")
  set_property(TARGET ${name} PROPERTY MINWDM_UNSIGNED_IMAGE "${fixed}")
  set_property(TARGET ${name} APPEND PROPERTY ADDITIONAL_CLEAN_FILES "${image}")

  if(NOT arg_NO_PE_TEST AND (NOT DEFINED BUILD_TESTING OR BUILD_TESTING))
    add_test(NAME pe.${name} COMMAND "${MINWDM_WDMIMAGE}" check ${check_policy} "${image}")
    if(MINWDM_SIGNING)
      add_test(NAME signature.${name} COMMAND "${MINWDM_OSSLSIGNCODE}" verify -in "${image}"
                                              -CAfile "${MINWDM_SIGNING_PEM}")
    endif()
    minwdm_add_symbols_test(${name} "${image}") # symbols.<name>, when symbols are on
  endif()
endfunction()
