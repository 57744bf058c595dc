# Runs a command and prints its output only when it fails (osslsigncode says "Succeeded" on
# every image it signs: noise in every build). Usage:
#   cmake -P quiet.cmake -- <command> [arguments...]
set(command)
set(take FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  if(take)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(take TRUE)
  endif()
endforeach()
execute_process(COMMAND ${command} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${out}failed (${rc}): ${command}")
endif()
