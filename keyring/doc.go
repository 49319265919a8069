// Package keyring stores CodeArtifact authorization tokens until shortly before
// they expire.
//
// A Store has one of four backends: "keyring" (the OS keyring through
// zalando/go-keyring: macOS Keychain, Windows Credential Manager, the Secret
// Service on Linux, where Get speaks D-Bus itself to save round trips and
// leaves the unusual cases to go-keyring), "file" (one 0600 file per key in
// a private 0700 directory), "none" (caching off) and "auto", which uses the
// keyring when it answers within a short timeout and files otherwise.
//
// Every value is the JSON document
//
//	{"v":1,"token":"…","expiration":"RFC3339","fetched":"RFC3339"}
//
// and anything else found in storage is a cache miss that the next Set
// replaces. Tokens are held in the Token type, which never prints itself.
//
// The cache dir also holds index.json (0600): key ID, label, backend and
// expiration of every entry, never a token. It gives labels, and it is the
// only listing of keyring entries on macOS and Windows, where go-keyring
// cannot list items. On the Secret Service, List searches the keyring by
// the service attribute, so entries are found after a logout wiped the
// index with XDG_RUNTIME_DIR; DeleteAll removes every item of the service on
// every platform, whatever the index says. Temp files that a write killed
// before its rename left in the dir (they may hold a token) are counted by
// Leftovers and removed by every write and by SweepLeftovers. Every keyring
// call runs under a timeout, so a hung or locked
// keyring never hangs a build; on Linux and the BSDs the keyring is not
// touched at all when DBUS_SESSION_BUS_ADDRESS is empty, because go-keyring
// would try to autolaunch a session bus.
//
// When an "auto" store gives the keyring up, it reports a KeyringUnavailable
// event whose warning names the class of cause (CauseOf: session bus
// unreachable, no Secret Service, locked, no answer, other) and how to
// choose files instead. Commands that run on every build wrap their report
// in OncePerDay, which tells each class once in 24 hours: it keeps a marker
// per class, keyring-fallback-<class>.warned (0600, the time of the warning
// and nothing else), in the private cache dir. A dir that is not private
// gets no marker, and the warning every time. SweepLeftovers removes the
// markers too.
//
// Lock gives single flight between processes that want the same key.
package keyring
