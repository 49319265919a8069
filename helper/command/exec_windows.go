//go:build windows

package command

import "os"

var forwardedSignals = []os.Signal{os.Interrupt}

func childExitCode(ps *os.ProcessState) int { return ps.ExitCode() }
