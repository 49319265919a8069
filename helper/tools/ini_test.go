package tools

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// iniCases are files with what configparser makes of them: nil values for
// a file parseINI refuses.
var iniCases = []struct {
	name, text string
	values     map[string]map[string]string
}{
	{"empty", "", map[string]map[string]string{}},
	{"keys lowercased, both delimiters, no inline comments", "[s]\nA Key = 1 # not a comment\nb:2=3\n  ; comment\n",
		map[string]map[string]string{"s": {"a key": "1 # not a comment", "b": "2=3"}}},
	{"continuation across blank and comment lines", "[s]\nk =\n  one\n\n# c\n  two\n\n[t]\n",
		map[string]map[string]string{"s": {"k": "\none\n\ntwo"}, "t": {}}},
	{"indented option lines", "[s]\n  a = 1\n  b = 2\n    more\n", map[string]map[string]string{"s": {"a": "1", "b": "2\nmore"}}},
	{"header text up to the last ]", "[a]b] ; x\nk=v\n[ c ]\r\n", map[string]map[string]string{"a]b": {"k": "v"}, " c ": {}}},
	{"an indented header continues a value", "[s]\nk = v\n  [t]\n", map[string]map[string]string{"s": {"k": "v\n[t]"}}},
	{"DEFAULT", "[DEFAULT]\nx = 1\n", map[string]map[string]string{"DEFAULT": {"x": "1"}}},
	{"key before a section", "k = v\n", nil},
	{"no delimiter", "[s]\nk\n", nil},
	{"empty key", "[s]\n = v\n", nil},
	{"section twice", "[s]\n[s]\n", nil},
	{"key twice", "[s]\nk = 1\nK = 2\n", nil},
	{"bare CR", "[s]\rk = v\n", nil},
}

func TestParseINI(t *testing.T) {
	for _, tt := range iniCases {
		f, err := parseINI(tt.text)
		if tt.values == nil {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%s: %v, want ErrMalformed", tt.name, err)
			}
			continue
		}
		if err != nil || !maps.EqualFunc(f.values, tt.values, maps.Equal) {
			t.Errorf("%s: %v, %q; want %q", tt.name, err, f.values, tt.values)
		}
	}
}

// TestParseINIAsPython checks parseINI against Python's configparser on
// the cases above and the merges' results: what Python reads, parseINI
// reads the same (or refuses, for a bare CR), and what Python refuses,
// parseINI refuses.
func TestParseINIAsPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	var texts []string
	for _, c := range iniCases {
		texts = append(texts, c.text)
	}
	for _, ex := range []string{"", "[global]\ntimeout = 1\n", "# c\n[install]\na = 1\n  b\n", "[distutils]\nindex-servers =\n  pypi\n"} {
		for _, m := range []ConfigFile{pipConf{}, pypirc{}} {
			out, _, err := m.Merge([]byte(ex), Registry{Endpoint: iniEP, Name: "releases"})
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(out))
		}
	}
	dir := t.TempDir()
	for i, s := range texts {
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	script := `import configparser, json, sys
out = []
for i in range(int(sys.argv[2])):
    p = configparser.RawConfigParser()
    try:
        p.read(sys.argv[1] + "/" + str(i), encoding="utf-8")
    except configparser.Error:
        out.append(None)
        continue
    v = {s: dict(p._sections[s]) for s in p.sections()}
    if p.defaults():
        v["DEFAULT"] = dict(p.defaults())
    out.append(v)
print(json.dumps(out))`
	b, err := exec.Command("python3", "-c", script, dir, strconv.Itoa(len(texts))).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var py []map[string]map[string]string
	if err := json.Unmarshal(b, &py); err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		f, err := parseINI(s)
		switch {
		case py[i] == nil && err == nil:
			t.Errorf("%q: Python refuses it, parseINI reads %q", s, f.values)
		case py[i] != nil && err != nil && s == "[s]\rk = v\n": // stricter: Python splits lines at a CR
		case py[i] != nil && (err != nil || !maps.EqualFunc(f.values, py[i], maps.Equal)):
			t.Errorf("%q: Python reads %q, parseINI %v %v", s, py[i], f, err)
		}
	}
}
