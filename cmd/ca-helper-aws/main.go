// Command ca-helper-aws is ca-helper with the AWS SDK linked in. ca-helper runs
// it as `ca-helper-aws --serve` for each call to AWS (a token, an endpoint), so a
// cached `get` never pays for the SDK; run with other arguments it is the whole
// CLI, which is how `ca-helper doctor` runs.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/ca-helper/ca-helper/helper/awsca"
	"github.com/ca-helper/ca-helper/helper/command"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx)
	stop()
	os.Exit(code)
}

// serveMemoryLimit is the heap size at which --serve collects garbage after all.
const serveMemoryLimit = 64 << 20

func run(ctx context.Context) int {
	client := awsca.New()
	if len(os.Args) == 2 && os.Args[1] == "--serve" {
		// One request, then exit: collecting garbage would only cost time
		// (~1 ms of a ~12 ms cold get). The limit keeps a runaway answer
		// bounded; the collector starts again past it.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(serveMemoryLimit)
		if err := awsca.Serve(ctx, client, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "ca-helper: error: %v\n", err)
			return 1
		}
		return 0
	}
	return command.RunWith(ctx, client, os.Args, os.Stdin, os.Stdout, os.Stderr)
}
