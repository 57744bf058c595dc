@echo off
rem Stops and removes a kernel driver with sc.exe, for machines where minwdmctl.exe cannot run.
rem   unload.cmd [service-name]      (elevated prompt; default name: minwdm)
rem Safe to run twice: a stopped driver is only removed, an absent one is reported.
setlocal
set "name=%~1"
if "%name%"=="" set "name=minwdm"
sc.exe query "%name%" >nul 2>&1
if errorlevel 1 (
    echo unload.cmd: %name% is not installed
    exit /b 0
)
sc.exe query "%name%" | find "STOPPED" >nul
if errorlevel 1 sc.exe stop "%name%" >nul
sc.exe query "%name%" | find "STOPPED" >nul
if errorlevel 1 (
    echo unload.cmd: %name% did not stop: a driver without an unload routine stays until reboot
    exit /b 5
)
sc.exe delete "%name%" >nul
echo unload.cmd: %name% stopped and removed
exit /b 0
