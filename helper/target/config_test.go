package target

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
)

func TestLoadConfigMissingFileIsEmpty(t *testing.T) {
	for _, path := range []string{"", filepath.Join(t.TempDir(), "nope", "config.toml")} {
		c, err := LoadConfig(path)
		if err != nil {
			t.Fatalf("LoadConfig(%q): %v", path, err)
		}
		if c.Path != path || c.Default != "" || len(c.Targets) != 0 {
			t.Errorf("LoadConfig(%q) = %+v, want an empty config", path, c)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	path := writeFile(t, "config.toml", testConfig)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := TargetConfig{Domain: "work-domain", DomainOwner: "111122223333", Region: "eu-west-1", Profile: "dev",
		Repository: "releases", Duration: "2h", MinTTL: "30m", Cache: "file"}
	if c.Default != "work" || c.Targets["work"] != want {
		t.Errorf("loadConfig: default %q, work %+v; want %q, %+v", c.Default, c.Targets["work"], "work", want)
	}
	if got := c.targetNames(); got != "badowner, bare, broken, other, work" {
		t.Errorf("targetNames() = %q", got)
	}
	if got, want := c.where("work", "min_ttl"), "config "+path+":10 (targets.work.min_ttl)"; got != want {
		t.Errorf("where() = %q, want %q", got, want)
	}
}

func TestLoadConfigErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string // PATH stands for the file
	}{
		{"unterminated string", "default = \"work\"\n[targets.work]\ndomain = \"x\n", []string{"config PATH:3:"}},
		{"not toml", "[targets.work]\ndomain: x\n", []string{"config PATH:2:"}},
		{"duplicate key", "[targets.work]\ndomain = \"a\"\ndomain = \"b\"\n", []string{"config PATH:3:"}},
		{"unknown target key", "[targets.work]\ndomain = \"d1\"\nregoin = \"eu-west-1\"\n", []string{`config PATH:3: unknown key "targets.work.regoin"`}},
		{"unknown top-level key", "defualt = \"work\"\n", []string{`config PATH:1: unknown key "defualt"`}},
		{"unknown table", "default = \"\"\n\n[target.work]\ndomain = \"d1\"\n", []string{`config PATH:3: unknown key "target`}},
		{"quoted names", "[targets.\"work\"]\n\"domain\" = \"d1\"\n\"typo\" = 1\n", []string{`config PATH:3: unknown key "targets.work.typo"`}},
		{"default not defined", "default = \"nope\"\n\n[targets.work]\ndomain = \"d1\"\n", []string{`config PATH:1: default target "nope" is not defined`, "work"}},
		{"default with no targets", "default = \"work\"\n", []string{`default target "work" is not defined (targets: none)`}},
		{"owner as a number", "[targets.work]\ndomain = \"d1\"\ndomain_owner = 111122223333\n", []string{"config PATH", "line 3", "domain_owner"}},
		{"targets not a table", "targets = \"work\"\n", []string{"config PATH:1: targets must be a table"}},
		{"allowed owner not an account", "default = \"\"\nallowed_owners = [\"111122223333\", \"1111-2222-3333\"]\n",
			[]string{`config PATH:2: allowed_owners: "1111-2222-3333" is not an AWS account id`}},
		{"allowed owners not a list", "allowed_owners = \"111122223333\"\n", []string{"config PATH", "allowed_owners"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "config.toml", tt.config)
			c, err := LoadConfig(path)
			if c != nil {
				t.Errorf("loadConfig returned a config with the error")
			}
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.ReplaceAll(w, "PATH", path)
			}
			failuretest.WantUsage(t, err, want...)
		})
	}
}

func TestConfigLineOf(t *testing.T) {
	c := &Config{data: []byte(`# comment
default = "a"
[targets.a]
  domain="x"   # indented, no spaces around =
[ targets.b ]
domain = "y"
[targets."c"]
"domain" = "z"
`)}
	tests := []struct {
		table []string
		key   string
		want  int
	}{
		{nil, "default", 2},
		{[]string{"targets", "a"}, "domain", 4},
		{[]string{"targets", "b"}, "domain", 6},
		{[]string{"targets", "c"}, "domain", 8},
		{[]string{"targets", "a"}, "region", 0},
		{nil, "domain", 0},
	}
	for _, tt := range tests {
		if got := c.lineOf(tt.table, tt.key); got != tt.want {
			t.Errorf("lineOf(%q, %q) = %d, want %d", tt.table, tt.key, got, tt.want)
		}
	}
}

func FuzzLoadConfig(f *testing.F) {
	f.Add(testConfig)
	f.Add("default = \"x\"\n[targets.x]\ndomain = 1\n")
	f.Add("[target.x]\n")
	f.Add("[targets.x]\ndomain = \"\"\"\nmulti\nline\"\"\"\n")
	f.Add("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
	f.Add("a = " + strings.Repeat("{b=", 20) + "1" + strings.Repeat("}", 20))
	f.Add("[" + strings.Repeat("a.", 20) + "b]\nx = '''[{'''\n")
	path := filepath.Join(f.TempDir(), "c.toml") // one per worker process
	f.Fuzz(func(t *testing.T, content string) {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := LoadConfig(path)
		if err != nil {
			if code, _ := failure.Classify(err); code != failure.Usage {
				t.Fatalf("exit code %d for %v", code, err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if c.Default != "" {
			if _, ok := c.Targets[c.Default]; !ok {
				t.Fatalf("default %q accepted without its target", c.Default)
			}
		}
	})
}
