package maven

import (
	"path/filepath"
	"strings"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// SettingsPath is the settings.xml a user means by p: a leading ~ is home,
// and "" is ~/.m2/settings.xml, where Maven reads user settings.
func SettingsPath(p, home string) (string, error) {
	if p == "" {
		p = filepath.Join("~", ".m2", "settings.xml")
	}
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~`+string(filepath.Separator)) {
		if home == "" {
			return "", failure.Usagef("pass --settings-file PATH", "find home directory: no HOME (USERPROFILE on Windows) is set")
		}
		p = filepath.Join(home, p[1:])
	}
	return filepath.Abs(p)
}
