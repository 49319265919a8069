// Command ca-helper prints AWS CodeArtifact tokens, cached in the OS keyring.
package main

import (
	"context"
	"os"

	"github.com/ca-helper/ca-helper/helper"
)

func main() {
	ctx, stop := helper.SignalContext(context.Background())
	code := helper.Run(ctx, os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
