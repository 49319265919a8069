package fake

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// stsIdentity is the GetCallerIdentity answer of the STS query API.
type stsIdentity struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ GetCallerIdentityResponse"`
	Result  struct {
		Arn     string `xml:"Arn"`
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
	} `xml:"GetCallerIdentityResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

// handleSTS answers STS GetCallerIdentity (POST / with the form
// Action=GetCallerIdentity), the one STS call ca-helper makes: it names
// Options.Account for every caller the signature check lets in.
func (s *Server) handleSTS(w http.ResponseWriter, r *http.Request, info *Request) {
	if !s.authenticateFor(w, r, info, "sts") {
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("Action") != "GetCallerIdentity" {
		writeAPIError(w, http.StatusBadRequest, "InvalidAction", "only GetCallerIdentity is implemented")
		return
	}
	account := s.opts.Account
	if account == "" {
		account = DefaultOwner
	}
	var id stsIdentity
	id.Result.Account, id.Result.UserID = account, "AIDAFAKE"+info.AccessKeyID
	id.Result.Arn = "arn:aws:iam::" + account + ":user/fake"
	id.RequestID = randomText(22)
	b, err := xml.Marshal(id)
	if err != nil {
		writeAPIError(w, http.StatusInternalServerError, "InternalFailure", err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b) // the client may be gone
}
