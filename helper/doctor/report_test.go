package doctor

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteText(t *testing.T) {
	rep := Report{Checks: []Result{
		{Name: "credentials", Status: OK, Detail: "env (AWS_ACCESS_KEY_ID AKID…TEST)"},
		{Name: "permissions", Status: Fail, Detail: "access denied: nope", Fix: "allow it", Code: 3},
		{Name: "clock", Status: Warn, Detail: "local clock 3m ahead", Fix: "sync it"},
		{Name: "repository", Status: Skip, Detail: "not checked", Fix: "never shown"},
	}}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := "ok    credentials   env (AWS_ACCESS_KEY_ID AKID…TEST)\n" +
		"fail  permissions   access denied: nope\n" +
		"      fix: allow it\n" +
		"warn  clock         local clock 3m ahead\n" +
		"      fix: sync it\n" +
		"skip  repository    not checked\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if rep.ExitCode() != 3 {
		t.Errorf("exit code %d, want 3", rep.ExitCode())
	}
}

func TestWriteJSON(t *testing.T) {
	w := good()
	w.aws.tokenErr = &CallError{Cause: CauseAccessDenied, Detail: "access denied: x", Code: 3}
	var b bytes.Buffer
	if err := w.run().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OK     *bool                        `json:"ok"`
		Checks []map[string]json.RawMessage `json:"checks"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v: %s", err, b.String())
	}
	if doc.OK == nil || *doc.OK || len(doc.Checks) != len(checks) {
		t.Fatalf("ok %v, %d checks", doc.OK, len(doc.Checks))
	}
	for _, c := range doc.Checks {
		if len(c) != 4 || c["name"] == nil || c["status"] == nil || c["detail"] == nil || c["fix"] == nil {
			t.Errorf("check keys: %v", c)
		}
	}
	if !strings.HasSuffix(b.String(), "}\n") {
		t.Error("no final newline")
	}
	var empty bytes.Buffer
	if err := (Report{OK: true}).WriteJSON(&empty); err != nil || empty.String() != `{"ok":true,"checks":[]}`+"\n" {
		t.Errorf("empty report: %q", empty.String())
	}
}
