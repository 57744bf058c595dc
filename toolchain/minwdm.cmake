# minwdm's driver-building module: add_wdm_driver() turns C sources into a correct .sys.
#
#   add_wdm_driver(<name> SOURCES <file>... [OUTPUT_DIRECTORY <dir>] [RUNTIME]
#                  [ALLOW_EXPORTS] [ALLOW_IMPORTS <module>...] [NO_PE_TEST]
#                  [WDK_COMPAT] [INTEGRITY_CHECK] [VERIFY [VERIFIER_OFF <rule>...]]
#                  [VERSION <a.b.c[.d]>] [DESCRIPTION <text>] [COMPANY <text>] [COPYRIGHT <text>]
#                  [INF <file.inx|file.inf>])
#   target_wdm_settings(<target>)   kernel-mode compile settings for any other target
#
# <name> is an ordinary CMake target (target_link_libraries, target_include_directories and
# target_compile_definitions work on it). It links <name>.sys with every driver-specific flag,
# then wdmimage fixes and checks the image, and osslsigncode signs it, into
# <OUTPUT_DIRECTORY>/<name>.sys (default: CMAKE_RUNTIME_OUTPUT_DIRECTORY, else the binary dir).
# The target's MINWDM_IMAGE property names that file, MINWDM_UNSIGNED_IMAGE the image before
# signing. Unless BUILD_TESTING is OFF, ctest re-checks the image ("pe.<name>"), its signature
# ("signature.<name>") and its symbols ("symbols.<name>", toolchain/symbols.cmake).
#
# RUNTIME links minwdm's runtime (<minwdm/runtime.h>): the kit owns the entry point, starts the
# log and the allocator before the driver's DriverEntry, checks for leaks after its DriverUnload,
# and serves the control device minwdmctl talks to (log, log-level, stats, fail-alloc).
# VERIFY builds a verified image (docs/verifier.md): the kit's verifier stands between the driver
# and the kernel (IRQL, pool, lock, IRP and unload rules); it implies RUNTIME's entry point, and
# the driver's sources do not change. VERIFIER_OFF turns rules off by name. Never for release.
# WDK_COMPAT (MSVC's C dialect of WDK code), INTEGRITY_CHECK (/INTEGRITYCHECK) and C++ sources:
# toolchain/minwdm-wdk.cmake. VERSION, DESCRIPTION, COMPANY, COPYRIGHT: the image's version
# resource (toolchain/version_resource.cmake; defaults from project()), checked by the test
# "version.<name>". INF: a driver package, the folder <OUTPUT_DIRECTORY>/<name>/ with the stamped
# and checked INF, the image, its PDB and a signed catalog (toolchain/package.cmake), checked by
# the test "package.<name>" (docs/shipping.md).
#
# Signing (x64 Windows loads no unsigned driver, even in test mode): by default with a test
# certificate generated in <build>/signing/ (its private key never leaves that folder), or
# with your own: -DMINWDM_SIGNING_PFX=<file.pfx> [-DMINWDM_SIGNING_PASSWORD_FILE=<file>].
# -DMINWDM_SIGNING=OFF leaves drivers unsigned.
#
# Results, for the project's own rules: MINWDM_ROOT (the kit), MINWDM_WDMIMAGE (the fixer and
# checker), MINWDM_SIGNING_CER and MINWDM_SIGNING_PEM (the certificate drivers are signed with,
# DER and PEM), MINWDM_DDK_INCLUDE_DIR, MINWDM_KERNEL_COMPILE_OPTIONS,
# MINWDM_KERNEL_COMPILE_DEFINITIONS, MINWDM_KERNEL_LINK_OPTIONS and MINWDM_KERNEL_LIBRARIES (what
# every driver is built with), and the runtime's MINWDM_RUNTIME_DIR, MINWDM_CORE_SOURCES and
# MINWDM_KERNEL_SOURCES (src/runtime/sources.cmake). Nothing else is set in the including scope.
#
# The toolchain files load this module after project(); including it by hand works too.
get_property(minwdm_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
if(minwdm_in_try_compile)
  return() # CMake's compiler checks (the C++ one has no C compiler): nothing to set up
endif()
include_guard(GLOBAL)

if(NOT CMAKE_SYSTEM_NAME STREQUAL "Windows" OR NOT CMAKE_C_COMPILER_ID MATCHES "Clang|GNU")
  message(FATAL_ERROR "minwdm: configure with toolchain/clang-x64.cmake or toolchain/gcc-x64.cmake "
                      "(cmake -DCMAKE_TOOLCHAIN_FILE=...), not the host compiler")
endif()

get_filename_component(MINWDM_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
include("${MINWDM_ROOT}/src/runtime/sources.cmake")

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
  # Stack cookies, as MSVC's /GS: a function with a local array or address-taken local checks
  # a guard value on return; the kit's guard and failure (bug check 0xF7) are in
  # src/runtime/compat/stack_cookie.c, its entry points set the guard first.
  -fstack-protector-strong
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
# mingw-w64's <intrin.h> (which <wdm.h> includes) includes <mm3dnow.h>, which clang 19 and later
# mark with a #warning: -Werror fails every driver source. Decided from what this compiler does:
# when <intrin.h> warns, and clang's switch silences it, the switch is added.
include(CheckCSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-Werror -ffreestanding -fms-extensions")
set(CMAKE_REQUIRED_QUIET ON)
check_c_source_compiles("#include <intrin.h>\nint main(void) { return 0; }" MINWDM_INTRIN_H_CLEAN)
if(NOT MINWDM_INTRIN_H_CLEAN)
  set(CMAKE_REQUIRED_DEFINITIONS -D_CLANG_DISABLE_CRT_DEPRECATION_WARNINGS)
  check_c_source_compiles("#include <intrin.h>\nint main(void) { return 0; }"
                          MINWDM_INTRIN_H_CLEAN_WITHOUT_DEPRECATIONS)
  if(MINWDM_INTRIN_H_CLEAN_WITHOUT_DEPRECATIONS)
    list(APPEND MINWDM_KERNEL_COMPILE_DEFINITIONS _CLANG_DISABLE_CRT_DEPRECATION_WARNINGS)
  endif()
  unset(CMAKE_REQUIRED_DEFINITIONS)
endif()
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_QUIET)
include("${CMAKE_CURRENT_LIST_DIR}/minwdm-wdk.cmake") # WDK code and C++ (adds to the lists above)
include("${CMAKE_CURRENT_LIST_DIR}/seh.cmake")        # __try that protects its whole body (too)
include("${CMAKE_CURRENT_LIST_DIR}/minwdm-wpp.cmake") # wdm_wpp(): WPP's .tmh files

# Link flags: a native-subsystem DLL-shaped image, entry DriverEntry, relocatable, NX, no CRT.
set(MINWDM_KERNEL_LINK_OPTIONS
  -nostdlib -shared -s
  -Wl,--subsystem,native
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
# The signing certificate, made once per build tree (and again if removed: a new certificate
# would have to be imported on every test machine again). What add_wdm_driver needs is kept as
# properties of the target minwdm_signing_certificate.
function(_minwdm_signing_certificate)
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
    # Yours is checked now, so that a certificate Windows would refuse stops the configure with
    # the reason; the build checks it again (the file may change in between).
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -DOPENSSL=${MINWDM_OPENSSL} -DDIR=${dir} -DNAME=${name}
              -DPFX=${MINWDM_SIGNING_PFX} -DPASSWORD_FILE=${password_file}
              -P "${MINWDM_ROOT}/toolchain/signing/certificate.cmake"
      RESULT_VARIABLE failed OUTPUT_QUIET ERROR_VARIABLE error)
    if(failed)
      string(REGEX REPLACE "^.*[(]message[)]:[ \n]*" "" error "${error}")
      string(REGEX REPLACE "[ \n]+" " " error "${error}")
      message(FATAL_ERROR "minwdm: ${error}")
    endif()
  else()
    set(name minwdm-test-signing)
    set(pfx "${dir}/signing.pfx")
    set(password_file "")
    set(made "${dir}/${name}.cer" "${pfx}")
  endif()
  add_custom_command(OUTPUT ${made}
    COMMAND "${CMAKE_COMMAND}" -DOPENSSL=${MINWDM_OPENSSL} -DDIR=${dir} -DNAME=${name}
            -DPFX=${MINWDM_SIGNING_PFX} -DPASSWORD_FILE=${password_file}
            -P "${MINWDM_ROOT}/toolchain/signing/certificate.cmake"
    DEPENDS ${MINWDM_SIGNING_PFX} # yours, checked again when it changes
    COMMENT "Preparing the signing certificate in ${dir}"
    VERBATIM)
  add_custom_target(minwdm_signing_certificate DEPENDS ${made})
  # The public certificate: for certutil -addstore on Windows, and osslsigncode verify here.
  set_target_properties(minwdm_signing_certificate PROPERTIES
    MINWDM_PFX "${pfx}" MINWDM_PASSWORD_FILE "${password_file}"
    MINWDM_CER "${dir}/${name}.cer" MINWDM_PEM "${dir}/${name}.pem")
endfunction()
if(MINWDM_SIGNING)
  if(NOT TARGET minwdm_signing_certificate)
    _minwdm_signing_certificate()
  endif()
  get_target_property(MINWDM_SIGNING_CER minwdm_signing_certificate MINWDM_CER)
  get_target_property(MINWDM_SIGNING_PEM minwdm_signing_certificate MINWDM_PEM)
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
include("${CMAKE_CURRENT_LIST_DIR}/version_resource.cmake") # VERSIONINFO in every image
include("${CMAKE_CURRENT_LIST_DIR}/inf_hardware_id.cmake") # add_wdm_test's default HARDWARE_ID

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

# wdmimage runs on the build machine: an installed kit carries it built (bin/wdmimage); from a
# source tree it is built here with the host compiler.
if(EXISTS "${MINWDM_ROOT}/bin/wdmimage")
  set(MINWDM_WDMIMAGE "${MINWDM_ROOT}/bin/wdmimage")
  if(NOT TARGET minwdm_host-tools)
    add_custom_target(minwdm_host-tools)
  endif()
else()
  set(MINWDM_WDMIMAGE "${CMAKE_BINARY_DIR}/host-tools/wdmimage")
  if(NOT TARGET minwdm_host-tools)
    minwdm_add_host_project(host-tools "${MINWDM_ROOT}/toolchain/wdmimage" Release wdmimage)
  endif()
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

# minwdm's runtime for drivers (<minwdm/runtime.h>), built once per build tree from the kit's
# sources (src/runtime/sources.cmake).
function(_minwdm_runtime_library)
  if(TARGET minwdm_runtime)
    return()
  endif()
  # The kernel tests' runner is a static library of its own: only a test build, whose generated
  # table names minwdm_test_runner_ops, pulls it in, so a release driver holds none of it, not even
  # its text (GCC keeps the strings of every object file it links).
  set(runner "${MINWDM_RUNTIME_DIR}/core/test_runner.c")
  set(sources ${MINWDM_CORE_SOURCES} ${MINWDM_KERNEL_SOURCES})
  list(REMOVE_ITEM sources "${runner}")
  add_library(minwdm_runtime OBJECT ${sources})
  add_library(minwdm_test_runner STATIC "${runner}")
  foreach(target minwdm_runtime minwdm_test_runner)
    target_wdm_settings(${target})
    target_include_directories(${target} PRIVATE "${MINWDM_RUNTIME_DIR}")
    target_compile_definitions(${target} PRIVATE MINWDM_NTSTATUS_DRIVER_NAMES_ONLY=1)
    # Non-paged code is memory the driver holds for as long as it runs: it is compiled for size.
    target_compile_options(${target} PRIVATE -Oz)
  endforeach()
endfunction()

# The verifier (src/verifier), built once per build tree; only verified images link it.
function(_minwdm_verifier_library)
  if(TARGET minwdm_verifier)
    return()
  endif()
  set(def "${MINWDM_RUNTIME_DIR}/../verifier/imports.def")
  set(library "${CMAKE_BINARY_DIR}/minwdm-lib/libminwdm-verifier-imports.a")
  find_program(MINWDM_GNU_DLLTOOL NAMES ${MINWDM_TARGET_TRIPLE}-dlltool x86_64-w64-mingw32-dlltool)
  if(NOT MINWDM_GNU_DLLTOOL)
    message(FATAL_ERROR "minwdm: the verifier needs x86_64-w64-mingw32-dlltool (Debian package "
                        "binutils-mingw-w64-x86-64) for its renamed import: run ./scripts/setup")
  endif()
  add_custom_command(OUTPUT "${library}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/minwdm-lib"
    COMMAND "${MINWDM_GNU_DLLTOOL}" -d "${def}" -l "${library}"
    DEPENDS "${def}"
    COMMENT "Making the verifier's import library"
    VERBATIM)
  add_custom_target(minwdm_verifier_imports DEPENDS "${library}")
  add_library(minwdm_verifier OBJECT ${MINWDM_VERIFIER_SOURCES})
  add_dependencies(minwdm_verifier minwdm_verifier_imports)
  target_link_libraries(minwdm_verifier INTERFACE "${library}")
  target_wdm_settings(minwdm_verifier)
  target_include_directories(minwdm_verifier PRIVATE "${MINWDM_RUNTIME_DIR}")
  target_compile_options(minwdm_verifier PRIVATE -O2)
endfunction()

# <target>.verifier.c, compiled into every RUNTIME driver: minwdm_verifier_start is NULL, or in a
# verified build the verifier's start and the rules turned off.
function(_minwdm_verifier_table target verify rules_off)
  set(file "${CMAKE_CURRENT_BINARY_DIR}/${target}.verifier.c")
  if(verify)
    string(REPLACE ";" " " rules_off "${rules_off}")
    file(CONFIGURE OUTPUT "${file}" @ONLY CONTENT "/* Generated by add_wdm_driver: a verified build of ${target}. */
void minwdm_verifier_start_hook(void *registry_path);
void (*const minwdm_verifier_start)(void *) = minwdm_verifier_start_hook;
const char minwdm_verifier_rules_off[] = \"@rules_off@\";
")
  else()
    file(CONFIGURE OUTPUT "${file}" @ONLY CONTENT "/* Generated by add_wdm_driver: ${target} is not verified. */
void (*const minwdm_verifier_start)(void *) = 0;
")
  endif()
  target_sources(${target} PRIVATE "${file}")
endfunction()

# The kit's test table (src/runtime/test_table.c), compiled into every RUNTIME driver:
# minwdm_driver_tests is NULL in a driver; in a test build (testing true, MINWDM_TESTING) it
# walks the entries each MINWDM_TEST the compiler saw put in a linker section. No source is read
# here: an edit never re-runs CMake, and a test under an #if that is off is simply not there.
function(_minwdm_test_table target testing)
  target_sources(${target} PRIVATE "${MINWDM_RUNTIME_DIR}/test_table.c")
  if(testing)
    target_compile_definitions(${target} PRIVATE MINWDM_TESTING=1)
    # No code names the entries: GNU ld would drop their sections (lld keeps them, `used`).
    target_link_options(${target} PRIVATE -Wl,--no-gc-sections)
  endif()
endfunction()

# --- format checks: %wZ, %Z, %ws... against their arguments, in every project's build ---
# clang checks C's directives and counts Microsoft's, but takes any argument for %wZ and %Z (a
# PWSTR given to %wZ compiles silently, then faults in the formatter); GCC checks none of a call
# that has one. toolchain/format_check.py checks them with libclang: each driver source with a
# Windows directive is checked while it compiles; a finding fails the build (before the link) at its line.
option(MINWDM_FORMAT_CHECK "Check %wZ-style formats against their arguments when building" ON)
if(MINWDM_FORMAT_CHECK AND NOT DEFINED CACHE{MINWDM_FORMAT_CHECK_PYTHON})
  # The distribution's python3 first: python3-clang is a Debian package (a pyenv's lacks it).
  find_program(python python3)
  set(found "")
  foreach(candidate /usr/bin/python3 "${python}")
    if(NOT found AND EXISTS "${candidate}")
      execute_process(COMMAND "${candidate}" -c "import clang.cindex; clang.cindex.Index.create()"
                      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
      if(rc EQUAL 0)
        set(found "${candidate}")
      endif()
    endif()
  endforeach()
  if(NOT found)
    message(WARNING "minwdm: no python3 with libclang (Debian: python3-clang): %wZ-style formats "
                    "are not checked at build time. Install it, or set MINWDM_FORMAT_CHECK=OFF.")
  endif()
  set(MINWDM_FORMAT_CHECK_PYTHON "${found}" CACHE INTERNAL "python3 with clang.cindex")
endif()

function(_minwdm_format_check target)
  if(NOT MINWDM_FORMAT_CHECK OR NOT MINWDM_FORMAT_CHECK_PYTHON)
    return()
  endif()
  set(target_flag)
  if(CMAKE_C_COMPILER_TARGET)
    set(target_flag --target=${CMAKE_C_COMPILER_TARGET})
  endif()
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defines "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(options "$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>")
  set(stamps)
  foreach(source IN LISTS ARGN)
    get_filename_component(source "${source}" ABSOLUTE)
    if(NOT source MATCHES "[.]c$")
      continue()
    endif()
    string(MAKE_C_IDENTIFIER "${source}" id)
    set(stamp "${CMAKE_CURRENT_BINARY_DIR}/${target}.format/${id}.checked")
    add_custom_command(OUTPUT "${stamp}"
      COMMAND "${MINWDM_FORMAT_CHECK_PYTHON}" "${MINWDM_ROOT}/toolchain/format_check.py"
              --compile "${CMAKE_C_COMPILER}" ${target_flag} -std=gnu11 -fms-extensions
              "$<$<BOOL:${includes}>:-I$<JOIN:${includes},;-I>>"
              "$<$<BOOL:${defines}>:-D$<JOIN:${defines},;-D>>" "${options}"
              -- "${source}"
      COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
      DEPENDS "${source}" "${MINWDM_ROOT}/toolchain/format_check.py"
      COMMENT "Format check of ${source}" COMMAND_EXPAND_LISTS VERBATIM)
    list(APPEND stamps "${stamp}")
  endforeach()
  if(stamps)
    # The link waits for the checks, the compiles do not: they run side by side.
    add_custom_target(${target}_format_check DEPENDS ${stamps})
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS ${stamps})
  endif()
endfunction()

function(add_wdm_driver name)
  # _TESTING (add_wdm_test's): a test build, serving the kernel tests found in its sources.
  # _FILE_NAME (add_wdm_test's, for a driver with an INF): the image is <_FILE_NAME>.sys, not
  # <name>.sys, so that the driver's own INF names it.
  cmake_parse_arguments(PARSE_ARGV 1 arg
                        "ALLOW_EXPORTS;NO_PE_TEST;RUNTIME;_TESTING;WDK_COMPAT;INTEGRITY_CHECK;VERIFY"
                        "OUTPUT_DIRECTORY;VERSION;DESCRIPTION;COMPANY;COPYRIGHT;INF;_FILE_NAME"
                        "SOURCES;ALLOW_IMPORTS;VERIFIER_OFF")
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
  set(file_name "${arg__FILE_NAME}")
  if(NOT file_name)
    set(file_name "${name}")
  endif()

  add_library(${name} MODULE ${arg_SOURCES})
  target_wdm_settings(${name})
  # What add_wdm_test needs to build a test variant of this driver.
  list(TRANSFORM arg_SOURCES PREPEND "${CMAKE_CURRENT_SOURCE_DIR}/" REGEX "^[^/]"
       OUTPUT_VARIABLE absolute_sources)
  set_target_properties(${name} PROPERTIES MINWDM_SOURCES "${absolute_sources}"
    MINWDM_RUNTIME "${arg_RUNTIME}" MINWDM_ALLOW_EXPORTS "${arg_ALLOW_EXPORTS}"
    MINWDM_ALLOW_IMPORTS "${arg_ALLOW_IMPORTS}" MINWDM_FILE_NAME "${file_name}")
  if(arg_INF)
    get_filename_component(inf "${arg_INF}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set_target_properties(${name} PROPERTIES MINWDM_INF "${inf}")
  endif()
  # The linker's output stays in a private folder; only the fixed image reaches out_dir.
  set_target_properties(${name} PROPERTIES
    PREFIX "" SUFFIX ".sys" OUTPUT_NAME "${file_name}"
    LIBRARY_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/${name}.link")
  target_link_options(${name} PRIVATE ${MINWDM_KERNEL_LINK_OPTIONS})
  _minwdm_wdk_driver(${name} "${arg_WDK_COMPAT}" "${arg_INTEGRITY_CHECK}" entry)
  target_link_libraries(${name} PRIVATE ${MINWDM_KERNEL_LIBRARIES})
  _minwdm_version_resource(${name} "${arg_VERSION}" "${arg_DESCRIPTION}" "${arg_COMPANY}"
                           "${arg_COPYRIGHT}")
  minwdm_driver_symbols(${name} "${out_dir}" symbols) # symbols.cmake
  if(arg_VERIFY)
    # The verifier reports through the runtime: its entry point comes too (docs/verifier.md).
    set(arg_RUNTIME TRUE)
    _minwdm_verifier_library()
    target_link_libraries(${name} PRIVATE minwdm_verifier)
    target_compile_definitions(${name} PRIVATE MINWDM_VERIFY=1)
    # A finding names the line of the call from its return address: no call made as a jump
    # (sibling calls), no identical calls of two lines merged into one (tail merging), and no
    # inlining (clang 14's CodeView line tables of inlined code put a call one line late).
    target_compile_options(${name} PRIVATE -fno-optimize-sibling-calls -fno-inline
      "$<IF:$<C_COMPILER_ID:Clang>,SHELL:-mllvm -enable-tail-merge=false,-fno-crossjumping>")
  endif()
  if(arg_RUNTIME)
    # The runtime's entry point starts the runtime, then calls the driver's DriverEntry.
    _minwdm_runtime_library()
    _minwdm_verifier_table(${name} "${arg_VERIFY}" "${arg_VERIFIER_OFF}")
    target_link_libraries(${name} PRIVATE minwdm_runtime minwdm_test_runner)
    target_link_options(${name} PRIVATE -Wl,--entry,minwdm_runtime_entry)
    _minwdm_test_table(${name} "${arg__TESTING}" ${arg_SOURCES})
  else()
    if(entry STREQUAL "DriverEntry")
      # The kit's entry sets the stack cookie's guard, then calls DriverEntry.
      set(entry minwdm_gs_entry)
      set_property(TARGET ${name} PROPERTY MINWDM_ENTRY minwdm_gs_entry) # symbols.<name>
    endif()
    target_link_options(${name} PRIVATE -Wl,--entry,${entry})
  endif()
  _minwdm_format_check(${name} ${arg_SOURCES})
  # Relink (and so re-fix) when wdmimage changes: its rules may have. A link dependency, not a
  # target one, so that the compiles need not wait for the host tools' build step.
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${MINWDM_WDMIMAGE}")

  set(policy)
  if(arg_ALLOW_EXPORTS)
    list(APPEND policy --allow-exports)
  endif()
  foreach(module IN LISTS arg_ALLOW_IMPORTS)
    list(APPEND policy --allow-import ${module})
  endforeach()
  set(image "${out_dir}/${file_name}.sys")
  set(check_policy ${policy})
  if(MINWDM_SIGNING)
    # Signed last: any change after signing would break the signature (Windows: error 577).
    set(fixed "${CMAKE_CURRENT_BINARY_DIR}/${name}.link/${file_name}.unsigned.sys")
    get_target_property(pfx minwdm_signing_certificate MINWDM_PFX)
    get_target_property(password_file minwdm_signing_certificate MINWDM_PASSWORD_FILE)
    set(password) # the generated PKCS#12 has an empty password: osslsigncode tries that first
    if(password_file)
      set(password -readpass "${password_file}")
    endif()
    set(sign # its output only when it fails
      COMMAND "${CMAKE_COMMAND}" -P "${MINWDM_ROOT}/toolchain/signing/quiet.cmake" --
              "${MINWDM_OSSLSIGNCODE}" sign -pkcs12 "${pfx}" ${password}
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
  if(arg_INF)
    _minwdm_driver_package(${name} "${arg_INF}" "${image}" "${out_dir}/${file_name}")
  endif()
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
    if(arg_INF)
      _minwdm_add_package_test(${name} "${out_dir}/${file_name}")
    endif()
    get_target_property(expect ${name} MINWDM_VERSION_EXPECT)
    add_test(NAME version.${name} COMMAND "${MINWDM_WDMIMAGE}" version "${image}" ${expect})
  endif()
endfunction()

# The package folder of a driver with an INF (after the signed image is made).
function(_minwdm_driver_package name inf image dir)
  get_filename_component(inf "${inf}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_target_property(file_name ${name} MINWDM_FILE_NAME)
  get_target_property(version ${name} MINWDM_VERSION)
  get_target_property(symbols ${name} MINWDM_SYMBOLS)
  set(signing)
  if(MINWDM_SIGNING)
    get_target_property(pfx minwdm_signing_certificate MINWDM_PFX)
    get_target_property(password_file minwdm_signing_certificate MINWDM_PASSWORD_FILE)
    set(signing -DOSSLSIGNCODE=${MINWDM_OSSLSIGNCODE} -DPFX=${pfx} -DPASSWORD_FILE=${password_file})
  endif()
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND "${CMAKE_COMMAND}" -DWDMIMAGE=${MINWDM_WDMIMAGE} -DNAME=${file_name} -DINF=${inf}
            -DIMAGE=${image} -DSYMBOLS=${symbols} -DVERSION=${version} -DDIR=${dir} ${signing}
            -P "${MINWDM_ROOT}/toolchain/package.cmake"
    COMMENT "Making the driver package ${dir}"
    VERBATIM)
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${inf}") # a new INF: a new package
  set_property(TARGET ${name} PROPERTY MINWDM_PACKAGE "${dir}")
  set_property(TARGET ${name} APPEND PROPERTY ADDITIONAL_CLEAN_FILES
               "${dir}/${file_name}.inf" "${dir}/${file_name}.cat")
endfunction()

# package.<name>: the package's INF passes the checks, its catalog is signed by the project's
# certificate and lists the image (osslsigncode verify -catalog, osslsigncode 2.8 or later).
function(_minwdm_add_package_test name dir)
  get_target_property(file_name ${name} MINWDM_FILE_NAME)
  set(command "${MINWDM_WDMIMAGE}" inf check "${dir}/${file_name}.inf" --image ${file_name}.sys
              --catalog ${file_name}.cat)
  if(MINWDM_SIGNING)
    execute_process(COMMAND "${MINWDM_OSSLSIGNCODE}" -v OUTPUT_VARIABLE out ERROR_QUIET)
    string(REGEX MATCH "osslsigncode ([0-9]+[.][0-9]+)" out "${out}")
    if(CMAKE_MATCH_1 VERSION_LESS 2.8)
      message(STATUS "minwdm: osslsigncode ${CMAKE_MATCH_1} cannot verify a file against a "
                     "catalog (2.8 can): package.${name} checks the INF only")
    else()
      set(command bash "${MINWDM_ROOT}/toolchain/check-package.sh" "${MINWDM_WDMIMAGE}"
                  "${MINWDM_OSSLSIGNCODE}" "${MINWDM_SIGNING_PEM}" "${dir}" ${file_name})
    endif()
  endif()
  add_test(NAME package.${name} COMMAND ${command})
endfunction()

# minwdm_build_info(): the target minwdm_build_info, minwdm_build.h (MINWDM_VERSION_*, MINWDM_BUILD_ID: the kit's
# version, the source revision and the compiler), refreshed at every build.
function(minwdm_build_info)
  if(TARGET minwdm_build_info)
    return()
  endif()
  include("${MINWDM_ROOT}/toolchain/version.cmake")
  set(dir "${CMAKE_BINARY_DIR}/generated")
  string(TOLOWER "${CMAKE_C_COMPILER_ID}-${CMAKE_C_COMPILER_VERSION}" compiler)
  string(REPLACE "gnu-" "gcc-" compiler "${compiler}")
  add_custom_target(minwdm_build_id
    COMMAND "${CMAKE_COMMAND}" -DOUTPUT=${dir}/minwdm_build.h -DSOURCE_DIR=${MINWDM_ROOT}
            -DVERSION=${MINWDM_KIT_VERSION} -DCOMPILER=${compiler}
            -P "${MINWDM_ROOT}/toolchain/build_id.cmake"
    BYPRODUCTS "${dir}/minwdm_build.h"
    COMMENT "Refreshing the build identifier")
  add_library(minwdm_build_info INTERFACE)
  target_include_directories(minwdm_build_info INTERFACE "${dir}")
  add_dependencies(minwdm_build_info minwdm_build_id)
endfunction()

# The loader minwdmctl.exe that Wine tests run: this project's own target when it has one, the
# installed kit's, or one built here from the kit's sources. Sets <var> in the caller's scope.
function(_minwdm_loader var)
  if(NOT TARGET minwdmctl AND EXISTS "${MINWDM_ROOT}/bin/minwdmctl.exe")
    set(${var} "${MINWDM_ROOT}/bin/minwdmctl.exe" PARENT_SCOPE)
    return()
  endif()
  if(NOT TARGET minwdmctl)
    minwdm_build_info()
    add_subdirectory("${MINWDM_ROOT}/user" "${CMAKE_BINARY_DIR}/minwdm-loader")
  endif()
  set(${var} "$<TARGET_FILE:minwdmctl>" PARENT_SCOPE)
endfunction()

# add_wdm_test(<name> DRIVER <target> [SOURCES <kernel test file>...]
#              [CLIENT <target or file> [ARGS <arg>...]] [TIMEOUT <seconds>]
#              [NO_VERIFY | VERIFIER_OFF <rule>...] [HARDWARE_ID <id>])
#
# Builds the test variant of the driver <target>, RUNTIME or not (the runtime's entry point is
# linked into the variant; the driver's sources do not change), verified unless NO_VERIFY
# (docs/verifier.md; VERIFIER_OFF turns single rules off): its sources, definitions, include
# folders, options and libraries, plus the kernel test SOURCES, with every MINWDM_TEST
# (<minwdm/test.h>) in them served by the runtime; the driver's own image carries no test code.
# Adds the ctest test <name>: in a private Wine session, `minwdmctl test` installs the variant
# under a scratch service, starts it, runs each kernel test, runs CLIENT with ARGS while the
# driver is loaded (its exit code is one more test), stops it, fails on leaks or detected misuse,
# and removes it. Every request and the client must finish within TIMEOUT (default 60) seconds.
# A driver with an INF (a PnP driver) is tested as its users install it: the variant's image
# keeps the driver's file name and gets its own package (<id>.test/<file>/: the INF stamped for
# it, its catalog); `minwdmctl test <file>.inf --hardware-id <id>` installs it on a new root
# device node (install-device), and after the tests and the client removes the node
# (remove-device), unloads the driver and reads its unload report. HARDWARE_ID: the device's
# id, by default the first hardware id of the INF's first model (its NTamd64 models section).
# The test folder <id>.test, made whole for Windows: the test build's image, the client beside
# it, and windows-test.cmd, which runs the same `minwdmctl test` there (minwdmctl.exe on PATH
# or in the folder above), writing results.xml (JUnit) into the folder. CI copies the folders,
# whatever the tests' names (docs/ci/driver-ci.yml).
function(_minwdm_windows_test name id subject client timeout)
  set(folder "${CMAKE_CURRENT_BINARY_DIR}/${id}.test")
  set(client_line "")
  if(client)
    set(client_file "${client}")
    if(TARGET "${client}")
      set(client_file "$<TARGET_FILE:${client}>")
      add_custom_target(${id}_windows_client ALL
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${folder}"
        COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${client_file}" "${folder}/"
        DEPENDS ${client} VERBATIM)
      set(client_name "$<TARGET_FILE_NAME:${client}>")
    else()
      get_filename_component(client_name "${client}" NAME)
      file(COPY "${client}" DESTINATION "${folder}")
    endif()
    set(client_line " --client \"%~dp0${client_name}\"")
    foreach(argument IN LISTS ARGN)
      string(APPEND client_line " \"${argument}\"")
    endforeach()
  endif()
  file(GENERATE OUTPUT "${folder}/windows-test.cmd" CONTENT
"@rem Generated by add_wdm_test(${name}): runs this test on Windows (test signing on), from any
@rem folder, with minwdmctl.exe on PATH or beside this folder. Exit code: minwdmctl test's.
@setlocal
@set ctl=minwdmctl.exe
@if exist \"%~dp0..\\minwdmctl.exe\" set ctl=%~dp0..\\minwdmctl.exe
@\"%ctl%\" test ${subject} --timeout ${timeout} --junit \"%~dp0results.xml\"${client_line}
")
endfunction()

function(add_wdm_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_VERIFY" "DRIVER;CLIENT;TIMEOUT;HARDWARE_ID"
                        "SOURCES;ARGS;VERIFIER_OFF")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_wdm_test(${name}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_DRIVER OR NOT TARGET "${arg_DRIVER}")
    message(FATAL_ERROR "add_wdm_test(${name}): DRIVER must name a target of add_wdm_driver")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 60)
  endif()
  get_target_property(sources ${arg_DRIVER} MINWDM_SOURCES)
  get_target_property(exports ${arg_DRIVER} MINWDM_ALLOW_EXPORTS)
  get_target_property(imports ${arg_DRIVER} MINWDM_ALLOW_IMPORTS)
  set(options RUNTIME _TESTING NO_PE_TEST)
  if(NOT arg_NO_VERIFY)
    list(APPEND options VERIFY)
    if(arg_VERIFIER_OFF)
      list(APPEND options VERIFIER_OFF ${arg_VERIFIER_OFF})
    endif()
  endif()
  if(exports)
    list(APPEND options ALLOW_EXPORTS)
  endif()
  if(imports)
    list(APPEND options ALLOW_IMPORTS ${imports})
  endif()
  get_target_property(wdk_options ${arg_DRIVER} MINWDM_WDK_OPTIONS) # WDK_COMPAT, INTEGRITY_CHECK
  if(wdk_options)
    list(APPEND options ${wdk_options})
  endif()

  string(MAKE_C_IDENTIFIER "${name}" id)
  set(variant "${id}_driver")
  get_target_property(version ${arg_DRIVER} MINWDM_VERSION)
  get_target_property(driver_inf ${arg_DRIVER} MINWDM_INF)
  if(driver_inf)
    # A package of the variant's own, made as the driver's is, with the driver's file names.
    get_target_property(file_name ${arg_DRIVER} MINWDM_FILE_NAME)
    set(hardware_id "${arg_HARDWARE_ID}")
    if(NOT hardware_id)
      _minwdm_inf_hardware_id("${driver_inf}" hardware_id)
    endif()
    if(NOT hardware_id)
      message(FATAL_ERROR "add_wdm_test(${name}): no model in ${driver_inf} gives a hardware id to "
                          "install ${arg_DRIVER} on: give one with HARDWARE_ID")
    endif()
    list(APPEND options INF "${driver_inf}" _FILE_NAME ${file_name} VERSION ${version})
  elseif(arg_HARDWARE_ID)
    message(FATAL_ERROR "add_wdm_test(${name}): HARDWARE_ID is for a driver with an INF; "
                        "${arg_DRIVER} has none")
  endif()
  add_wdm_driver(${variant} SOURCES ${sources} ${arg_SOURCES} ${options}
                 OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/${id}.test")
  foreach(property INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS)
    set_property(TARGET ${variant} APPEND PROPERTY ${property}
                 "$<TARGET_PROPERTY:${arg_DRIVER},${property}>")
  endforeach()
  target_link_libraries(${variant} PRIVATE
    "$<FILTER:$<TARGET_PROPERTY:${arg_DRIVER},LINK_LIBRARIES>,EXCLUDE,^(minwdm_runtime|minwdm_test_runner|minwdm_verifier|ntoskrnl|hal|gcc)$>")
  get_target_property(image ${variant} MINWDM_IMAGE)

  _minwdm_loader(loader)
  set(client)
  if(arg_CLIENT)
    set(client_file "${arg_CLIENT}")
    if(TARGET "${arg_CLIENT}")
      set(client_file "$<TARGET_FILE:${arg_CLIENT}>")
    endif()
    set(client --client "${client_file}" ${arg_ARGS})
  endif()
  if(driver_inf)
    get_target_property(package ${variant} MINWDM_PACKAGE)
    set(subject "${package}/${file_name}.inf" --hardware-id "${hardware_id}")
    set(windows_subject "\"%~dp0${file_name}\\${file_name}.inf\" --hardware-id ${hardware_id}")
  else()
    set(subject "${image}" --name "${id}")
    set(windows_subject "\"%~dp0${id}_driver.sys\" --name ${id}")
  endif()
  add_test(NAME ${name}
    COMMAND bash "${MINWDM_ROOT}/toolchain/wine/run-test.sh" "${CMAKE_BINARY_DIR}" "${id}"
            "${loader}" test ${subject} --timeout ${arg_TIMEOUT} ${client})
  _minwdm_windows_test(${name} ${id} "${windows_subject}" "${arg_CLIENT}" ${arg_TIMEOUT}
                       ${arg_ARGS})
  # minwdmctl's own deadlines end a hung step first, and name it.
  math(EXPR ctest_timeout "${arg_TIMEOUT} * 3 + 60")
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ctest_timeout})
endfunction()
