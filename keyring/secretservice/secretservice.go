//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package secretservice

import (
	"errors"
	"fmt"
	"sort"

	"github.com/godbus/dbus/v5"
	gokeyring "github.com/zalando/go-keyring"
	ss "github.com/zalando/go-keyring/secret_service"
)

// The Secret Service (org.freedesktop.secrets) names go-keyring uses.
const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = "/org/freedesktop/secrets"
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	// ssLogin is the collection go-keyring uses when the service has it
	// (gnome-keyring's login keyring); otherwise go-keyring uses the
	// "default" alias, and so does Get, through go-keyring.
	ssLogin = "/org/freedesktop/secrets/collection/login"
)

// ssSecret is the Secret Service's Secret struct, (oayays).
type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// errSlowPath: the Secret Service is not in the state Get handles (no login
// collection, a locked collection or item); go-keyring must do the Get, with
// its unlock prompts and alias lookup.
var errSlowPath = errors.New("not the plain case")

// Get returns the secret go-keyring's Set stored for service and user: the
// first item of the login collection whose attributes "service" and
// "username" match. go-keyring's own Get makes seven calls one after the
// other (find the collection, unlock it, search it, open a session, unlock
// the item, get the secret, close the session); this one sends Hello, the
// search and OpenSession at once, then GetSecret, and ends the session by
// closing its private connection. Anything but an unlocked login collection
// goes to go-keyring, so the result is what go-keyring would return: its Get
// unlocks (or prompts) and knows other collections, and a missing item is
// go-keyring's ErrNotFound.
func Get(service, user string) (string, error) {
	v, err := read(service, user)
	if errors.Is(err, errSlowPath) {
		return gokeyring.Get(service, user)
	}
	return v, err
}

// read is Get without the go-keyring fallback: it returns an error wrapping
// errSlowPath where go-keyring must take over.
func read(service, user string) (string, error) {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return "", fmt.Errorf("connect to the session bus: %w", err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return "", fmt.Errorf("authenticate to the session bus: %w", err)
	}
	// Hello is not awaited before the next calls: the bus handles a
	// connection's messages in order, so they follow the registration.
	hello := conn.BusObject().Go("org.freedesktop.DBus.Hello", 0, nil)
	svc, coll := conn.Object(ssName, ssPath), conn.Object(ssName, ssLogin)
	search := coll.Go(ssCollection+".SearchItems", 0, nil, map[string]string{"service": service, "username": user})
	session := svc.Go(ssService+".OpenSession", 0, nil, "plain", dbus.MakeVariant(""))
	if err := (<-hello.Done).Err; err != nil {
		return "", fmt.Errorf("register on the session bus: %w", err)
	}
	var items []dbus.ObjectPath
	if err := storeReply(<-search.Done, "search the login collection", &items); err != nil {
		return "", err
	}
	var algOutput dbus.Variant
	var sessionPath dbus.ObjectPath
	if err := storeReply(<-session.Done, "open a session", &algOutput, &sessionPath); err != nil {
		return "", err
	}
	if len(items) == 0 {
		return "", notFoundUnlessLocked(coll)
	}
	// A locked item answers IsLocked, an error reply: go-keyring unlocks it.
	var s ssSecret
	if err := storeReply(conn.Object(ssName, items[0]).Call(ssItem+".GetSecret", 0, sessionPath), "get the secret", &s); err != nil {
		return "", err
	}
	return string(s.Value), nil
}

// notFoundUnlessLocked tells a missing item from a locked collection, which
// may hide it and which go-keyring would try to unlock: a miss costs this
// extra call, a hit does not.
func notFoundUnlessLocked(coll dbus.BusObject) error {
	var locked bool
	if err := storeReply(coll.Call("org.freedesktop.DBus.Properties.Get", 0, ssCollection, "Locked"), "read the login collection's lock", &locked); err != nil {
		return err
	}
	if locked {
		return fmt.Errorf("login collection: %w (locked)", errSlowPath)
	}
	return gokeyring.ErrNotFound
}

// storeReply stores a call's reply in dst. An error reply from the Secret
// Service (no such collection, item locked, …) is errSlowPath; a broken
// connection or a reply of the wrong type is an error.
func storeReply(c *dbus.Call, what string, dst ...any) error {
	var reply dbus.Error
	if errors.As(c.Err, &reply) {
		return fmt.Errorf("%s: %w (%s)", what, errSlowPath, reply.Name)
	}
	if err := c.Store(dst...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Users returns the user names of every item go-keyring's Set stored under
// service: the items its DeleteAll(service) removes, found as it finds them
// (a search by the "service" attribute in the login collection, else the
// "default" alias, unlocked first), read from their "username" attribute.
// Package keyring lists its entries with it when index.json is gone.
func Users(service string) ([]string, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, fmt.Errorf("connect to the session bus: %w", err)
	}
	coll := svc.GetLoginCollection()
	if err := svc.Unlock(coll.Path()); err != nil {
		return nil, fmt.Errorf("unlock %s: %w", coll.Path(), err)
	}
	items, err := svc.SearchItems(coll, map[string]string{"service": service})
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", coll.Path(), err)
	}
	seen := map[string]bool{}
	for _, item := range items {
		v, err := svc.Object(ssName, item).GetProperty(ssItem + ".Attributes")
		if err != nil {
			return nil, fmt.Errorf("read the attributes of %s: %w", item, err)
		}
		if attrs, ok := v.Value().(map[string]string); ok && attrs["service"] == service && attrs["username"] != "" {
			seen[attrs["username"]] = true
		}
	}
	users := make([]string, 0, len(seen))
	for u := range seen {
		users = append(users, u)
	}
	sort.Strings(users)
	return users, nil
}
