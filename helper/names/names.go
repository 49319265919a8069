// Package names checks the names ca-helper accepts: CodeArtifact domains and
// repositories, account ids, regions, AWS profiles and environment variables.
// The checks are plain loops rather than regular expressions because they run
// on every cached `get`, where compiling patterns at start-up would cost more
// than answering from the cache. For a name that was refused, SuggestRegion
// and Suggest guess the one meant.
package names

// Domain: 2-50 characters, lowercase letters, digits and '-', starting with a
// letter and not ending with '-' (^[a-z][a-z0-9-]{0,48}[a-z0-9]$).
func Domain(s string) bool {
	return len(s) >= 2 && len(s) <= 50 && lower(s[0]) && s[len(s)-1] != '-' &&
		all(s, func(c byte) bool { return lower(c) || digit(c) || c == '-' })
}

// Account: a 12-digit AWS account id.
func Account(s string) bool {
	return len(s) == 12 && all(s, digit)
}

// Region: two letters, one or more lowercase words and a number, each joined by
// '-', such as eu-west-1 or us-gov-east-1 (^[a-z]{2}(-[a-z]+)+-[0-9]+$).
func Region(s string) bool {
	parts := split(s, '-')
	if len(parts) < 3 || len(parts[0]) != 2 || !all(parts[0], lower) {
		return false
	}
	last := parts[len(parts)-1]
	if last == "" || !all(last, digit) {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		if p == "" || !all(p, lower) {
			return false
		}
	}
	return true
}

// Repository: 2-100 letters, digits, '.', '_' or '-', starting with a letter or
// digit (^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$).
func Repository(s string) bool {
	return len(s) >= 2 && len(s) <= 100 && alnum(s[0]) &&
		all(s, func(c byte) bool { return alnum(c) || c == '.' || c == '_' || c == '-' })
}

// Profile: 1-128 characters an AWS profile name can hold.
func Profile(s string) bool {
	return len(s) >= 1 && len(s) <= 128 && all(s, func(c byte) bool {
		return alnum(c) || c == '_' || c == '.' || c == '@' || c == '+' || c == '=' || c == ',' || c == ':' || c == '/' || c == '-'
	})
}

// EnvVar: a portable environment variable name of at most 128 characters.
func EnvVar(s string) bool {
	return len(s) >= 1 && len(s) <= 128 && !digit(s[0]) &&
		all(s, func(c byte) bool { return alnum(c) || c == '_' })
}

func all(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func split(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func lower(c byte) bool { return c >= 'a' && c <= 'z' }
func digit(c byte) bool { return c >= '0' && c <= '9' }
func alnum(c byte) bool { return lower(c) || c >= 'A' && c <= 'Z' || digit(c) }
