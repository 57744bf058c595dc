# Moves the DWARF of a GCC-built driver into a file of its own (see symbols.cmake):
#   cmake -DOBJCOPY=<objcopy> -DIMAGE=<linker output> -DDEBUG_FILE=<dir>/<name>.debug -P split-debug.cmake
# IMAGE keeps a .gnu_debuglink section naming DEBUG_FILE (its file name and CRC) and one COFF
# symbol, DriverEntry: the section's name is longer than 8 bytes, so it lives in the COFF string
# table, which Wine 8's dbghelp reads only when there is a symbol. On failure IMAGE is removed,
# so that the next build links it again instead of using a half-made image.
foreach(variable OBJCOPY IMAGE DEBUG_FILE)
  if(NOT ${variable})
    message(FATAL_ERROR "split-debug.cmake: ${variable} is not set")
  endif()
endforeach()
execute_process(COMMAND "${OBJCOPY}" --only-keep-debug "${IMAGE}" "${DEBUG_FILE}"
                RESULT_VARIABLE status)
if(status EQUAL 0)
  execute_process(COMMAND "${OBJCOPY}" --strip-all --keep-symbol=DriverEntry
                          "--add-gnu-debuglink=${DEBUG_FILE}" "${IMAGE}"
                  RESULT_VARIABLE status)
endif()
if(NOT status EQUAL 0)
  file(REMOVE "${IMAGE}" "${DEBUG_FILE}")
  message(FATAL_ERROR "split-debug.cmake: objcopy failed (${status}) on ${IMAGE}")
endif()
