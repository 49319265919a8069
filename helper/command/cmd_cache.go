package command

import (
	"fmt"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tokens"
	"github.com/ca-helper/ca-helper/keyring"
)

func eraseCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "erase",
		Usage: "forget the cached token of the target (--all: every token ca-helper cached)",
		Flags: append(cmdenv.TargetFlags(), cmdenv.CacheFlag(),
			&cli.BoolFlag{Name: "all", Usage: "erase every cached token"}, cmdenv.FormatFlag()),
		Action: func(c *cli.Context) error {
			format, err := cmdenv.TextOrJSON(c)
			if err != nil {
				return err
			}
			if c.Bool("all") {
				return eraseAll(e, c, format)
			}
			t, o, err := e.ResolveForCache(c)
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
			sweepLeftovers(e, svc.Dir)
			return writeErased(e.Stdout, format, svc.Store.Name(), []string{key.Label})
		},
	}
}

func eraseAll(e *cmdenv.Env, c *cli.Context, format string) error {
	svc, items, err := listCached(e, c)
	if err != nil {
		return err
	}
	// DeleteAll, not a Delete per item: the keyring may hold items that
	// neither the listing nor the index shows (macOS, Windows).
	if err := svc.Store.DeleteAll(); err != nil {
		return failure.Wrap(failure.Runtime, "check the cache backend with `ca-helper status`", fmt.Errorf("erase all cached tokens: %w", err))
	}
	labels := make([]string, 0, len(items))
	for _, it := range items {
		e.Debugf("erased %s", it.Key.Label)
		labels = append(labels, it.Key.Label)
	}
	if err := tokens.ForgetCallerAccounts(svc.Dir); err != nil {
		e.Warn(err.Error())
	}
	sweepLeftovers(e, svc.Dir)
	return writeErased(e.Stdout, format, svc.Store.Name(), labels)
}

// sweepLeftovers removes the temp files killed writes left in the cache
// dir; they may hold a token. A file it cannot remove is a warning: the
// entries themselves are erased.
func sweepLeftovers(e *cmdenv.Env, dir string) {
	if err := keyring.SweepLeftovers(dir); err != nil {
		e.Warn(err.Error())
	}
}

// listCached opens the store named by --cache/CA_HELPER_CACHE, without
// needing a target, and lists what it holds.
func listCached(e *cmdenv.Env, c *cli.Context) (*tokens.Service, []keyring.Item, error) {
	in := e.ReadInputs(c)
	o, err := target.ResolveCacheOption(in, target.Target{})
	if err != nil {
		return nil, nil, err
	}
	svc, err := tokens.Open(e.TokenEnv(), o)
	if err != nil {
		return nil, nil, err
	}
	items, err := svc.Store.List()
	if err != nil {
		return nil, nil, failure.Wrap(failure.Runtime, "check the cache dir permissions, and unlock the keyring (or use --cache file)", fmt.Errorf("list cached tokens: %w", err))
	}
	return svc, items, nil
}

func statusCommand(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "status",
		Usage: "list cached tokens: target, storage, time left (never the token)",
		Flags: []cli.Flag{cmdenv.CacheFlag(), cmdenv.DebugFlag(), cmdenv.FormatFlag()},
		Action: func(c *cli.Context) error {
			format, err := cmdenv.TextOrJSON(c)
			if err != nil {
				return err
			}
			svc, items, err := listCached(e, c)
			if err != nil {
				return err
			}
			sort.Slice(items, func(i, j int) bool { return items[i].Key.Label < items[j].Key.Label })
			if format == "json" {
				err = writeStatusJSON(e.Stdout, svc.Store.Name(), items, e.Now())
			} else {
				err = writeStatusText(e, svc.Store.Name(), items)
			}
			if err != nil {
				return err
			}
			if n := keyring.Leftovers(svc.Dir); n > 0 {
				fmt.Fprintf(e.Stderr, "ca-helper: %s left in %s by interrupted cache writes (they may hold a token) will be removed by the next erase or the next get that writes the cache\n",
					plural(n, "temporary file"), svc.Dir)
			}
			return nil
		},
	}
}

// plural is "1 thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
