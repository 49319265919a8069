// Package policy builds the IAM policy documents ca-helper prints: the
// least-privilege identity policy that lets a principal fetch CodeArtifact
// tokens (and optionally publish), and the trust policies of roles that
// EC2, ECS tasks, CodeBuild or GitHub Actions assume. The functions are pure:
// they take names that the caller has resolved and return documents that
// marshal to stable, indented JSON. Nothing here talks to AWS.
package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ca-helper/ca-helper/helper/names"
)

// Version is the only current IAM policy language version.
const Version = "2012-10-17"

// Document is an IAM policy document. Field order is the JSON key order.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Identity policies set Resource and no
// Principal; trust policies set Principal and no Resource.
type Statement struct {
	Sid       string     `json:"Sid"`
	Effect    string     `json:"Effect"`
	Principal *Principal `json:"Principal,omitempty"`
	Action    Values     `json:"Action"`
	Resource  Values     `json:"Resource,omitempty"`
	Condition Condition  `json:"Condition,omitempty"`
}

// Principal names who may assume a role: an AWS service or an identity provider.
type Principal struct {
	Service   string `json:"Service,omitempty"`
	Federated string `json:"Federated,omitempty"`
}

// Condition maps an operator (StringEquals, StringLike) to key/value pairs.
// encoding/json writes map keys sorted, so the output is stable.
type Condition map[string]map[string]string

// Values is an Action or Resource list. One value is written as a plain
// string, as in the AWS documentation; several as an array.
type Values []string

// MarshalJSON writes a single value as a string.
func (v Values) MarshalJSON() ([]byte, error) {
	if len(v) == 1 {
		return json.Marshal(v[0])
	}
	return json.Marshal([]string(v))
}

// UnmarshalJSON accepts either form, as IAM does.
func (v *Values) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*v = Values{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("action or resource must be a string or an array of strings: %w", err)
	}
	*v = many
	return nil
}

// JSON is the document indented by two spaces, ending in a newline.
func (d Document) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode policy: %w", err)
	}
	return buf.Bytes(), nil
}

// Partition is the ARN partition of a region: aws-cn for the China regions,
// aws-us-gov for GovCloud, aws for the rest.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

func checkAccount(what, account string) error {
	if !names.Account(account) {
		return fmt.Errorf("%s %q is not a 12-digit account id", what, account)
	}
	return nil
}

func checkRegion(region string) error {
	if !names.Region(region) {
		return fmt.Errorf("region %q is not a region such as eu-west-1", region)
	}
	return nil
}
