package tools

import (
	"slices"
	"strings"
	"testing"
)

// TestPythonToolEnv: each Python tool's variables, and endpoints none of
// them accepts, refused without the token in the error.
func TestPythonToolEnv(t *testing.T) {
	const ep = "https://h.example/pypi/my-repo.x/"
	tests := []struct {
		tool, endpoint, name string
		want                 []string // nil: an error
	}{
		{"twine", ep, "", []string{"TWINE_USERNAME=aws", "TWINE_PASSWORD=tok/en", "TWINE_REPOSITORY_URL=" + ep}},
		{"twine", "http://127.0.0.1:9/pypi/r", "", []string{"TWINE_USERNAME=aws", "TWINE_PASSWORD=tok/en", "TWINE_REPOSITORY_URL=http://127.0.0.1:9/pypi/r/"}},
		{"uv", "", "my-repo.x", []string{"UV_INDEX_MY_REPO_X_USERNAME=aws", "UV_INDEX_MY_REPO_X_PASSWORD=tok/en"}},
		{"poetry", ep, "my-repo.x", []string{"POETRY_HTTP_BASIC_MY_REPO_X_USERNAME=aws", "POETRY_HTTP_BASIC_MY_REPO_X_PASSWORD=tok/en",
			"POETRY_REPOSITORIES_MY_REPO_X_URL=" + ep}},
		{"uv", "", "", nil},
		{"poetry", ep, "", nil},
		{"poetry", "https://u:p@h/pypi/r/", "r", nil},
		{"twine", "https://h/pypi/r/?x=1", "", nil},
		{"twine", "ftp://h/pypi/r/", "", nil},
		{"pip", "https://h/pypi/r/#f", "", nil},
	}
	for _, tt := range tests {
		row, ok := Lookup(tt.tool)
		if !ok || row.Format != "pypi" {
			t.Fatalf("%s row: %+v", tt.tool, row)
		}
		env, err := row.Env(Vars{Token: "tok/en", Endpoint: tt.endpoint, Name: tt.name})
		if tt.want == nil {
			if err == nil || strings.Contains(err.Error(), "tok/en") {
				t.Errorf("%s %s %q: %q, %v; want an error without the token", tt.tool, tt.endpoint, tt.name, env, err)
			}
			continue
		}
		if err != nil || !slices.Equal(env, tt.want) {
			t.Errorf("%s %s %q: %q, %v; want %q", tt.tool, tt.endpoint, tt.name, env, err, tt.want)
		}
	}
}

func TestPythonToolRows(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		endpoint, repository bool
		commands             []string
	}{
		{"pip", true, false, []string{"pip", "pip3"}},
		{"twine", true, false, []string{"twine"}},
		{"uv", false, true, []string{"uv", "uvx"}},
		{"poetry", true, true, []string{"poetry"}},
	} {
		row, _ := Lookup(tt.name)
		if row.NeedsEndpoint != tt.endpoint || row.NeedsRepository != tt.repository || !slices.Equal(row.Commands, tt.commands) {
			t.Errorf("%s row: %+v", tt.name, row)
		}
		for _, c := range tt.commands {
			if got, _ := ForCommand("/usr/bin/" + c); got.Name != tt.name {
				t.Errorf("ForCommand(%s) = %q, want %s", c, got.Name, tt.name)
			}
		}
	}
}
