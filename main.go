// Command ca-helper prints AWS CodeArtifact tokens, cached in the OS keyring.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ca-helper/ca-helper/helper"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := helper.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
