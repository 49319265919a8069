package command

import (
	"runtime/debug"
	"testing"
)

func TestResolveBuild(t *testing.T) {
	vcs := func(mainVersion string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/ca-helper/ca-helper", Version: mainVersion}}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tt := range []struct {
		name           string
		ver, rev, when string
		info           *debug.BuildInfo
		want           buildInfo
		wantText       string
	}{
		{
			name: "release build: -X values win over the toolchain's",
			ver:  "1.2.3", rev: "0123456789ab", when: "2026-12-04T10:00:00Z",
			info:     vcs("v9.9.9", "vcs.revision", "ffffffffffffffffffff", "vcs.time", "2000-01-01T00:00:00Z"),
			want:     buildInfo{Version: "1.2.3", Commit: "0123456789ab", Date: "2026-12-04T10:00:00Z"},
			wantText: "ca-helper 1.2.3 (0123456789ab, 2026-12-04T10:00:00Z, go1.x)",
		},
		{
			name: "go install module@v1.2.3: the module version, no vcs",
			ver:  "dev", info: vcs("v1.2.3"),
			want:     buildInfo{Version: "1.2.3"},
			wantText: "ca-helper 1.2.3 (unknown commit, go1.x)",
		},
		{
			name: "go build in a clone: commit and time from git",
			ver:  "dev", info: vcs("(devel)", "vcs", "git", "vcs.revision", rev, "vcs.time", "2026-12-04T10:00:00Z"),
			want:     buildInfo{Version: "dev", Commit: "0123456789ab", Date: "2026-12-04T10:00:00Z"},
			wantText: "ca-helper dev (0123456789ab, 2026-12-04T10:00:00Z, go1.x)",
		},
		{
			name: "install.sh: -X version and commit, date from vcs",
			ver:  "v1.2.3-4-gabc", rev: "abcdefabcdef", info: vcs("(devel)", "vcs.time", "2026-12-04T10:00:00Z"),
			want: buildInfo{Version: "v1.2.3-4-gabc", Commit: "abcdefabcdef", Date: "2026-12-04T10:00:00Z"},
		},
		{
			name: "a short revision is not a commit",
			ver:  "dev", info: vcs("", "vcs.revision", "abc"),
			want:     buildInfo{Version: "dev"},
			wantText: "ca-helper dev (unknown commit, go1.x)",
		},
		{
			name: "no build info",
			ver:  "dev",
			want: buildInfo{Version: "dev"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := resolveBuild(tt.ver, tt.rev, tt.when, tt.info)
			if got != tt.want {
				t.Errorf("resolveBuild = %+v, want %+v", got, tt.want)
			}
			if tt.wantText == "" {
				return
			}
			got.Go = "go1.x"
			if s := got.String(); s != tt.wantText {
				t.Errorf("String() = %q, want %q", s, tt.wantText)
			}
		})
	}
}
