package target

import (
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure/failuretest"
)

func TestResolveOptions(t *testing.T) {
	type want struct {
		duration, minTTL, timeout time.Duration
		cache                     string
		src                       map[string]string // CONFIG stands for the config path
	}
	tests := []struct {
		name       string
		flags, env map[string]string
		target     string // config target name, "" for none
		want       want
	}{
		{
			name: "defaults",
			want: want{12 * time.Hour, time.Hour, 30 * time.Second, "auto",
				map[string]string{"duration": "default", "min-ttl": "default", "cache": "default", "timeout": "default"}},
		},
		{
			name:   "config target",
			target: "work",
			want: want{2 * time.Hour, 30 * time.Minute, 30 * time.Second, "file",
				map[string]string{"duration": "config CONFIG:9 (targets.work.duration)", "min-ttl": "config CONFIG:10 (targets.work.min_ttl)", "cache": "config CONFIG:11 (targets.work.cache)"}},
		},
		{
			name:   "env beats config",
			target: "work",
			env:    map[string]string{"CA_HELPER_DURATION": "3h", "CA_HELPER_MIN_TTL": "20m", "CA_HELPER_CACHE": "none", "CA_HELPER_TIMEOUT": "2m"},
			want: want{3 * time.Hour, 20 * time.Minute, 2 * time.Minute, "none",
				map[string]string{"duration": "env CA_HELPER_DURATION", "min-ttl": "env CA_HELPER_MIN_TTL", "cache": "env CA_HELPER_CACHE", "timeout": "env CA_HELPER_TIMEOUT"}},
		},
		{
			name:   "flags beat env and config",
			target: "work",
			flags:  map[string]string{"duration": "4h", "min-ttl": "10m", "cache": "keyring", "timeout": "45s"},
			env:    map[string]string{"CA_HELPER_DURATION": "3h", "CA_HELPER_MIN_TTL": "20m", "CA_HELPER_CACHE": "none", "CA_HELPER_TIMEOUT": "2m"},
			want: want{4 * time.Hour, 10 * time.Minute, 45 * time.Second, "keyring",
				map[string]string{"duration": "flag --duration", "min-ttl": "flag --min-ttl", "cache": "flag --cache", "timeout": "flag --timeout"}},
		},
		{
			name:   "config of another target is not used",
			target: "other",
			want:   want{12 * time.Hour, time.Hour, 30 * time.Second, "auto", map[string]string{"duration": "default"}},
		},
		{
			name:  "seconds and zero",
			flags: map[string]string{"duration": "0", "min-ttl": "0", "timeout": "90"},
			want:  want{0, 0, 90 * time.Second, "auto", nil},
		},
		{name: "duration 900 s", flags: map[string]string{"duration": "900"}, want: want{15 * time.Minute, time.Hour, 30 * time.Second, "auto", nil}},
		{name: "duration 43200 s", flags: map[string]string{"duration": "43200"}, want: want{12 * time.Hour, time.Hour, 30 * time.Second, "auto", nil}},
		{name: "duration 15m", flags: map[string]string{"duration": "15m"}, want: want{15 * time.Minute, time.Hour, 30 * time.Second, "auto", nil}},
		{name: "duration 1.5h", flags: map[string]string{"duration": "1.5h"}, want: want{90 * time.Minute, time.Hour, 30 * time.Second, "auto", nil}},
		{name: "duration 0s", flags: map[string]string{"duration": "0s"}, want: want{0, time.Hour, 30 * time.Second, "auto", nil}},
		{name: "min-ttl 12h", flags: map[string]string{"min-ttl": "12h"}, want: want{12 * time.Hour, 12 * time.Hour, 30 * time.Second, "auto", nil}},
		{name: "timeout 10m", flags: map[string]string{"timeout": "10m"}, want: want{12 * time.Hour, time.Hour, 10 * time.Minute, "auto", nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newInputs(t, tt.flags, tt.env)
			tgt := Target{Name: tt.target}
			if tt.target != "" {
				if _, err := in.LoadConfig(); err != nil {
					t.Fatal(err)
				}
			}
			o, err := ResolveOptions(in, tgt)
			if err != nil {
				t.Fatalf("resolveOptions: %v", err)
			}
			if o.Duration != tt.want.duration || o.MinTTL != tt.want.minTTL || o.Timeout != tt.want.timeout || o.Cache != tt.want.cache {
				t.Errorf("got duration %v, min-ttl %v, timeout %v, cache %q; want %v, %v, %v, %q",
					o.Duration, o.MinTTL, o.Timeout, o.Cache, tt.want.duration, tt.want.minTTL, tt.want.timeout, tt.want.cache)
			}
			for k, v := range tt.want.src {
				v = strings.ReplaceAll(v, "CONFIG", in.ConfigPath)
				if o.Sources[k] != v {
					t.Errorf("source of %s = %q, want %q", k, o.Sources[k], v)
				}
			}
		})
	}
}

