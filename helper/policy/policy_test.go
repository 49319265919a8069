package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func TestPartition(t *testing.T) {
	tests := []struct{ region, want string }{
		{"eu-west-1", "aws"},
		{"us-east-1", "aws"},
		{"ap-southeast-2", "aws"},
		{"cn-north-1", "aws-cn"},
		{"cn-northwest-1", "aws-cn"},
		{"us-gov-west-1", "aws-us-gov"},
		{"us-gov-east-1", "aws-us-gov"},
		{"us-govx-east-1", "aws"}, // only the us-gov- prefix is GovCloud
	}
	for _, tt := range tests {
		if got := Partition(tt.region); got != tt.want {
			t.Errorf("Partition(%q) = %q, want %q", tt.region, got, tt.want)
		}
	}
}

func TestValuesJSON(t *testing.T) {
	tests := []struct {
		in   Values
		want string
	}{
		{Values{"a:B"}, `"a:B"`},
		{Values{"a:B", "a:C"}, `["a:B","a:C"]`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.in, b, err, tt.want)
		}
		var back Values
		if err := json.Unmarshal(b, &back); err != nil || fmt.Sprint(back) != fmt.Sprint(tt.in) {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, back, err, tt.in)
		}
	}
	var v Values
	if err := json.Unmarshal([]byte(`{"a":1}`), &v); err == nil {
		t.Error("Unmarshal of an object: no error")
	}
}

// TestJSONLayout pins the layout: two-space indent, Version first, one
// trailing newline, and the same bytes on every call.
func TestJSONLayout(t *testing.T) {
	d, err := Identity(Target{Region: "eu-west-1", Owner: "111122223333", Domain: "my-domain", Repository: "releases"}, true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": ")) {
		t.Errorf("unexpected layout:\n%s", b)
	}
	if !bytes.HasSuffix(b, []byte("\n}\n")) || bytes.HasSuffix(b, []byte("\n\n")) {
		t.Errorf("want exactly one trailing newline:\n%q", b)
	}
	again, _ := d.JSON()
	if !bytes.Equal(b, again) {
		t.Error("two encodings differ")
	}
	// Key order inside a statement is Sid, Effect, [Principal], Action, Resource, Condition.
	text := string(b)
	last := -1
	for _, key := range []string{`"Sid"`, `"Effect"`, `"Action"`, `"Resource"`, `"Condition"`} {
		i := strings.Index(text, key)
		if i < last {
			t.Errorf("key %s out of order", key)
		}
		last = i
	}
}

// Grammar rules IAM enforces on a policy document, checked on the parsed JSON
// rather than on our own types, so a wrong struct tag is caught too.
var (
	sidPattern    = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	actionPattern = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z]+$`) // no wildcards
	operators     = map[string]bool{"StringEquals": true, "StringLike": true}
	statementKeys = map[string]bool{"Sid": true, "Effect": true, "Principal": true, "Action": true, "Resource": true, "Condition": true}
)

// IAM quotas, counted without whitespace: a managed policy may hold 6,144
// characters, a role trust policy 2,048 (the default quota).
const (
	maxIdentityChars = 6144
	maxTrustChars    = 2048
)

// checkGrammar parses raw and checks it as IAM would; trust selects the rules
// for a role trust policy (Principal, no Resource) over an identity policy.
func checkGrammar(t *testing.T, raw []byte, trust bool) map[string]any {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	if len(doc) != 2 || doc["Version"] != "2012-10-17" {
		t.Errorf("want exactly Version 2012-10-17 and Statement, got %v", doc)
	}
	stmts, ok := doc["Statement"].([]any)
	if !ok || len(stmts) == 0 {
		t.Fatalf("Statement is not a non-empty array: %v", doc["Statement"])
	}
	sids := map[string]bool{}
	for i, raw := range stmts {
		s, ok := raw.(map[string]any)
		if !ok {
			t.Fatalf("statement %d is not an object", i)
		}
		for k := range s {
			if !statementKeys[k] {
				t.Errorf("statement %d: unknown key %q", i, k)
			}
		}
		sid, _ := s["Sid"].(string)
		if !sidPattern.MatchString(sid) || sids[sid] {
			t.Errorf("statement %d: Sid %q must be unique and [A-Za-z0-9]+", i, sid)
		}
		sids[sid] = true
		if s["Effect"] != "Allow" {
			t.Errorf("statement %s: Effect %v, want Allow", sid, s["Effect"])
		}
		for _, a := range stringOrList(t, s["Action"], sid+" Action") {
			if !actionPattern.MatchString(a) {
				t.Errorf("statement %s: action %q is not service:Action without wildcards", sid, a)
			}
		}
		_, hasResource := s["Resource"]
		_, hasPrincipal := s["Principal"]
		if trust {
			if hasResource || !hasPrincipal {
				t.Errorf("trust statement %s: want Principal and no Resource", sid)
			}
			checkPrincipal(t, s["Principal"], sid)
		} else {
			if !hasResource || hasPrincipal {
				t.Errorf("identity statement %s: want Resource and no Principal", sid)
			}
			stringOrList(t, s["Resource"], sid+" Resource")
		}
		if c, ok := s["Condition"]; ok {
			checkCondition(t, c, sid)
		}
	}
	limit := maxIdentityChars
	if trust {
		limit = maxTrustChars
	}
	if n := len(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, string(raw))); n > limit {
		t.Errorf("policy has %d characters without whitespace, IAM allows %d", n, limit)
	}
	return doc
}

func stringOrList(t *testing.T, v any, what string) []string {
	t.Helper()
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				t.Errorf("%s: element %v is not a string", what, x)
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			t.Errorf("%s: empty array", what)
		}
		return out
	}
	t.Errorf("%s: %v is neither a string nor an array", what, v)
	return nil
}

func checkPrincipal(t *testing.T, v any, sid string) {
	t.Helper()
	p, ok := v.(map[string]any)
	if !ok || len(p) != 1 {
		t.Errorf("statement %s: Principal %v must be an object with one key", sid, v)
		return
	}
	for k, x := range p {
		if _, ok := x.(string); !ok || (k != "Service" && k != "Federated") {
			t.Errorf("statement %s: Principal %s: %v", sid, k, x)
		}
	}
}

func checkCondition(t *testing.T, v any, sid string) {
	t.Helper()
	c, ok := v.(map[string]any)
	if !ok || len(c) == 0 {
		t.Errorf("statement %s: Condition %v must be a non-empty object", sid, v)
		return
	}
	for op, kv := range c {
		m, ok := kv.(map[string]any)
		if !operators[op] || !ok || len(m) == 0 {
			t.Errorf("statement %s: condition %s: %v", sid, op, kv)
			continue
		}
		for k, x := range m {
			if s, ok := x.(string); !ok || s == "" || !strings.Contains(k, ":") {
				t.Errorf("statement %s: condition %s %s = %v", sid, op, k, x)
			}
		}
	}
}

// statements indexes a parsed document's statements by Sid.
func statements(t *testing.T, doc map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, s := range doc["Statement"].([]any) {
		m := s.(map[string]any)
		out[m["Sid"].(string)] = m
	}
	return out
}

// asJSON renders v for comparison with a literal.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
