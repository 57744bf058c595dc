# Cross-compile for x86-64 Windows with MinGW-w64 GCC and GNU ld.
# Drivers are made with add_wdm_driver() from minwdm.cmake, which this file loads after project().
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(MINWDM_TARGET_TRIPLE x86_64-w64-mingw32)

find_program(CMAKE_C_COMPILER NAMES ${MINWDM_TARGET_TRIPLE}-gcc REQUIRED)
# C++ drivers (package g++-mingw-w64-x86-64); a C-only project does not need it.
find_program(CMAKE_CXX_COMPILER NAMES ${MINWDM_TARGET_TRIPLE}-g++)
find_program(CMAKE_RC_COMPILER NAMES ${MINWDM_TARGET_TRIPLE}-windres)

include("${CMAKE_CURRENT_LIST_DIR}/mingw-common.cmake")
