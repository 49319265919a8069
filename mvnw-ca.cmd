@echo off
rem mvnw-ca.cmd: run Maven with a CodeArtifact token in its environment (Windows).
rem Uses the nearest mvnw.cmd from the current directory up to the project root,
rem else mvn on PATH (override with CA_HELPER_MVN). ca-helper exec fetches the
rem token, puts it in CODEARTIFACT_AUTH_TOKEN, runs Maven and returns its exit
rem code; Maven is never started without a token.
rem
rem The search stops at the project root, because a mvnw.cmd above it belongs to
rem whoever could write there and would receive the token: the root is the
rem nearest directory holding .mvn\ (as Maven finds it), else the nearest
rem holding .git (the top of the work tree), else the current directory. Unlike
rem mvnw-ca on Unix, this script cannot check who owns mvnw.cmd or who may write
rem to its directory (cmd has no portable way to read owners and ACLs); in a
rem directory others can write to, set CA_HELPER_MVN to the Maven you trust.
setlocal
set "CA=%CA_HELPER_BIN%"
if "%CA%"=="" if exist "%~dp0ca-helper.exe" set "CA=%~dp0ca-helper.exe"
if "%CA%"=="" set "CA=ca-helper"
set "MVN=%CA_HELPER_MVN%"
if not "%MVN%"=="" goto run
rem Directories are kept without a trailing backslash, so C:\ is C:.
set "HERE=%CD%"
if "%HERE:~-1%"=="\" set "HERE=%HERE:~0,-1%"
call :nearest ".mvn\"
if not defined FOUND call :nearest ".git"
set "ROOT=%FOUND%"
if not defined ROOT set "ROOT=%HERE%"
set "DIR=%HERE%"
:search
if exist "%DIR%\mvnw.cmd" if not exist "%DIR%\mvnw.cmd\" (
  set "MVN=%DIR%\mvnw.cmd"
  goto run
)
if /i "%DIR%"=="%ROOT%" goto usepath
for %%I in ("%DIR%\..") do set "PARENT=%%~fI"
if "%PARENT:~-1%"=="\" set "PARENT=%PARENT:~0,-1%"
if /i "%PARENT%"=="%DIR%" goto usepath
set "DIR=%PARENT%"
goto search
:usepath
set "MVN=mvn"
:run
"%CA%" exec -- "%MVN%" %*
exit /b %ERRORLEVEL%

rem nearest NAME: set FOUND to the nearest directory from HERE upward that
rem holds NAME (a trailing \ asks for a directory), else to nothing.
:nearest
set "FOUND=%HERE%"
:nearestup
if exist "%FOUND%\%~1" exit /b 0
for %%I in ("%FOUND%\..") do set "PARENT=%%~fI"
if "%PARENT:~-1%"=="\" set "PARENT=%PARENT:~0,-1%"
if /i "%PARENT%"=="%FOUND%" (
  set "FOUND="
  exit /b 0
)
set "FOUND=%PARENT%"
goto nearestup
