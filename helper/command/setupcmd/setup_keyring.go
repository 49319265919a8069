package setupcmd

import (
	"fmt"
	"os/exec"
	"path/filepath"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/tools"
)

// BackendInstall is how a user installs keyring with ca-helper's backend
// (python/ in ca-helper's source tree), for the hint setup --keyring prints.
const BackendInstall = "pipx install keyring && pipx inject keyring ./python (from a ca-helper checkout)"

// lookPath finds a program on PATH; a variable for the tests.
var lookPath = exec.LookPath

// checkKeyring refuses --keyring for a tool or file that has no keyring
// provider setting: only pip's pip.conf and uv's uv.toml get one.
func checkKeyring(keyring bool, tool tools.Tool, path string) error {
	switch {
	case !keyring:
		return nil
	case tool.Name != "pip" && tool.Name != "uv":
		return failure.Usagef("leave out --keyring: it is for pip and uv, which can ask a keyring for the token",
			"--keyring does not apply to %s", tool.Name)
	case filepath.Base(path) == "pyproject.toml":
		return failure.Usagef("leave out --project to set up the user's uv.toml, or set keyring-provider = \"subprocess\" under [tool.uv] by hand",
			"--keyring writes keyring-provider into uv.toml, and %s has a pyproject.toml and no uv.toml", filepath.Dir(path))
	}
	return nil
}

// keyringHint closes setup --keyring: the tool runs without exec now, and
// needs the keyring program with ca-helper's backend beside it.
func keyringHint(e *cmdenv.Env, tool string, look func(string) (string, error)) {
	fmt.Fprintf(e.Stderr, "ca-helper: run %s as usual: it asks the keyring backend, which asks ca-helper\n", tool)
	if _, err := look("keyring"); err != nil {
		e.Warn(fmt.Sprintf("keyring is not on PATH, so %s gets no token; install it with ca-helper's backend: %s", tool, BackendInstall))
	}
}
