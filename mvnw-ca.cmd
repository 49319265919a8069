@echo off
rem mvnw-ca.cmd: run Maven with a CodeArtifact token in its environment (Windows).
rem Uses the nearest mvnw.cmd upward from the current directory, else mvn on PATH
rem (override with CA_HELPER_MVN). ca-helper exec fetches the token, puts it in
rem CODEARTIFACT_AUTH_TOKEN, runs Maven and returns its exit code; Maven is never
rem started without a token.
setlocal
set "CA=%CA_HELPER_BIN%"
if "%CA%"=="" if exist "%~dp0ca-helper.exe" set "CA=%~dp0ca-helper.exe"
if "%CA%"=="" set "CA=ca-helper"
set "MVN=%CA_HELPER_MVN%"
if not "%MVN%"=="" goto run
set "DIR=%CD%"
:search
if exist "%DIR%\mvnw.cmd" (
  set "MVN=%DIR%\mvnw.cmd"
  goto run
)
for %%I in ("%DIR%\..") do set "PARENT=%%~fI"
if /i "%PARENT%"=="%DIR%" goto usepath
set "DIR=%PARENT%"
goto search
:usepath
set "MVN=mvn"
:run
"%CA%" exec -- "%MVN%" %*
exit /b %ERRORLEVEL%
