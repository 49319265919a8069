package target

import (
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// The timeout is checked when options resolve, before any AWS call: a value
// too short for even the credentials to resolve would otherwise read as
// "no credentials".
func TestTimeoutRange(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration // 0: refused
	}{
		{"1s", time.Second},
		{"1", time.Second},
		{"30s", 30 * time.Second},
		{"10m", 10 * time.Minute},
		{"600", 10 * time.Minute},
		{"1ns", 0},
		{"999ms", 0},
		{"0", 0},
		{"0s", 0},
		{"-1s", 0},
		{"-5", 0},
		{"10m1s", 0},
		{"601", 0},
		{"1h", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			in := &Inputs{Flags: map[string]string{"timeout": tt.in}, Getenv: envMap(nil)}
			o, err := ResolveOptions(in, Target{})
			if tt.want != 0 {
				if err != nil || o.Timeout != tt.want {
					t.Fatalf("timeout %q: %v, %v; want %v", tt.in, o.Timeout, err, tt.want)
				}
				return
			}
			code, hint := failure.Classify(err)
			if code != failure.Usage || !strings.Contains(hint, "from 1s to 10m") ||
				err == nil || !strings.Contains(err.Error(), "invalid timeout") || !strings.Contains(err.Error(), "flag --timeout") {
				t.Fatalf("timeout %q: exit %d, error %v, hint %q; want exit 2, the flag named, and the range in the hint", tt.in, code, err, hint)
			}
		})
	}
}

func TestValidateSuggestsRegion(t *testing.T) {
	tests := []struct{ region, wantHint string }{
		{"us-east1", "did you mean us-east-1? (region must be a region such as eu-west-1)"},
		{"eu-west-1a", "did you mean eu-west-1?"},
		{"mars", "region must be a region such as eu-west-1"},
	}
	for _, tt := range tests {
		err := Target{Domain: "d1", Region: tt.region, Sources: map[string]string{"region": "flag --region"}}.Validate()
		code, hint := failure.Classify(err)
		if code != failure.Usage || !strings.HasPrefix(hint, tt.wantHint) || !strings.Contains(err.Error(), `invalid region "`+tt.region+`" from flag --region`) {
			t.Errorf("region %q: exit %d, error %v, hint %q; want exit 2 and hint %q", tt.region, code, err, hint, tt.wantHint)
		}
	}
}
