package awsca

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/names"
)

// loadError explains a configuration that did not load; a profile that does
// not exist is the usual cause, and is often a typo of one that does.
func loadError(err error, r Request) error {
	var missing config.SharedConfigProfileNotExistError
	if !errors.As(err, &missing) {
		return classify("load AWS config", err, r)
	}
	p := missing.Profile
	hint := doctorHint(fmt.Sprintf("create it with `aws configure --profile %s` (or `aws configure sso`), or fix --profile / AWS_PROFILE", p))
	if guess := names.Suggest(p, profileNames()); guess != "" {
		hint = fmt.Sprintf("did you mean %s? pass --profile %s or set AWS_PROFILE=%s (or create %s with `aws configure --profile %s`)", guess, guess, guess, p, p)
	}
	e := mk(failure.Auth, "no credentials", hint, err)
	e.op, e.detail = "load AWS config", fmt.Sprintf("profile %q is not in the AWS config or credentials file", p)
	return e
}

// checkConfigRegion refuses a region the AWS config gave (ca-helper checked
// any it gave itself) that is not a region name, such as a profile's
// "us-east1", before it becomes a DNS failure blamed on the network. With an
// endpoint override the region only signs requests, and a stand-in service
// may accept any.
func checkConfigRegion(region string, r Request) error {
	if r.Region != "" || names.Region(region) {
		return nil
	}
	if name, _ := endpointOverride(); name != "" {
		return nil
	}
	p := orDefault(r.Profile)
	hint := fmt.Sprintf("give profile %s a region such as eu-west-1 (`aws configure set region eu-west-1 --profile %s`), or pass --region", p, p)
	if guess := names.SuggestRegion(region); guess != "" {
		hint = fmt.Sprintf("did you mean %s? run `aws configure set region %s --profile %s`, or pass --region %s", guess, guess, p, guess)
	}
	e := mk(failure.Usage, "bad region", hint, fmt.Errorf("%q from the AWS config of profile %s is not a region name", region, p))
	e.op = "load AWS config"
	return e
}

// profileNames lists the profiles of the files the SDK reads:
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
// ~/.aws/credentials. Only section headers are read; a file that cannot be
// read has no profiles.
func profileNames() []string {
	configFile := or(os.Getenv("AWS_CONFIG_FILE"), config.DefaultSharedConfigFilename())
	credsFile := or(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), config.DefaultSharedCredentialsFilename())
	return append(sections(configFile, true), sections(credsFile, false)...)
}

// maxProfileFile bounds what is read of one file: real ones are a few KB.
const maxProfileFile = 1 << 20

func sections(path string, configFile bool) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	return profileSections(io.LimitReader(f, maxProfileFile), configFile)
}

// profileSections returns the profile names of an INI file's section
// headers. In the config file a profile is [profile NAME] or [default];
// other sections ([sso-session NAME], [services NAME]) are not profiles. In
// the credentials file every section is one.
func profileSections(r io.Reader, configFile bool) []string {
	var found []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
			continue
		}
		name := strings.TrimSpace(line[1 : len(line)-1])
		if configFile && name != "default" {
			rest, ok := strings.CutPrefix(name, "profile ")
			if !ok {
				continue
			}
			name = strings.TrimSpace(rest)
		}
		if names.Profile(name) {
			found = append(found, name)
		}
	}
	return found
}
