package setupcmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/maven"
)

// Maven is `ca-helper maven install|uninstall`: the per-user install of the
// Maven extension, with no project file.
func Maven(e *cmdenv.Env) *cli.Command {
	return &cli.Command{
		Name:  "maven",
		Usage: "load the ca-helper Maven extension in every Maven of this user (mvn, ./mvnw, IntelliJ's bundled Maven), no project file needed",
		Subcommands: []*cli.Command{
			{
				Name:      "install",
				Usage:     "set up ~/.mavenrc, the Maven 4 user properties (~/.m2/maven.properties, maven-user.properties) and the lib of IDE-bundled Mavens to load the extension; safe to run again",
				UsageText: "ca-helper maven install [--jar JAR] [--maven-home DIR]... [--dry-run]",
				Flags:     mavenFlags(),
				Action:    func(c *cli.Context) error { return runMaven(e, c, true) },
			},
			{
				Name:      "uninstall",
				Usage:     "undo `ca-helper maven install`",
				UsageText: "ca-helper maven uninstall [--maven-home DIR]... [--dry-run]",
				Flags:     mavenFlags(),
				Action:    func(c *cli.Context) error { return runMaven(e, c, false) },
			},
			mavenStamp(),
		},
	}
}

func mavenFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "jar", Usage: "the extension jar to load (default: PREFIX/share/ca-helper/" + maven.ExtensionJar + ", where install.sh put it next to this ca-helper)"},
		&cli.StringSliceFlag{Name: "maven-home", Usage: "also put the jar into `DIR`/lib, a Maven installation an IDE or a script uses (repeatable)"},
		&cli.BoolFlag{Name: "dry-run", Usage: "say what would change and change nothing"},
	}
}

// mavenStep is one file the per-user install changes.
type mavenStep struct {
	path, what string
	change     func(old []byte) ([]byte, error)
}

func runMaven(e *cmdenv.Env, c *cli.Context, install bool) error {
	if c.NArg() > 0 {
		return failure.Usagef("run `ca-helper maven --help`", "unexpected argument %q", failure.Printable(c.Args().First()))
	}
	home := e.Home()
	if home == "" {
		return failure.Usagef("set HOME (USERPROFILE on Windows)", "find home directory: no HOME is set")
	}
	homes, err := mavenHomes(c.StringSlice("maven-home"))
	if err != nil {
		return err
	}
	jar, err := extensionJar(e, c, home, install)
	if err != nil {
		return err
	}
	dry := c.Bool("dry-run")
	// Every file's new content first, so bad input stops before any write.
	steps := userSteps(home, jar, install)
	plans := make([]plan, len(steps))
	for i, s := range steps {
		if plans[i], err = planStep(s); err != nil {
			return err
		}
	}
	for _, p := range plans {
		if err := applyStep(e, p, dry); err != nil {
			return err
		}
	}
	// Maven 4's launcher loads ~/.m2/ext/*.jar into its core, where the
	// settings of every step see the dispatcher, a project's extensions.xml
	// included (an ext class path comes too late for that one).
	userExt := filepath.Join(home, ".m2", "ext")
	if err := jarStep(e, userExt, []string{userExt}, jar, "mvn and ./mvnw, Maven 4", install, dry); err != nil {
		return failure.Wrap(failure.Runtime, "check that "+userExt+" is writable", err)
	}
	explicit := map[string]bool{}
	for _, h := range homes {
		explicit[h] = true
	}
	for _, h := range maven.FindIDEMavens(maven.IDEDirs(e.Getenv, home, runtime.GOOS)) {
		if !explicit[h] {
			homes = append(homes, h)
		}
	}
	var failed error
	for _, h := range homes {
		if err := homeStep(e, h, jar, install, dry); err != nil {
			if explicit[h] && failed == nil {
				failed = err
			} else if !explicit[h] {
				e.Warn(failure.OneLine(err.Error()) + "; fix: " + sudoHint(h, jar, install))
			}
		}
	}
	if failed != nil {
		return failed
	}
	if install && !dry {
		fmt.Fprintln(e.Stderr, "ca-helper: hint: IntelliJ IDEA with another Maven home: `ca-helper maven install --maven-home DIR`, or -D"+maven.ExtClassPath+"="+jar+" in its importer VM options; Eclipse and VS Code load only .mvn/extensions.xml: `ca-helper settings --extension --project DIR`")
	}
	return nil
}

// userSteps are the text files of the user's own set-up: ~/.mavenrc, which
// the mvn script of Maven 3 and 4 sources (not on Windows; its block acts on
// Maven 3 only), and the user properties file of Maven 4, which it reads
// wherever it runs: the 4.0 release candidates read ~/.m2/maven.properties,
// later 4.x ~/.m2/maven-user.properties. Maven 3 reads neither.
func userSteps(home, jar string, install bool) []mavenStep {
	sep := string(os.PathListSeparator)
	rc := mavenStep{path: filepath.Join(home, ".mavenrc"), what: "mvn and ./mvnw, Maven 3"}
	if install {
		rc.change = func(old []byte) ([]byte, error) { return maven.MergeMavenrc(old, jar) }
	} else {
		if jar == "" {
			jar = maven.MavenrcJar(readOrEmpty(rc.path))
		}
		rc.change = func(old []byte) ([]byte, error) { return maven.RemoveMavenrc(old), nil }
	}
	var steps []mavenStep
	for _, name := range []string{"maven.properties", "maven-user.properties"} {
		props := mavenStep{path: filepath.Join(home, ".m2", name), what: "Maven 4 where no mvn script runs, such as an IDE importer"}
		if install {
			props.change = func(old []byte) ([]byte, error) { return maven.MergeUserProperties(old, jar, sep), nil }
		} else {
			props.change = func(old []byte) ([]byte, error) { return maven.RemoveUserProperties(old, jar, sep), nil }
		}
		steps = append(steps, props)
	}
	if runtime.GOOS == "windows" {
		return steps
	}
	return append(steps, rc)
}

