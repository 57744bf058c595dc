# Cross-compile for x86-64 Windows with clang and lld, using the mingw-w64 headers and import libraries.
# Drivers are made with add_wdm_driver() from minwdm.cmake, which this file loads after project().
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(MINWDM_TARGET_TRIPLE x86_64-w64-mingw32)

find_program(MINWDM_CLANG NAMES clang clang-16 clang-15 clang-14 REQUIRED)
set(CMAKE_C_COMPILER "${MINWDM_CLANG}")
set(CMAKE_C_COMPILER_TARGET ${MINWDM_TARGET_TRIPLE})
# C++ drivers: the clang++ next to that clang (clang-19 -> clang++-19), for the same target.
string(REGEX MATCH "-[0-9]+$" MINWDM_CLANG_SUFFIX "${MINWDM_CLANG}")
get_filename_component(MINWDM_CLANG_DIR "${MINWDM_CLANG}" DIRECTORY)
find_program(MINWDM_CLANGXX NAMES clang++${MINWDM_CLANG_SUFFIX} HINTS "${MINWDM_CLANG_DIR}" REQUIRED)
set(CMAKE_CXX_COMPILER "${MINWDM_CLANGXX}")
set(CMAKE_CXX_COMPILER_TARGET ${MINWDM_TARGET_TRIPLE})
find_program(CMAKE_RC_COMPILER NAMES ${MINWDM_TARGET_TRIPLE}-windres llvm-rc)

# clang takes the mingw-w64 C runtime from the sysroot and libgcc from the MinGW GCC install, whose
# Debian folder name (12-win32) clang does not recognise: point it there.
find_program(MINWDM_MINGW_GCC NAMES ${MINWDM_TARGET_TRIPLE}-gcc)
if(NOT MINWDM_MINGW_GCC)
  message(FATAL_ERROR "${MINWDM_TARGET_TRIPLE}-gcc not found (its libgcc is needed): run ./scripts/setup")
endif()
execute_process(COMMAND "${MINWDM_MINGW_GCC}" -print-libgcc-file-name
                OUTPUT_VARIABLE libgcc OUTPUT_STRIP_TRAILING_WHITESPACE)
get_filename_component(MINWDM_LIBGCC_DIR "${libgcc}" DIRECTORY)
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS_INIT "-fuse-ld=lld -L${MINWDM_LIBGCC_DIR}")
endforeach()
# For the same reason clang++ misses the C++ headers of that install (<new>, <type_traits>...).
set(CMAKE_CXX_STANDARD_INCLUDE_DIRECTORIES
  "${MINWDM_LIBGCC_DIR}/include/c++" "${MINWDM_LIBGCC_DIR}/include/c++/${MINWDM_TARGET_TRIPLE}")

include("${CMAKE_CURRENT_LIST_DIR}/mingw-common.cmake")
