@echo off
rem Loads a kernel driver with sc.exe, for machines where minwdmctl.exe cannot run.
rem   load.cmd <driver.sys> [service-name]      (elevated prompt; default name: minwdm)
rem Safe to run twice: an installed service gets the new image path, a running one stays.
setlocal
if "%~1"=="" (
    echo usage: load.cmd ^<driver.sys^> [service-name]
    exit /b 2
)
set "image=%~f1"
set "name=%~2"
if "%name%"=="" set "name=minwdm"
if not exist "%image%" (
    echo load.cmd: %image% does not exist
    exit /b 3
)
sc.exe query "%name%" >nul 2>&1
if errorlevel 1 (
    sc.exe create "%name%" type= kernel start= demand error= normal binpath= "%image%" >nul
) else (
    sc.exe config "%name%" type= kernel binpath= "%image%" >nul
)
rem sc.exe create can report failure even when it worked (Wine): trust sc query instead.
sc.exe query "%name%" >nul 2>&1
if errorlevel 1 (
    echo load.cmd: could not create the service %name%: run from an elevated prompt
    exit /b 4
)
sc.exe query "%name%" | find "RUNNING" >nul
if not errorlevel 1 (
    echo load.cmd: %name% already running
    exit /b 0
)
sc.exe start "%name%" >nul
sc.exe query "%name%" | find "RUNNING" >nul
if errorlevel 1 (
    echo load.cmd: %name% did not start: sc start "%name%" shows the Win32 error
    exit /b 5
)
echo load.cmd: %name% running from %image%
exit /b 0