func TestResolveOptionsErrorsNameTheSource(t *testing.T) {
	badConfig := "[targets.t1]\ndomain = \"d1\"\nduration = \"5m\"\nmin_ttl = \"-1h\"\ncache = \"memory\"\n"
	tests := []struct {
		name   string
		flags  map[string]string
		env    map[string]string
		config bool // use badConfig with target t1
		want   []string
	}{
		{name: "duration too short", flags: map[string]string{"duration": "14m"}, want: []string{`invalid duration "14m" from flag --duration`}},
		{name: "duration 899 s", flags: map[string]string{"duration": "899"}, want: []string{"invalid duration"}},
		{name: "duration too long", flags: map[string]string{"duration": "12h1s"}, want: []string{"invalid duration"}},
		{name: "duration 43201 s", flags: map[string]string{"duration": "43201"}, want: []string{"invalid duration"}},
		{name: "duration negative", flags: map[string]string{"duration": "-1"}, want: []string{"invalid duration"}},
		{name: "duration negative go", flags: map[string]string{"duration": "-1h"}, want: []string{"invalid duration"}},
		{name: "duration words", flags: map[string]string{"duration": "twelve hours"}, want: []string{"invalid duration"}},
		{name: "duration empty flag", flags: map[string]string{"duration": ""}, want: []string{`invalid duration "" from flag --duration`}},
		{name: "duration env", env: map[string]string{"CA_HELPER_DURATION": "13h"}, want: []string{"from env CA_HELPER_DURATION"}},
		{name: "duration config", config: true, want: []string{`invalid duration "5m" from config CONFIG:3 (targets.t1.duration)`}},
		{name: "min-ttl negative", flags: map[string]string{"min-ttl": "-1m"}, want: []string{"invalid min-ttl", "flag --min-ttl"}},
		{name: "min-ttl too long", flags: map[string]string{"min-ttl": "13h"}, want: []string{"invalid min-ttl"}},
		{name: "min-ttl env", env: map[string]string{"CA_HELPER_MIN_TTL": "1 hour"}, want: []string{"env CA_HELPER_MIN_TTL"}},
		{name: "min-ttl config", config: true, flags: map[string]string{"duration": "1h"}, want: []string{"config CONFIG:4 (targets.t1.min_ttl)"}},
		{name: "cache unknown", flags: map[string]string{"cache": "memory"}, want: []string{`invalid cache "memory" from flag --cache`}},
		{name: "cache case", env: map[string]string{"CA_HELPER_CACHE": "Keyring"}, want: []string{"env CA_HELPER_CACHE"}},
		{name: "cache config", config: true, flags: map[string]string{"duration": "1h", "min-ttl": "1m"}, want: []string{"config CONFIG:5 (targets.t1.cache)"}},
		{name: "timeout zero", flags: map[string]string{"timeout": "0"}, want: []string{"invalid timeout", "flag --timeout"}},
		{name: "timeout too long", env: map[string]string{"CA_HELPER_TIMEOUT": "11m"}, want: []string{"env CA_HELPER_TIMEOUT"}},
		{name: "value with newline", flags: map[string]string{"duration": "1h\nrm -rf"}, want: []string{`"1h\nrm -rf"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &Inputs{Flags: tt.flags, Getenv: envMap(tt.env)}
			if in.Flags == nil {
				in.Flags = map[string]string{}
			}
			tgt := Target{}
			if tt.config {
				in.ConfigPath = writeFile(t, "config.toml", badConfig)
				if _, err := in.LoadConfig(); err != nil {
					t.Fatal(err)
				}
				tgt.Name = "t1"
			}
			_, err := ResolveOptions(in, tgt)
			want := make([]string, len(tt.want))
			for i, w := range tt.want {
				want[i] = strings.ReplaceAll(w, "CONFIG", in.ConfigPath)
			}
			failuretest.WantUsage(t, err, want...)
		})
	}
}

func TestParseSeconds(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"0", 0, false},
		{"60", time.Minute, false},
		{"43200", 12 * time.Hour, false},
		{"2147483648", (1 << 31) * time.Second, false},
		{"2147483649", 0, true},
		{"99999999999999999999", 0, true},
		{"-1", 0, true},
		{"1h", time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"1h30m", 90 * time.Minute, false},
		{"1.5h", 90 * time.Minute, false},
		{"250ms", 250 * time.Millisecond, false},
		{"", 0, true},
		{" 60", 0, true},
		{"60 ", 0, true},
		{"1e3", 0, true},
		{"12 h", 0, true},
		{"h", 0, true},
		{"0x10", 0, true},
	}
	for _, tt := range tests {
		got, err := parseSeconds(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseSeconds(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("parseSeconds(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
