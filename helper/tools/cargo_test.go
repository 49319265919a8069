package tools

import (
	"errors"
	"strings"
	"testing"
)

const (
	cargoEndpoint = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/cargo/releases/"
	cargoTable    = "[registries.releases]\nindex = \"sparse+" + cargoEndpoint + "\"\ncredential-provider = \"ca-helper\"\n"
	cargoIdx      = "index = \"sparse+" + cargoEndpoint + "\""
	cargoProv     = "credential-provider = \"ca-helper\""
)

func TestCargoMerge(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "<nil>": no file
		want     string
		changes  int
	}{
		{name: "new file", existing: "<nil>", want: cargoTable, changes: 3},
		{name: "empty file", existing: "", want: cargoTable, changes: 3},
		{name: "other tables and comments kept byte for byte",
			existing: "# mine\n[net]\nretry = 3 # comment\n\n[registries.other]\nindex = \"sparse+https://x.example/\"",
			want:     "# mine\n[net]\nretry = 3 # comment\n\n[registries.other]\nindex = \"sparse+https://x.example/\"\n\n" + cargoTable, changes: 3},
		{name: "table present: other keys kept, missing ones added after its last key",
			existing: "[registries.releases]\ntoken-from = 1 # keep\n\n[net]\nretry = 2\n",
			want:     "[registries.releases]\ntoken-from = 1 # keep\n" + cargoIdx + "\n" + cargoProv + "\n\n[net]\nretry = 2\n", changes: 2},
		{name: "old index and provider replaced in place",
			existing: "[ registries . \"releases\" ]  # ours\nindex='sparse+https://old.example/'\ncredential-provider = \"cargo:token\"\nprotocol = \"sparse\"\n",
			want:     "[ registries . \"releases\" ]  # ours\n" + cargoIdx + "\n" + cargoProv + "\nprotocol = \"sparse\"\n", changes: 2},
		{name: "already set up: identical",
			existing: "a = 1\r\n[registries.releases]\nindex = \"sparse+" + cargoEndpoint + "\" # c\ncredential-provider = 'ca-helper'",
			want:     "a = 1\r\n[registries.releases]\nindex = \"sparse+" + cargoEndpoint + "\" # c\ncredential-provider = 'ca-helper'"},
		{name: "CRLF file gets CRLF lines",
			existing: "[net]\r\nretry = 3\r\n",
			want:     "[net]\r\nretry = 3\r\n\r\n" + strings.ReplaceAll(cargoTable, "\n", "\r\n"), changes: 3},
		{name: "a sub-table of the same name is another table",
			existing: "[registries]\nother = { index = \"sparse+https://x.example/\" }\n",
			want:     "[registries]\nother = { index = \"sparse+https://x.example/\" }\n\n" + cargoTable, changes: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var existing []byte
			if tt.existing != "<nil>" {
				existing = []byte(tt.existing)
			}
			r := Registry{Endpoint: cargoEndpoint, Name: "releases"}
			out, rep, err := cargoConfig{}.Merge(existing, r)
			if err != nil || string(out) != tt.want || len(rep.Changes) != tt.changes {
				t.Fatalf("Merge = %v, %d changes %+v\n got %q\nwant %q", err, len(rep.Changes), rep.Changes, out, tt.want)
			}
			again, rep, err := cargoConfig{}.Merge(out, r)
			if err != nil || string(again) != string(out) || len(rep.Changes) != 0 {
				t.Fatalf("second merge changed the file (%v, %+v):\n%q", err, rep.Changes, again)
			}
		})
	}
}

func TestCargoMergeRefuses(t *testing.T) {
	tests := []struct{ name, existing, want string }{
		{"dotted keys at top level", "registries.releases.index = \"sparse+https://x/\"\n", "edit it by hand"},
		{"inline table at top level", "registries = { releases = { index = \"x\" } }\n", "edit it by hand"},
		{"dotted keys in [registries]", "[registries]\nreleases.index = \"x\"\n", "edit it by hand"},
		{"inline table in [registries]", "[registries]\nreleases = { index = \"x\" }\n", "edit it by hand"},
		{"multi-line string hides a header", "x = \"\"\"\n[registries.releases]\n\"\"\"\n", "edit it by hand"},
		{"not TOML", "[net\nretry = 3\n", "no ]"},
		{"not TOML either", "a = \n", "not valid TOML"},
		{"NUL byte", "a = 1\x00\n", "NUL"},
		{"not UTF-8", "a = \"\xff\"\n", "UTF-8"},
		{"too big", "#" + strings.Repeat("x", MaxConfigSize), "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := cargoConfig{}.Merge([]byte(tt.existing), Registry{Endpoint: cargoEndpoint, Name: "releases"})
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Merge = %v, want ErrMalformed mentioning %q", err, tt.want)
			}
		})
	}
	for _, r := range []Registry{{Endpoint: cargoEndpoint, Name: "my.repo"}, {Endpoint: cargoEndpoint, Name: ""},
		{Endpoint: "https://x.example/cargo/r", Name: "r"}, {Endpoint: "https://x.example/\"r/", Name: "r"}} {
		if _, _, err := (cargoConfig{}).Merge(nil, r); err == nil || errors.Is(err, ErrMalformed) {
			t.Errorf("Merge(%+v) = %v, want a refusal of the name or endpoint", r, err)
		}
	}
}
