# Prepares the certificate drivers are signed with (cmake -P, run once per build tree):
#  - without PFX: generates a test certificate: RSA 3072, SHA-256, "minwdm test signing",
#    extended key usage codeSigning, ten years; its private key stays in DIR, never elsewhere;
#  - with PFX (your own PKCS#12, password in PASSWORD_FILE if any): checks it can sign drivers.
# Either way DIR gets <NAME>.pem (the certificate, for osslsigncode verify), <NAME>.cer (DER, for
# certutil -addstore on Windows) and signing.pfx or a note of the PFX to use.
#   -DOPENSSL=<openssl> -DDIR=<dir> -DNAME=<base name> [-DPFX=<file> [-DPASSWORD_FILE=<file>]]
cmake_minimum_required(VERSION 3.20)
file(MAKE_DIRECTORY "${DIR}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE failed OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(failed)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "signing: ${command} failed:\n${out}${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

set(pem "${DIR}/${NAME}.pem")
set(cer "${DIR}/${NAME}.cer")
if(PFX)
  if(PASSWORD_FILE)
    set(pass "file:${PASSWORD_FILE}")
  else()
    set(pass "pass:")
  endif()
  run("${OPENSSL}" pkcs12 -in "${PFX}" -passin "${pass}" -nokeys -clcerts -out "${pem}")
else()
  set(key "${DIR}/${NAME}.key")
  # The private key is readable by its owner only.
  file(REMOVE "${key}")
  file(TOUCH "${key}")
  file(CHMOD "${key}" PERMISSIONS OWNER_READ OWNER_WRITE)
  run("${OPENSSL}" req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes
      -keyout "${key}" -out "${pem}" -subj "/CN=minwdm test signing"
      -addext "extendedKeyUsage=codeSigning"
      -addext "keyUsage=critical,digitalSignature"
      -addext "basicConstraints=critical,CA:FALSE")
  run("${OPENSSL}" pkcs12 -export -inkey "${key}" -in "${pem}" -out "${DIR}/signing.pfx"
      -passout pass: -name "minwdm test signing")
  file(CHMOD "${DIR}/signing.pfx" PERMISSIONS OWNER_READ OWNER_WRITE)
endif()

# What Windows' kernel-mode code signing needs of the certificate, checked before any signing:
# an RSA key of 2048 bits or more, the code signing extended key usage and, when the certificate
# restricts its key's usage, the digital signature key usage. Each is read from its own part of
# the certificate (the public key info, one extension), never searched for in the whole text:
# a subject or issuer name may hold any words.
if(PFX)
  set(what "${PFX}")
else()
  set(what "the generated test certificate")
endif()
run("${OPENSSL}" x509 -in "${pem}" -noout -text -certopt
    no_header,no_version,no_serial,no_signame,no_validity,no_subject,no_issuer,no_extensions,no_sigdump,no_aux)
set(algorithm "unreadable")
set(bits 0)
if(out MATCHES "Public Key Algorithm: ([^\n]+)\n[ ]*([A-Z]+ )?Public-Key: [(]([0-9]+) bit[)]")
  set(algorithm "${CMAKE_MATCH_1}")
  set(bits "${CMAKE_MATCH_3}")
endif()
set(key "${algorithm}, ${bits} bits")
if(NOT algorithm STREQUAL "rsaEncryption" OR bits LESS 2048)
  message(FATAL_ERROR "signing: ${what}: the key must be RSA with 2048 bits or more (this one: "
                      "${key}): Windows refuses drivers signed with it (error 577)")
endif()
# `-ext` prints each extension asked for that the certificate has: a line `X509v3 <name>:
# [critical]`, then its values, indented and separated by ", " (OpenSSL 3.0 and 3.5 alike).
run("${OPENSSL}" x509 -in "${pem}" -noout -ext extendedKeyUsage,keyUsage)
set(section "")
set(eku "")
set(ku "")
set(has_ku FALSE)
string(REPLACE "\n" ";" lines "${out}")
foreach(line IN LISTS lines)
  if(line MATCHES "^X509v3 (Extended Key Usage|Key Usage):")
    set(section "${CMAKE_MATCH_1}")
    if(section STREQUAL "Key Usage")
      set(has_ku TRUE)
    endif()
  elseif(line MATCHES "^[ \t]+(.+)$")
    string(REPLACE ", " ";" values "${CMAKE_MATCH_1}")
    if(section STREQUAL "Extended Key Usage")
      list(APPEND eku ${values})
    elseif(section STREQUAL "Key Usage")
      list(APPEND ku ${values})
    endif()
  else()
    set(section "")
  endif()
endforeach()
set(eku_text "none")
if(eku)
  list(JOIN eku ", " eku_text)
endif()
if(NOT "Code Signing" IN_LIST eku)
  message(FATAL_ERROR "signing: ${what}: the certificate lacks the code signing extended key usage "
                      "(1.3.6.1.5.5.7.3.3; it has: ${eku_text}): Windows refuses drivers signed with it "
                      "(error 577). Use a code signing certificate.")
endif()
# No key usage extension leaves the key unrestricted (RFC 5280, 4.2.1.3); one that is there must
# allow digital signatures.
list(JOIN ku ", " ku_text)
if(has_ku AND NOT "Digital Signature" IN_LIST ku)
  message(FATAL_ERROR "signing: ${what}: the certificate's key usage does not allow digital "
                      "signatures (it allows: ${ku_text}): Windows refuses drivers signed with it "
                      "(error 577). Use a certificate with keyUsage digitalSignature.")
endif()
run("${OPENSSL}" x509 -in "${pem}" -outform DER -out "${cer}")
