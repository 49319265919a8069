// Command ca-helper prints AWS CodeArtifact tokens, cached in the OS keyring.
package main

import (
	"context"
	"os"

	"github.com/ca-helper/ca-helper/helper/command"
	"github.com/ca-helper/ca-helper/helper/interrupt"
)

func main() {
	ctx, stop := interrupt.SignalContext(context.Background())
	code := command.Run(ctx, command.OS(), os.Args)
	stop()
	os.Exit(code)
}
