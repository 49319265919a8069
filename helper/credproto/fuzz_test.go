package credproto

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// The invariants every protocol keeps, whatever the input:
//   - it does not panic;
//   - on an error, git and Bazel write nothing;
//   - a token reaches the output only after the lookup accepted a host, and
//     a token the lookup returned with ok=false never does.
//
// The seed corpora are the files under testdata/fuzz/FuzzGit, FuzzCargo and
// FuzzBazel: real requests of each client, and the edge cases of the tests.

func FuzzGit(f *testing.F) {
	f.Fuzz(func(t *testing.T, action string, in []byte) {
		fk := fake{}
		var out bytes.Buffer
		err := Git(context.Background(), action, bytes.NewReader(in), &out, fk.lookup, fk.erase)
		got := out.String()
		if err != nil && got != "" {
			t.Fatalf("error %v with output %q", err, got)
		}
		if bytes.Contains(out.Bytes(), []byte(leaked)) {
			t.Fatalf("a token the lookup disowned was written: %q", got)
		}
		if got == "" {
			return
		}
		if action != "get" || fk.accepted != 1 || got != gitAnswer {
			t.Fatalf("action %q, %d accepted lookups, output %q", action, fk.accepted, got)
		}
		if !bytes.Contains(in, []byte("protocol=https")) || !bytes.Contains(bytes.ToLower(in), []byte("host="+fk.looked[0])) {
			t.Fatalf("answered %q for host %q", in, fk.looked[0])
		}
	})
}

func FuzzCargo(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		fk := fake{}
		var out bytes.Buffer
		if err := Cargo(context.Background(), bytes.NewReader(in), &out, fk.lookup, fk.erase); err != nil {
			t.Fatalf("Cargo() error = %v", err) // only r or w can fail, and these do not
		}
		lines := bytes.SplitAfter(out.Bytes(), []byte("\n"))
		if string(lines[0]) != hello || len(lines[len(lines)-1]) != 0 {
			t.Fatalf("output does not start with the hello or has an unfinished line: %q", out.String())
		}
		answers := lines[1 : len(lines)-1]
		if n := bytes.Count(in, []byte("\n")) + 1; len(answers) > n {
			t.Fatalf("%d answers to %d lines", len(answers), n)
		}
		for _, a := range answers {
			var v map[string]json.RawMessage
			if err := json.Unmarshal(a, &v); err != nil || len(v) != 1 || (v["Ok"] == nil && v["Err"] == nil) {
				t.Fatalf("answer is not {\"Ok\":…} or {\"Err\":…}: %q", a)
			}
		}
		if bytes.Contains(out.Bytes(), []byte(leaked)) {
			t.Fatalf("a token the lookup disowned was written: %q", out.String())
		}
		if bytes.Count(out.Bytes(), []byte(secret)) > fk.accepted {
			t.Fatalf("more tokens written than lookups accepted (%d): %q", fk.accepted, out.String())
		}
	})
}

func FuzzBazel(f *testing.F) {
	basicSecret := base64.StdEncoding.EncodeToString([]byte("aws:" + secret))
	basicLeaked := base64.StdEncoding.EncodeToString([]byte("aws:" + leaked))
	f.Fuzz(func(t *testing.T, in []byte) {
		fk := fake{}
		var out bytes.Buffer
		err := Bazel(context.Background(), bytes.NewReader(in), &out, fk.lookup)
		got := out.String()
		if err != nil {
			if got != "" {
				t.Fatalf("error %v with output %q", err, got)
			}
			return
		}
		if strings.Contains(got, basicLeaked) {
			t.Fatalf("a token the lookup disowned was written: %q", got)
		}
		switch got {
		case "{}\n":
		case bazelToken:
			if fk.accepted != 1 {
				t.Fatalf("token written after %d accepted lookups", fk.accepted)
			}
		default:
			t.Fatalf("unexpected output %q (token %v)", got, strings.Contains(got, basicSecret))
		}
	})
}
