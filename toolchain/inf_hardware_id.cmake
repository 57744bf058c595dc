# _minwdm_inf_hardware_id(<inf> <out_var>): add_wdm_test's default HARDWARE_ID for a driver with
# an INF. Loaded by minwdm.cmake; tested alone by host.inf_hardware_id (cmake -P).
include_guard(GLOBAL)

# The hardware id of an INF's (or .inx's) first model: the models section its [Manufacturer]
# entry names (the NTamd64 one, else the undecorated one), that section's first device line,
# its first id. "" when there is none.
# The text of the section whose header starts at <at> in <text>, header included, up to the next.
function(_minwdm_inf_section text at out)
  string(SUBSTRING "${text}" ${at} -1 rest)
  string(FIND "${rest}" "\n[" next)
  if(next GREATER -1)
    string(SUBSTRING "${rest}" 0 ${next} rest)
  endif()
  set(${out} "${rest}" PARENT_SCOPE)
endfunction()

function(_minwdm_inf_hardware_id inf out)
  set(${out} "" PARENT_SCOPE)
  file(READ "${inf}" text)
  string(REGEX REPLACE ";[^\n]*" "" text "${text}") # comments (a hardware id has no ';')
  string(REPLACE "\r" "" text "${text}")
  string(REPLACE "$ARCH$" "amd64" text "${text}")
  string(TOLOWER "${text}" lower) # section names ignore case
  string(FIND "${lower}" "[manufacturer]" at)
  if(at LESS 0)
    return()
  endif()
  _minwdm_inf_section("${lower}" ${at} rest)
  if(NOT rest MATCHES "\n[^\n=[]*=([^\n]*)")
    return()
  endif()
  string(REPLACE "," ";" fields "${CMAKE_MATCH_1}")
  list(POP_FRONT fields models)
  string(STRIP "${models}" section)
  foreach(decoration IN LISTS fields)
    string(STRIP "${decoration}" decoration)
    if(decoration MATCHES "^ntamd64")
      set(section "${section}.${decoration}")
      break()
    endif()
  endforeach()
  string(FIND "${lower}" "[${section}]" at)
  if(at LESS 0)
    return()
  endif()
  _minwdm_inf_section("${text}" ${at} rest) # the id as the INF spells it
  if(rest MATCHES "\n[^\n=[]*=[^,\n]*,([^,\n]*)")
    string(STRIP "${CMAKE_MATCH_1}" id)
    set(${out} "${id}" PARENT_SCOPE)
  endif()
endfunction()
