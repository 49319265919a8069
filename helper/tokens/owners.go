package tokens

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
	"github.com/ca-helper/ca-helper/keyring/privfile"
)

// accountTTL is how long the caller's account, once learned, is reused: as
// long as a token lives. Who the caller is changes with the inputs the cache
// file is named after, not with time, so this only bounds a profile edited
// in place.
const accountTTL = 12 * time.Hour

// allowed reports whether the owner of t, the target of a request for host,
// is one the credential helpers serve (target.Owners), and says on stderr
// why not when it is not: git, Cargo and Bazel then go on as for any host
// that is not ours.
func (h Hosts) allowed(ctx context.Context, host string, t target.Target, o target.Options) (bool, error) {
	owners, err := target.ResolveOwners(h.In)
	if err != nil {
		return false, err
	}
	ok, err := owners.Allowed(t.Owner, func() (string, error) { return h.callerAccount(ctx, t, o) })
	if err != nil || ok {
		return ok, err
	}
	h.Env.Warn(fmt.Sprintf("no token for %s: domain owner %s is not allowed (allowed: %s); if you trust that account, "+
		"name it as domain_owner of a config target, or list every owner to serve in allowed_owners of the config file or in %s",
		failure.Printable(host), t.Owner, owners, target.AllowedOwnersEnv))
	return false, nil
}

// callerAccount is the account of the credentials t is fetched with: from
// the file next to the token cache, else from STS GetCallerIdentity
// (through ca-helper-aws), then kept there for accountTTL. With
// CA_HELPER_TOKEN_FILE, where no AWS call is made, it is the owner the
// token file names.
func (h Hosts) callerAccount(ctx context.Context, t target.Target, o target.Options) (string, error) {
	if path := h.Env.Getenv("CA_HELPER_TOKEN_FILE"); path != "" {
		return tokenFileOwner(path)
	}
	c := newAccountCache(h.Env, t, o)
	if account, ok := c.get(); ok {
		h.Env.Debugf("caller's account %s, learned before", account)
		return account, nil
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout+2*time.Second)
	defer cancel()
	account, err := h.Env.AWS.Account(ctx, awsproc.Request{Region: t.Region, Profile: t.Profile, Timeout: o.Timeout})
	if err != nil {
		code, hint := failure.Classify(err)
		return "", failure.Wrap(code, hint+"; or name "+t.Owner+" as domain_owner of a config target or in CODEARTIFACT_DOMAIN_OWNER, which needs no STS call",
			fmt.Errorf("learn the caller's account to check domain owner %s: %w", t.Owner, err))
	}
	if !names.Account(account) {
		return "", failure.Wrap(failure.Runtime, awsproc.UnexpectedHint, fmt.Errorf("STS named no 12-digit caller account"))
	}
	h.Env.Debugf("caller's account %s, from STS GetCallerIdentity", account)
	c.put(account)
	return account, nil
}

// tokenFileOwner is the domain owner the CA_HELPER_TOKEN_FILE document
// names, "" when it names none.
func tokenFileOwner(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", failure.Wrap(failure.Runtime, tokenFileHint, fmt.Errorf("read token file: %w", err))
	}
	defer f.Close()
	var doc Document
	if err := json.NewDecoder(io.LimitReader(f, 64<<10)).Decode(&doc); err != nil {
		return "", failure.Wrap(failure.Runtime, tokenFileHint, fmt.Errorf("token file %s is not a ca-helper JSON token: %v", path, jsonProblem(err)))
	}
	return doc.Target.Owner, nil
}

// accountCache keeps the caller's account in the token cache directory, as
// the file cache keeps tokens: the directory private to the user, the file
// 0600 and never read through a symlink. The account is no secret, but a
// file others could write would widen the allow-list. dir "" (--cache none)
// keeps nothing.
type accountCache struct {
	dir, name string
	now       func() time.Time
	debugf    func(string, ...any)
}

type accountFile struct {
	V       int       `json:"v"`
	Account string    `json:"account"`
	Expires time.Time `json:"expires"`
}

// newAccountCache names the file after what decides who the caller is: the
// profile and the environment that changes credentials or the STS endpoint.
func newAccountCache(env Env, t target.Target, o target.Options) accountCache {
	c := accountCache{now: env.Now, debugf: env.Debugf}
	if o.Cache == "none" {
		return c
	}
	dir, err := keyring.DefaultDir(env.Getenv)
	if err != nil {
		return c
	}
	h := sha256.New()
	for _, v := range []string{t.Profile, env.Getenv("AWS_ACCESS_KEY_ID"), env.Getenv("AWS_ROLE_ARN"),
		env.Getenv("AWS_ENDPOINT_URL"), env.Getenv("AWS_ENDPOINT_URL_STS"), env.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
		env.Getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"), env.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE"),
		env.Getenv("AWS_CONFIG_FILE"), env.Getenv("AWS_SHARED_CREDENTIALS_FILE")} {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	// Not .json: the file cache lists *.json as tokens.
	c.dir, c.name = dir, "caller-"+hex.EncodeToString(h.Sum(nil))[:16]+".account"
	return c
}

// get is the cached account; ok=false when there is none still valid.
func (c accountCache) get() (string, bool) {
	if c.dir == "" || privfile.CheckDir(c.dir) != nil {
		return "", false
	}
	b, err := privfile.ReadCapped(filepath.Join(c.dir, c.name), 4<<10)
	if err != nil {
		return "", false
	}
	var f accountFile
	now := c.now()
	if json.Unmarshal(b, &f) != nil || f.V != 1 || !names.Account(f.Account) ||
		!f.Expires.After(now) || f.Expires.After(now.Add(accountTTL)) {
		return "", false
	}
	return f.Account, true
}

// put stores account; a failure only costs an STS call next time.
func (c accountCache) put(account string) {
	if c.dir == "" {
		return
	}
	b, _ := json.Marshal(accountFile{V: 1, Account: account, Expires: c.now().Add(accountTTL).UTC()})
	err := os.MkdirAll(c.dir, 0o700)
	if err == nil {
		err = privfile.CheckDir(c.dir)
	}
	if err == nil {
		err = privfile.WriteAtomic(c.dir, c.name, b)
	}
	if err != nil {
		c.debugf("could not keep the caller's account in %s: %v", c.dir, err)
	}
}

// ForgetCallerAccounts removes the callers' accounts kept in the cache dir
// dir, so the next owner check asks STS again (erase --all). A dir that is
// not private is left alone, as the token cache leaves it.
func ForgetCallerAccounts(dir string) error {
	if dir == "" || privfile.CheckDir(dir) != nil {
		return nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "caller-*.account"))
	if err != nil {
		return fmt.Errorf("find kept caller accounts: %w", err)
	}
	var errs []error
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("forget kept caller accounts: %w", err)
	}
	return nil
}
