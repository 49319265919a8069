package names

import "testing"

func TestSuggestRegion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"us-east1", "us-east-1"},
		{"useast-1", "us-east-1"},
		{"useast1", "us-east-1"},
		{"US_EAST_1", "us-east-1"},
		{"eu-west-1a", "eu-west-1"},
		{"ap-southeast2", "ap-southeast-2"},
		{"us-gov-west1", "us-gov-west-1"},
		{" eu-central-1 ", "eu-central-1"},
		{"us-east-1", ""}, // nothing to suggest
		{"mars", ""},
		{"us-1", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SuggestRegion(tt.in); got != tt.want {
			t.Errorf("SuggestRegion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	profiles := []string{"default", "dev", "prod", "staging", "ci-deploy"}
	tests := []struct {
		in    string
		known []string
		want  string
	}{
		{"dve", profiles, "dev"},             // two letters swapped
		{"de", profiles, "dev"},              // one dropped
		{"devv", profiles, "dev"},            // one added
		{"prd", profiles, "prod"},            // one dropped
		{"Prod", profiles, "prod"},           // case
		{"stagign", profiles, "staging"},     // swapped at the end
		{"ci-depoly", profiles, "ci-deploy"}, // swapped in the middle
		{"defualt", profiles, "default"},
		{"dev", profiles, ""},                         // known: nothing to suggest
		{"xyz", profiles, ""},                         // nothing close
		{"production", profiles, ""},                  // too far from prod
		{"dve", nil, ""},                              // no profiles at all
		{"dxx", []string{"dab", "dxy", "dxz"}, "dxy"}, // ties: the first in order
		{"", profiles, ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, tt.known); got != tt.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tt.in, tt.known, got, tt.want)
		}
	}
}