// plan is a step with the file's content now and after it.
type plan struct {
	mavenStep
	old, out []byte
}

func planStep(s mavenStep) (plan, error) {
	old, err := os.ReadFile(s.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return plan{}, failure.Wrap(failure.Runtime, "check the file's permissions", fmt.Errorf("read %s: %w", s.path, err))
	}
	out, err := s.change(old)
	if err != nil {
		return plan{}, failure.Usagef("pass --jar with a path without blanks or shell characters (or install with such a PREFIX)", "%s: %w", s.path, err)
	}
	return plan{s, old, out}, nil
}

func applyStep(e *cmdenv.Env, p plan, dry bool) error {
	switch {
	case string(p.out) == string(p.old):
		fmt.Fprintf(e.Stderr, "ca-helper: %s: unchanged (%s)\n", p.path, p.what)
	case dry:
		fmt.Fprintf(e.Stderr, "ca-helper: dry run: would change %s (%s)\n", p.path, p.what)
	case len(p.out) == 0 && len(p.old) > 0:
		// Nothing of the user's was in it: the file was ca-helper's alone.
		if err := os.Remove(p.path); err != nil {
			return failure.Wrap(failure.Runtime, "check the file's permissions", err)
		}
		fmt.Fprintf(e.Stderr, "ca-helper: removed %s\n", p.path)
	default:
		if _, err := maven.WriteFile(p.path, p.out); err != nil {
			return failure.Wrap(failure.Runtime, "check that the directory is writable", err)
		}
		fmt.Fprintf(e.Stderr, "ca-helper: wrote %s (%s)\n", p.path, p.what)
	}
	if !dry {
		fmt.Fprintln(e.Stdout, p.path)
	}
	return nil
}

// jarStep puts the jar into dir (or takes it out of every dir of remove).
func jarStep(e *cmdenv.Env, dir string, remove []string, jar, what string, install, dry bool) error {
	path := filepath.Join(dir, maven.HomeJar)
	if dry {
		verb := map[bool]string{true: "write", false: "remove"}[install]
		fmt.Fprintf(e.Stderr, "ca-helper: dry run: would %s %s (%s)\n", verb, path, what)
		return nil
	}
	if !install {
		removed, err := maven.RemoveJars(remove...)
		for _, p := range removed {
			fmt.Fprintf(e.Stderr, "ca-helper: removed %s (%s)\n", p, what)
			fmt.Fprintln(e.Stdout, p)
		}
		return err
	}
	_, changed, err := maven.InstallJar(dir, jar)
	if err != nil {
		return err
	}
	verb := "wrote"
	if !changed {
		verb = "unchanged"
	}
	fmt.Fprintf(e.Stderr, "ca-helper: %s %s (%s)\n", verb, path, what)
	fmt.Fprintln(e.Stdout, path)
	return nil
}

// homeStep puts the jar into (or takes it out of) a Maven installation's lib.
// Not lib/ext: the mvn launcher loads both, but IntelliJ IDEA puts only the
// jars of lib itself on its Maven importers' class path (Maven3Support and
// Maven4Support, collectClassPathAndLibsFolder). Removing also clears lib/ext,
// where install.sh's CA_HELPER_MAVEN_EXT_DIR may have put it.
func homeStep(e *cmdenv.Env, home, jar string, install, dry bool) error {
	version, _ := maven.MavenVersion(home)
	lib := filepath.Join(home, "lib")
	err := jarStep(e, lib, []string{lib, filepath.Join(lib, "ext")}, jar, "Maven "+version+": every build and IDE import that uses it", install, dry)
	if err != nil {
		return failure.Wrap(failure.Runtime, sudoHint(home, jar, install), err)
	}
	return nil
}

func sudoHint(home, jar string, install bool) string {
	if install {
		return "copy it as the installation's owner: sudo cp " + jar + " " + filepath.Join(home, "lib", maven.HomeJar)
	}
	return "remove it as the installation's owner: sudo rm -f " + filepath.Join(home, "lib", maven.HomeJar) + " " + filepath.Join(home, "lib", "ext", maven.HomeJar)
}

// mavenHomes checks the --maven-home dirs: each must be a Maven installation.
func mavenHomes(dirs []string) ([]string, error) {
	var homes []string
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, failure.Usagef("pass the directory that holds Maven's bin and lib", "--maven-home %s: %w", failure.Printable(d), err)
		}
		if _, ok := maven.MavenVersion(abs); !ok {
			return nil, failure.Usagef("pass the directory that holds Maven's bin and lib (`mvn -v` prints it as \"Maven home\")",
				"--maven-home %s is not a Maven installation: no lib/maven-core-*.jar", failure.Printable(d))
		}
		homes = append(homes, abs)
	}
	return homes, nil
}

func readOrEmpty(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}
