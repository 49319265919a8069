// Command ca-helper-aws is the half of ca-helper that links the AWS SDK.
// ca-helper runs it as `ca-helper-aws --serve` for each call to AWS (a token,
// an endpoint, the caller's account, the checks of `ca-helper doctor`), so a
// cached `get` never pays for the SDK. It has no command line of its own: it
// answers one request.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/ca-helper/ca-helper/helper/awsca"
	"github.com/ca-helper/ca-helper/helper/failure"
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
	client.DebugLog = os.Stderr // ca-helper passes it through safetext
	if len(os.Args) == 2 && os.Args[1] == "--serve" {
		// One request, then exit: collecting garbage would only cost time
		// (~1 ms of a ~12 ms cold get). The limit keeps a runaway answer
		// bounded; the collector starts again past it.
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(serveMemoryLimit)
		if err := awsca.Serve(ctx, client, os.Stdin, os.Stdout, runDoctor); err != nil {
			fmt.Fprintf(os.Stderr, "ca-helper: error: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintln(os.Stderr, "ca-helper-aws: error: this program answers requests from ca-helper only")
	fmt.Fprintln(os.Stderr, "ca-helper-aws: hint: run ca-helper instead (ca-helper --help)")
	return failure.Usage
}
