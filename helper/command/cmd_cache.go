package command

import (
	"fmt"
	"sort"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/safetext"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

func eraseCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "erase",
		Usage: "forget the cached token of the target (--all: every token ca-helper cached)",
		Flags: append(append(cmdenv.TargetFlags(), cmdenv.TokenFlags()...),
			&cli.BoolFlag{Name: "all", Usage: "erase every cached token"}),
		Action: func(c *cli.Context) error {
			if c.Bool("all") {
				return eraseAll(e, c)
			}
			t, o, err := e.Resolve(c)
			if err != nil {
				return err
			}
			svc, err := tokens.Open(e.TokenEnv(), o)
			if err != nil {
				return err
			}
			key := tokens.CacheKey(t, e.Getenv)
			if err := svc.Store.Delete(key); err != nil {
				return failure.Wrap(failure.Runtime, "check the cache backend with `ca-helper status`", fmt.Errorf("erase %s: %w", key.Label, err))
			}
			e.Debugf("erased %s from %s", key.Label, svc.Store.Name())
			return nil
		},
	}
}

func eraseAll(e *cmdenv.Env, c *cli.Context) error {
	store, items, err := listCached(e, c)
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := store.Delete(it.Key); err != nil {
			return failure.Wrap(failure.Runtime, "check the cache backend with `ca-helper status`", fmt.Errorf("erase %s: %w", it.Key.Label, err))
		}
		e.Debugf("erased %s", it.Key.Label)
	}
	return nil
}

// listCached opens the store named by --cache/CA_HELPER_CACHE, without
// needing a target, and lists what it holds.
func listCached(e *cmdenv.Env, c *cli.Context) (keyring.Store, []keyring.Item, error) {
	in := e.ReadInputs(c)
	o, err := target.ResolveOptions(in, target.Target{})
	if err != nil {
		return nil, nil, err
	}
	svc, err := tokens.Open(e.TokenEnv(), o)
	if err != nil {
		return nil, nil, err
	}
	items, err := svc.Store.List()
	if err != nil {
		return nil, nil, failure.Wrap(failure.Runtime, "check the cache dir permissions", fmt.Errorf("list cached tokens: %w", err))
	}
	return svc.Store, items, nil
}

func statusCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "list cached tokens: target, storage, time left (never the token)",
		Flags: append(cmdenv.TargetFlags(), cmdenv.TokenFlags()...),
		Action: func(c *cli.Context) error {
			store, items, err := listCached(e, c)
			if err != nil {
				return err
			}
			if len(items) == 0 {
				fmt.Fprintf(e.Stderr, "ca-helper: no cached tokens (storage: %s)\n", store.Name())
				return nil
			}
			sort.Slice(items, func(i, j int) bool { return items[i].Key.Label < items[j].Key.Label })
			for _, it := range items {
				// The label was read back from the cache: print it safe.
				fmt.Fprintf(e.Stdout, "%s\t%s\t%s\n", safetext.Line(it.Key.Label), it.Backend, timeLeft(it.Expiration, e.Now()))
			}
			return nil
		},
	}
}

func timeLeft(exp, now time.Time) string {
	d := exp.Sub(now)
	if d <= 0 {
		return "expired"
	}
	return "expires in " + d.Round(time.Minute).String()
}
