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
	"syscall"

	"github.com/ca-helper/ca-helper/helper"
	"github.com/ca-helper/ca-helper/helper/awsca"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx)
	stop()
	os.Exit(code)
}

func run(ctx context.Context) int {
	client := awsca.New()
	if len(os.Args) == 2 && os.Args[1] == "--serve" {
		if err := awsca.Serve(ctx, client, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "ca-helper: error: %v\n", err)
			return 1
		}
		return 0
	}
	return helper.RunWith(ctx, client, os.Args, os.Stdin, os.Stdout, os.Stderr)
}
