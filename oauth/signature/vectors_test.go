package signature_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/magekit/magekit/oauth/signature"
)

// vector is one case of testdata/vectors-2.4.7.json (testdata/README.md).
type vector struct {
	Name                string        `json:"name"`
	Method              string        `json:"method"`
	URL                 string        `json:"url"`
	HeadersOAuth        orderedObject `json:"headers_oauth"`
	ContentType         *string       `json:"content_type"`
	Body                *string       `json:"body"`
	ConsumerSecret      string        `json:"consumer_secret"`
	TokenSecret         *string       `json:"token_secret"`
	AuthorizationHeader *string       `json:"authorization_header"`
	SignedParams        orderedObject `json:"signed_params"`
	NormalizedURL       *string       `json:"normalized_url"`
	BaseString          *string       `json:"base_string"`
	Signature           *string       `json:"signature"`
	Error               *string       `json:"error"`
	RFCBaseString       string        `json:"rfc5849_base_string"`
	RFCSignature        string        `json:"rfc5849_signature"`
}

// orderedObject is a JSON object with its keys in document order.
type orderedObject []member

type member struct {
	Key   string
	Value json.RawMessage
}

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("want object, got %v (%v)", t, err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		*o = append(*o, member{Key: t.(string), Value: raw})
	}
	return nil
}

// params returns the members as params; a non-string value (a PHP array)
// becomes "<array>".
func (o orderedObject) params() []signature.Param {
	ps := make([]signature.Param, 0, len(o))
	for _, m := range o {
		var s string
		if err := json.Unmarshal(m.Value, &s); err != nil {
			s = "<array>"
		}
		ps = append(ps, signature.Param{Name: m.Key, Value: s})
	}
	return ps
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vectors-2.4.7.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []vector `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("no cases in vectors-2.4.7.json")
	}
	return f.Cases
}

// header returns the case's Authorization header; for error cases, which
// have none, it is built from headers_oauth.
func (v vector) header() string {
	if v.AuthorizationHeader != nil {
		return *v.AuthorizationHeader
	}
	return signature.AuthorizationHeader(v.HeadersOAuth.params())
}

// httpRequest builds the request a client sends for the case.
func (v vector) httpRequest() *http.Request {
	var body io.Reader
	if v.Body != nil {
		body = strings.NewReader(*v.Body)
	}
	r := httptest.NewRequest(v.Method, v.URL, body)
	r.Header.Set("Authorization", v.header())
	if v.ContentType != nil {
		r.Header.Set("Content-Type", *v.ContentType)
	}
	return r
}

func (v vector) tokenSecret() string {
	if v.TokenSecret == nil {
		return ""
	}
	return *v.TokenSecret
}

func without(ps []signature.Param, name string) []signature.Param {
	out := make([]signature.Param, 0, len(ps))
	for _, p := range ps {
		if p.Name != name {
			out = append(out, p)
		}
	}
	return out
}

// TestVectorsMagento247 checks every case of vectors-2.4.7.json against the
// default profile: the URL Magento signs, the extracted parameters, the
// normalised URL, the base string and the signature, or the failure.
func TestVectorsMagento247(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			r := v.httpRequest()
			req, err := signature.ReadRequest(r, "")
			if err != nil {
				t.Fatalf("ReadRequest: %v", err)
			}
			if req.URL != v.URL {
				t.Errorf("RequestURL = %q, want %q", req.URL, v.URL)
			}
			params, err := signature.Magento247.Params(req)
			if v.Error != nil {
				var me interface{ Status() int }
				if err == nil || !errors.As(err, &me) || me.Status() != 500 {
					t.Fatalf("Params(%s) = %v, want an internal error as Magento's %q", v.Name, err, *v.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("Params(%s): %v", v.Name, err)
			}
			if diff := cmp.Diff(v.SignedParams.params(), without(params, signature.ParamSignature)); diff != "" {
				t.Errorf("Params(%s) mismatch (-want +got):\n%s", v.Name, diff)
			}
			norm, err := signature.Magento247.BaseURI(req.URL)
			if err != nil || norm != *v.NormalizedURL {
				t.Errorf("BaseURI(%q) = %q, %v, want %q", req.URL, norm, err, *v.NormalizedURL)
			}
			base, err := signature.Magento247.BaseString(req.Method, req.URL, params)
			if err != nil || base != *v.BaseString {
				t.Errorf("BaseString(%s) = %q, %v\nwant %q", v.Name, base, err, *v.BaseString)
			}
			sig, err := signature.Magento247.Sign(signature.HMACSHA256, base, v.ConsumerSecret, v.tokenSecret())
			if err != nil || sig != *v.Signature {
				t.Errorf("Sign(%s) = %q, %v, want %q", v.Name, sig, err, *v.Signature)
			}
			if got, _ := paramValue(params, signature.ParamSignature); got != *v.Signature {
				t.Errorf("oauth_signature from the header = %q, want %q", got, *v.Signature)
			}
		})
	}
}

// TestVectorsRFC5849 checks that the RFC5849 profile reproduces every
// rfc5849_signature (oauthlib's answer for the same HTTP request).
func TestVectorsRFC5849(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			req, err := signature.ReadRequest(v.httpRequest(), "")
			if err != nil {
				t.Fatalf("ReadRequest: %v", err)
			}
			params, err := signature.RFC5849.Params(req)
			if err != nil {
				t.Fatalf("Params(%s): %v", v.Name, err)
			}
			base, err := signature.RFC5849.BaseString(req.Method, req.URL, params)
			if err != nil || base != v.RFCBaseString {
				t.Errorf("BaseString(%s) = %q, %v\nwant %q", v.Name, base, err, v.RFCBaseString)
			}
			sig, err := signature.RFC5849.Sign(signature.HMACSHA256, base, v.ConsumerSecret, v.tokenSecret())
			if err != nil || sig != v.RFCSignature {
				t.Errorf("Sign(%s) = %q, %v, want %q", v.Name, sig, err, v.RFCSignature)
			}
		})
	}
}

func paramValue(ps []signature.Param, name string) (string, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}
