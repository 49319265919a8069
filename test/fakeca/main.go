// Command fakeca runs the fake CodeArtifact service of package fake on its
// own, for scripts and manual demos:
//
//	go run ./test/fakeca -addr 127.0.0.1:8931 -upstream /usr/share/maven-repo -log
//
// It prints "fakeca listening on http://ADDR" to stdout once it accepts
// connections and runs until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run serves until ctx ends; it returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, addr, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "fakeca: error: %v\n", err)
		return 2
	}
	srv := fake.New(opts.Options)
	srv.SetFault(opts.fault)
	url, err := srv.StartOn(addr)
	if err != nil {
		fmt.Fprintf(stderr, "fakeca: error: %v\n", err)
		return 1
	}
	defer srv.Close()
	if opts.Logf != nil {
		opts.Logf("store %s", srv.StoreDir())
	}
	fmt.Fprintf(stdout, "fakeca listening on %s\n", url)
	<-ctx.Done()
	return 0
}

type cliOptions struct {
	fake.Options
	fault fake.Fault
}

func parseFlags(args []string, stderr io.Writer) (cliOptions, string, error) {
	var o cliOptions
	fs := flag.NewFlagSet("fakeca", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "`host:port` to listen on")
	fs.StringVar(&o.UpstreamDir, "upstream", "", "Maven repository `dir` served as the upstream (e.g. /usr/share/maven-repo)")
	fs.StringVar(&o.StoreDir, "store", "", "`dir` keeping uploads and upstream copies (default: a temporary dir removed on exit)")
	fs.DurationVar(&o.TokenTTL, "token-ttl", 0, "cap on token lifetime (0: as requested, 12h by default)")
	fs.DurationVar(&o.RepoDelay, "repo-delay", 0, "hold every repository request this long before answering (an emulated round trip)")
	logRequests := fs.Bool("log", false, "log requests to stderr (tokens shortened to 6 characters)")
	faultName := fs.String("fault", "none", "fault to inject into the API: "+strings.Join(kindNames(), ", "))
	fs.IntVar(&o.fault.Times, "fault-times", 0, "number of API calls the fault applies to (0: all)")
	fs.DurationVar(&o.fault.Delay, "fault-delay", 0, "delay of -fault slow, token lifetime of -fault short-lived")
	fs.StringVar(&o.fault.RetryAfter, "retry-after", "", "Retry-After header value of -fault throttle")
	fs.StringVar(&o.fault.Op, "fault-op", "", "limit the fault to GetAuthorizationToken or GetRepositoryEndpoint")
	fs.Func("secret", "`AKID=SECRET` to verify signatures with (repeatable; unknown keys are then refused)", func(v string) error {
		id, secret, ok := strings.Cut(v, "=")
		if !ok || id == "" {
			return fmt.Errorf("want AKID=SECRET")
		}
		if o.Secrets == nil {
			o.Secrets = map[string]string{}
		}
		o.Secrets[id] = secret
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return o, "", err
	}
	if fs.NArg() > 0 {
		return o, "", fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	kind, err := fake.ParseFaultKind(*faultName)
	if err != nil {
		return o, "", err
	}
	o.fault.Kind = kind
	if *logRequests {
		logger := log.New(stderr, "fakeca: ", log.Ltime|log.Lmicroseconds)
		o.Logf = logger.Printf
	}
	return o, *addr, nil
}

func kindNames() []string {
	var names []string
	for _, k := range fake.FaultKinds() {
		names = append(names, k.String())
	}
	return names
}
