package tools

import (
	"errors"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

const pypiEP = "https://h.example/pypi/releases/"

func TestUvMerge(t *testing.T) {
	entry := "[[index]]\nname = \"releases\"\nurl = \"" + pypiEP + "simple/\"\npublish-url = \"" + pypiEP +
		"\"\ndefault = true\nauthenticate = \"always\"\n"
	tests := []struct {
		name, existing, want string
		pyproject, literal   bool
		changes              int
	}{
		{name: "new file", want: entry, changes: 6},
		{name: "second run", existing: entry, want: entry},
		{name: "appended after other settings", existing: "native-tls = true\n# keep me\n",
			want: "native-tls = true\n# keep me\n\n" + entry, changes: 6},
		{name: "other index kept, ours updated in place",
			existing: "[[index]]\nname = \"other\"\nurl = \"https://o/simple\"\n\n[[index]]\nname = \"releases\" # ours\nurl = \"https://old/simple/\" # old\nexplicit = true\n\n[pip]\nx = 1\n",
			want: "[[index]]\nname = \"other\"\nurl = \"https://o/simple\"\n\n[[index]]\nname = \"releases\" # ours\nurl = \"" + pypiEP +
				"simple/\"\nexplicit = true\npublish-url = \"" + pypiEP + "\"\ndefault = true\nauthenticate = \"always\"\n\n[pip]\nx = 1\n",
			changes: 4},
		{name: "token in the url replaced", existing: "[[index]]\nname = \"releases\"\nurl = \"https://aws:SECRETTOKEN@h.example/pypi/releases/simple/\"\n",
			want:    "[[index]]\nname = \"releases\"\nurl = \"" + pypiEP + "simple/\"\npublish-url = \"" + pypiEP + "\"\ndefault = true\nauthenticate = \"always\"\n",
			literal: true, changes: 4},
		{name: "pyproject", pyproject: true, existing: "[project]\nname = \"demo\"\r\n",
			want: "[project]\nname = \"demo\"\r\n\r\n" + strings.ReplaceAll(strings.Replace(entry, "[[index]]", "[[tool.uv.index]]", 1), "\n", "\r\n"), changes: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMerge(t, uvConfig{pyproject: tt.pyproject}, []byte(tt.existing), Registry{Endpoint: pypiEP, Name: "releases"},
				tt.want, tt.changes, tt.literal, "SECRETTOKEN")
		})
	}
}

// TestTomlEntryRefused: files the line merge cannot edit safely are left
// alone with ErrMalformed.
func TestTomlEntryRefused(t *testing.T) {
	for name, existing := range map[string]string{
		"inline array":        "index = [{ name = \"releases\", url = \"https://x/\" }]\n",
		"duplicate entries":   "[[index]]\nname = \"releases\"\n[[index]]\nname = \"releases\"\n",
		"key set twice":       "[[index]]\nname = \"releases\"\ndefault = true\ndefault = false\n",
		"not TOML":            "[[index]\nname = \"releases\"\n",
		"index is a table":    "[index]\nname = \"releases\"\n",
		"multi-line url":      "[[index]]\nname = \"releases\"\nurl = \"\"\"\nhttps://x/\"\"\"\n",
		"binary":              "a = 1\x00\n",
		"dotted key in entry": "[[index]]\nname = \"releases\"\nurl.x = \"y\"\n",
	} {
		_, _, err := uvConfig{}.Merge([]byte(existing), Registry{Endpoint: pypiEP, Name: "releases"})
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
	for _, r := range []Registry{{Endpoint: pypiEP, Name: "bad name"}, {Endpoint: pypiEP, Name: ""}, {Endpoint: "https://h/p\"x/", Name: "r"}} {
		if _, _, err := (uvConfig{}).Merge(nil, r); err == nil || errors.Is(err, ErrMalformed) {
			t.Errorf("%+v: err %v, want a plain error", r, err)
		}
	}
}

func TestPoetrySourceMerge(t *testing.T) {
	existing := "[project]\nname = \"demo\"\ndependencies = [\n  \"requests\",\n]\n\n[tool.poetry]\npackage-mode = false\n"
	want := existing + "\n[[tool.poetry.source]]\nname = \"releases\"\nurl = \"" + pypiEP + "simple/\"\npriority = \"primary\"\n"
	out, rep, err := poetrySource{}.Merge([]byte(existing), Registry{Endpoint: pypiEP, Name: "releases"})
	if err != nil || string(out) != want || len(rep.Changes) != 4 {
		t.Fatalf("got %q, %+v, %v\nwant %q", out, rep, err, want)
	}
	changed := strings.Replace(want, `priority = "primary"`, `priority = "supplemental"`, 1)
	out, rep, err = poetrySource{}.Merge([]byte(changed), Registry{Endpoint: pypiEP, Name: "releases"})
	if err != nil || string(out) != want || len(rep.Changes) != 1 || rep.Changes[0].Old != `priority = "supplemental"` {
		t.Fatalf("priority not set back: %q, %+v, %v", out, rep, err)
	}
	if p := (poetrySource{}).Path("/home/u", "/p"); p != "/p/pyproject.toml" && p != `\p\pyproject.toml` {
		t.Errorf("path %q", p)
	}
}

func changeLines(rep Report) []string {
	var s []string
	for _, c := range rep.Changes {
		s = append(s, c.Old, c.New)
	}
	return s
}

// FuzzTomlEntryMerge: whatever a uv.toml holds, a merge either refuses it
// as malformed or gives TOML whose [[index]] named releases has the managed
// keys, keeps every line it does not manage, and is left as it is by a
// second merge.
func FuzzTomlEntryMerge(f *testing.F) {
	for _, seed := range []string{"", "native-tls = true\n", "[[index]]\nname = \"releases\"\nurl = 'x' # c\n",
		"[[index]]\nname = \"other\"\n[[index]]\nname = \"releases\"\r\n", "index = []\n", "[pip]\nx = \"\"\"\n[[index]]\n\"\"\"\n", "\x00"} {
		f.Add(seed)
	}
	r := Registry{Endpoint: pypiEP, Name: "releases"}
	f.Fuzz(func(t *testing.T, existing string) {
		out, _, err := uvConfig{}.Merge([]byte(existing), r)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Merge(%q) = %v", existing, err)
			}
			return
		}
		var parsed map[string]any // not a struct: the decoder matches field names in any case ([[indeX]] too)
		if _, err := toml.Decode(string(out), &parsed); err != nil {
			t.Fatalf("merged file is not TOML (%v):\n%q", err, out)
		}
		index, _ := parsed["index"].([]map[string]any)
		found := 0
		for _, e := range index {
			if e["name"] == "releases" {
				found++
				if e["url"] != pypiEP+"simple/" || e["default"] != true || e["authenticate"] != "always" {
					t.Fatalf("entry lacks the managed keys: %v\n%q", e, out)
				}
			}
		}
		if found != 1 {
			t.Fatalf("%d entries named releases:\n%q", found, out)
		}
		for _, line := range strings.SplitAfter(existing, "\n") {
			k, _, _ := strings.Cut(line, "=")
			if k = normKey(k); k == "url" || k == "publish-url" || k == "default" || k == "authenticate" {
				continue
			}
			if !strings.Contains(string(out), strings.TrimRight(line, "\r\n")) {
				t.Fatalf("line %q lost:\n%q", line, out)
			}
		}
		again, rep, err := uvConfig{}.Merge(out, r)
		if err != nil || string(again) != string(out) || len(rep.Changes) != 0 {
			t.Fatalf("second merge changed %q to %q (%v)", out, again, err)
		}
	})
}
