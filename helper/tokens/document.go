package tokens

import (
	"time"

	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/keyring"
)

// Document is the JSON form of a token (`get --format json`), which
// CA_HELPER_TOKEN_FILE reads back.
type Document struct {
	Token      string         `json:"token"`
	Expiration string         `json:"expiration"`
	Target     DocumentTarget `json:"target"`
}

type DocumentTarget struct {
	Domain     string `json:"domain"`
	Owner      string `json:"domain_owner,omitempty"`
	Region     string `json:"region,omitempty"`
	Profile    string `json:"profile,omitempty"`
	Repository string `json:"repository,omitempty"`
	Name       string `json:"name,omitempty"`
}

// NewDocument is the document of e, a token for t. It holds the token
// itself: write it only where the token belongs.
func NewDocument(e keyring.Entry, t target.Target) Document {
	return Document{Token: e.Token.Reveal(), Expiration: e.Expiration.UTC().Format(time.RFC3339),
		Target: DocumentTarget{t.Domain, t.Owner, t.Region, t.Profile, t.Repository, t.Name}}
}
