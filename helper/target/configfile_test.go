package target

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
)

func TestLoadConfigRefusesWhatIsNotAConfigFile(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
		want []string
	}{
		{"a directory", func(t *testing.T) string { return t.TempDir() }, []string{"not a regular file (a directory)"}},
		{"over 64 KiB", func(t *testing.T) string {
			return writeFile(t, "big.toml", "#"+strings.Repeat("x", maxConfigSize))
		}, []string{"larger than the 64 KiB limit"}},
		{"nested arrays", func(t *testing.T) string {
			return writeFile(t, "c.toml", "\na = "+strings.Repeat("[", 1000)+strings.Repeat("]", 1000))
		}, []string{"c.toml:2: nested deeper than 16 levels"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(tt.path(t))
			if c != nil {
				t.Error("LoadConfig returned a config with the error")
			}
			failuretest.WantUsage(t, err, tt.want...)
		})
	}
}

func TestLoadConfigReadsUpToTheLimit(t *testing.T) {
	content := "default = \"w\"\n[targets.w]\ndomain = \"d\"\n"
	content += "#" + strings.Repeat("x", maxConfigSize-len(content)-1)
	if _, err := LoadConfig(writeFile(t, "c.toml", content)); err != nil {
		t.Errorf("a config of exactly %d bytes: %v", len(content), err)
	}
}

func TestLoadConfigSyntaxErrorsNeverQuoteTheFile(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	tests := []struct{ name, config, want string }{
		{"AWS credentials", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + secret + "\n",
			`:2: not valid TOML at column 21: a value must be quoted, a number, true/false, an array or a table (after key "default.aws_access_key_id")`},
		{"secret first", "[default]\naws_secret_access_key = " + secret + "\n", ":2: not valid TOML"},
		{"unterminated string", "[targets.w]\ndomain = \"" + secret + "\n", ":2: not valid TOML"},
		{"bad number", "x = 1" + secret + "\n", ":1: not valid TOML"},
		{"bad bare key", "x" + secret + " = 1\n", ":1: not valid TOML"},
		{"INI colon", "[default]\nkey: " + secret + "\n", ":2: not valid TOML"},
		{"duplicate key", "a = \"" + secret + "\"\na = \"" + secret + "\"\n", ": a key is defined twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(writeFile(t, "config.toml", tt.config))
			failuretest.WantUsage(t, err, tt.want)
			for _, bad := range []string{"AKIA", "wJalr", "EXAMPLE"} {
				if err != nil && strings.Contains(err.Error(), bad) {
					t.Errorf("error quotes the file (%q): %v", bad, err)
				}
			}
		})
	}
}

func TestConfigDepth(t *testing.T) {
	deep := func(open, close string, n int) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	tests := []struct {
		name, config string
		want         int
	}{
		{"the README's layout", testConfig, 0},
		{"16 arrays", "a = " + deep("[", "]", 16), 0},
		{"17 arrays", "a = " + deep("[", "]", 17), 1},
		{"17 inline tables", "\n\na = " + deep("{b=", "}", 17), 3},
		{"16 parts of a header", "[" + strings.Repeat("a.", 15) + "b]", 0},
		{"17 parts of a header", "[" + strings.Repeat("a.", 16) + "b]", 1},
		{"17 parts of a dotted key", "x = 1\n" + strings.Repeat("a.", 16) + "b = 1", 2},
		{"dots of values and lines do not add up", strings.Repeat("x = 1.5\n", 40) + "y = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]", 0},
		{"brackets in strings", `a = "` + strings.Repeat("[{", 40) + `"` + "\nb = '" + strings.Repeat("[", 40) + "'", 0},
		{"brackets in multi-line strings", "a = \"\"\"\n" + strings.Repeat("[", 40) + "\n\\\"\"\"\n\"\"\"\nb = '''" + strings.Repeat("{", 40) + "'''", 0},
		{"an escaped quote does not end a string", `a = "\"` + strings.Repeat("[", 40) + `"`, 0},
		{"brackets in comments", "# " + strings.Repeat("[", 40) + "\na = 1", 0},
		{"a comment does not hide the next line", "# x\na = " + deep("[", "]", 17), 2},
		{"an unclosed string ends with its line", "a = \"x\nb = " + deep("[", "]", 17), 2},
	}
	for _, tt := range tests {
		if got := configDepth([]byte(tt.config)); got != tt.want {
			t.Errorf("%s: configDepth = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestConfigPathThroughASymlink(t *testing.T) {
	target := writeFile(t, "real.toml", "default = \"w\"\n[targets.w]\ndomain = \"d\"\n")
	link := filepath.Join(t.TempDir(), "config.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	if c, err := LoadConfig(link); err != nil || c.Default != "w" {
		t.Errorf("LoadConfig through a link: %+v, %v", c, err)
	}
}
