# Structured exception handling (__try/__except/__finally/__leave) that protects what it encloses,
# as MSVC's does (loaded by minwdm.cmake; docs/debugging.md, "Exceptions").
#
# clang's SEH for Windows targets is synchronous by default: only the calls in a __try body are
# covered, and a body with no call gets no handler at all, so `__try { v = *p; }` does not
# protect the load. Asynchronous SEH covers every instruction of the body: clang 19 (checked)
# with -fasync-exceptions, which clang 19's driver drops for mingw targets ("argument unused")
# while -Xclang=-fasync-exceptions reaches the compiler. Rather than trusting versions, each
# spelling is tried on a body with no call, in C and in C++, and kept when the assembly has a
# scope table entry (a compiler that does nothing with it fails here, not in a driver).
# clang 14 accepts the flag but leaves the table empty: it is passed all the same for C, so that
# every __try gets a handler and wdmimage refuses an image with an empty table (the unwind
# rule); a bare load in a body with calls stays as clang 14 makes it (said at configure time and
# in the docs), and C++, where the flag drags in the C++ runtime, gets a compile error for __try.
# MinGW GCC has no __try: <minwdm/wdm_compat.h> makes it a compile error that says so.
#
# Results: MINWDM_SEH_OPTIONS (added to MINWDM_KERNEL_COMPILE_OPTIONS), MINWDM_SEH_ASYNC (ON when
# every __try body is protected).
include_guard(GLOBAL)

set(MINWDM_SEH_OPTIONS "")
set(MINWDM_SEH_ASYNC OFF)

# Sets <result> to TRUE when <compiler> with <flags> gives a __try body with no call a scope.
function(_minwdm_seh_probe result compiler language flags)
  set(dir "${CMAKE_BINARY_DIR}/CMakeFiles/minwdm-seh-probe")
  file(MAKE_DIRECTORY "${dir}")
  set(source "${dir}/probe.${language}")
  file(WRITE "${source}" "int probe(volatile int *p)\n{\n    int v;\n    __try {\n"
                         "        v = *p;\n    } __except (1) {\n        v = -1;\n    }\n"
                         "    return v;\n}\n")
  set(extra "")
  if(language STREQUAL "cpp") # and no C++ exception machinery for a destructor (clang 14 adds it)
    set(extra -fno-exceptions)
    file(APPEND "${source}" "struct D { int *q; ~D(); };\nvoid g(int *);\n"
                            "int destroyed(int *p)\n{\n    D d{p};\n    g(p);\n    return *p;\n}\n")
  endif()
  execute_process(
    COMMAND "${compiler}" --target=${MINWDM_TARGET_TRIPLE} -fms-extensions -O2 ${extra} ${flags}
            -Werror=unused-command-line-argument -S -o - "${source}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE assembly ERROR_QUIET)
  # The handler data after .seh_handlerdata: a count, then entries of four RVAs (@IMGREL).
  set(${result} FALSE PARENT_SCOPE)
  if(rc EQUAL 0 AND assembly MATCHES "__C_specific_handler" AND
     NOT assembly MATCHES "__gxx_personality" AND
     assembly MATCHES "\\.seh_handlerdata[^\n]*\n([^\n]*\n)*[^\n]*\\.long[ \t]+[^\n]*@IMGREL")
    set(${result} TRUE PARENT_SCOPE)
  endif()
endfunction()

if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
  set(key "${CMAKE_C_COMPILER};${CMAKE_CXX_COMPILER};${CMAKE_C_COMPILER_VERSION}")
  if(NOT MINWDM_SEH_PROBED STREQUAL key)
    set(found "")
    # -Xclang=<option>: one word, so that CMake's de-duplication of options and tools that read
    # a target's options (the format check) keep it whole.
    foreach(flags "-fasync-exceptions" "-Xclang=-fasync-exceptions")
      _minwdm_seh_probe(c_ok "${CMAKE_C_COMPILER}" c "${flags}")
      set(cxx_ok TRUE)
      if(CMAKE_CXX_COMPILER)
        _minwdm_seh_probe(cxx_ok "${CMAKE_CXX_COMPILER}" cpp "${flags}")
      endif()
      if(c_ok AND cxx_ok)
        set(found "${flags}")
        break()
      endif()
    endforeach()
    set(MINWDM_SEH_FOUND "${found}" CACHE INTERNAL "the flags that make __try asynchronous")
    set(MINWDM_SEH_PROBED "${key}" CACHE INTERNAL "the compiler MINWDM_SEH_FOUND is for")
    if(found)
      message(STATUS "minwdm: __try protects every instruction of its body (${found})")
    else()
      message(STATUS "minwdm: clang ${CMAKE_C_COMPILER_VERSION} protects only the calls in a "
                     "__try body: wdmimage refuses a C __try with no call, a load written in a "
                     "body with calls is not protected, C++ __try is a compile error. clang 19 "
                     "protects it all (Debian 12: apt install clang-19 lld-19, then "
                     "-DMINWDM_CLANG=clang-19)")
    endif()
  endif()
  if(MINWDM_SEH_FOUND)
    set(MINWDM_SEH_OPTIONS ${MINWDM_SEH_FOUND})
    set(MINWDM_SEH_ASYNC ON)
    list(APPEND MINWDM_KERNEL_COMPILE_OPTIONS ${MINWDM_SEH_OPTIONS})
  else()
    # C: a handler for every __try, even with no call (an empty table wdmimage refuses). Not
    # C++: clang 14 would then want the C++ runtime's personality routine for destructors.
    # In C++ nothing can check what clang 14 made of a __try: <minwdm/wdm_compat.h> makes it a
    # compile error that says why.
    set(MINWDM_SEH_OPTIONS -fasync-exceptions)
    list(APPEND MINWDM_KERNEL_COMPILE_OPTIONS "$<$<COMPILE_LANGUAGE:C>:-fasync-exceptions>")
    list(APPEND MINWDM_KERNEL_COMPILE_DEFINITIONS "$<$<COMPILE_LANGUAGE:CXX>:MINWDM_SEH_SYNCHRONOUS=1>")
  endif()
endif()
