// Package secretservice reads one secret from the Secret Service
// (org.freedesktop.secrets) over D-Bus in fewer round trips than go-keyring,
// and answers as go-keyring's Get would: package keyring uses its Get instead
// of go-keyring's on the platforms where go-keyring speaks D-Bus. Users lists
// the items go-keyring stored under a service, which go-keyring cannot. On
// other platforms the package is empty.
package secretservice
