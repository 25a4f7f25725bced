package oauth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
)

// step is the provider operation a diagnosis case calls.
type step int

const (
	stepVerify step = iota
	stepRequest
	stepAccess
)

// doctorFixture is a provider with the real clock (dghubble/oauth1 stamps
// requests with it), its debug log kept.
type doctorFixture struct {
	*fixture
	log *syncBuffer
}

func newDoctorFixture(t *testing.T, p signature.Profile, diagnose bool) *doctorFixture {
	t.Helper()
	log := &syncBuffer{}
	f := newFixture(t, oauth.Config{Profile: p, DiagnoseSignatures: diagnose,
		Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	f.now = time.Now().Truncate(time.Second)
	return &doctorFixture{fixture: f, log: log}
}

// creds is what a client signs one step with.
type creds struct {
	consumer    oauth.Consumer
	token       string // empty for the request-token step
	tokenSecret string
	verifier    string // the access-token step only
}

// credentials creates a consumer whose token row is ready for st.
func (f *doctorFixture) credentials(st step) creds {
	f.t.Helper()
	ctx := context.Background()
	c := f.newConsumer("doctor" + f.nonce())
	v := f.issueVerifier(c.ID)
	if st == stepRequest {
		return creds{consumer: c}
	}
	rt, err := oauth.IssueRequestToken(ctx, f.store, c.ID, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if st == stepAccess {
		return creds{consumer: c, token: rt.Token, tokenSecret: rt.Secret, verifier: v.Verifier}
	}
	at, err := oauth.IssueAccessToken(ctx, f.store, c.ID, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return creds{consumer: c, token: at.Token, tokenSecret: at.Secret}
}

func (f *doctorFixture) call(st step, r *http.Request) error {
	ctx := context.Background()
	var err error
	switch st {
	case stepRequest:
		_, err = f.provider.RequestToken(ctx, r)
	case stepAccess:
		_, err = f.provider.AccessToken(ctx, r)
	default:
		_, err = f.provider.Verify(ctx, r)
	}
	return err
}

// rfc3986 is the OAuth percent-encoding, written here independently of the
// package under test.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// handSigner is a client built in the test: it signs exactly the URI and
// parameters it is given, encoded with enc (default rfc3986) and sorted by
// encoded name, then value, in byte order, with an HMAC keyed with key.
type handSigner struct {
	method string
	uri    string
	params [][2]string // decoded; the oauth_* ones are added
	enc    func(string) string
	sha1   bool
	key    string // default rfc3986(consumer secret)&rfc3986(token secret)
	skip   []string
}

// header returns the Authorization header carrying oauth and the
// signature over oauth and s.params.
func (s handSigner) header(oauthParams [][2]string, c creds) string {
	enc := s.enc
	if enc == nil {
		enc = rfc3986
	}
	var pairs [][2]string
	for _, p := range append(slices.Clone(oauthParams), s.params...) {
		if !slices.Contains(s.skip, p[0]) {
			pairs = append(pairs, [2]string{enc(p[0]), enc(p[1])})
		}
	}
	slices.SortFunc(pairs, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	joined := make([]string, len(pairs))
	for i, p := range pairs {
		joined[i] = p[0] + "=" + p[1]
	}
	base := strings.ToUpper(s.method) + "&" + rfc3986(s.uri) + "&" + rfc3986(strings.Join(joined, "&"))
	key := s.key
	if key == "" {
		key = rfc3986(c.consumer.Secret) + "&" + rfc3986(c.tokenSecret)
	}
	newHash := sha256.New
	if s.sha1 {
		newHash = func() hash.Hash { return sha1.New() }
	}
	mac := hmac.New(newHash, []byte(key))
	mac.Write([]byte(base))
	sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	h := make([]string, 0, len(oauthParams)+1)
	for _, p := range oauthParams {
		h = append(h, rfc3986(p[0])+`="`+rfc3986(p[1])+`"`)
	}
	return "OAuth " + strings.Join(append(h, `oauth_signature="`+rfc3986(sig)+`"`), ", ")
}

// oauthPairs are the protocol parameters of a request signed with c.
func (f *doctorFixture) oauthPairs(c creds) [][2]string {
	ps := [][2]string{
		{signature.ParamConsumerKey, c.consumer.Key},
		{signature.ParamNonce, f.nonce()},
		{signature.ParamSignatureMethod, signature.HMACSHA256},
		{signature.ParamTimestamp, strconv.FormatInt(f.now.Unix(), 10)},
		{signature.ParamVersion, "1.0"},
	}
	if c.token != "" {
		ps = append(ps, [2]string{signature.ParamToken, c.token})
	}
	if c.verifier != "" {
		ps = append(ps, [2]string{signature.ParamVerifier, c.verifier})
	}
	return ps
}

// byHand returns the request the server receives at target, signed by s.
func (f *doctorFixture) byHand(s handSigner, c creds, target, contentType, body string) *http.Request {
	r := httptest.NewRequest(s.method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("Authorization", s.header(f.oauthPairs(c), c))
	return r
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// dghubble returns the request the server receives at target when
// github.com/dghubble/oauth1 signs method clientURL with cfg and tok: the
// client's Authorization header on a request for target.
func dghubble(t *testing.T, cfg *oauth1.Config, tok *oauth1.Token, method, clientURL, target, contentType, body string) *http.Request {
	t.Helper()
	var auth string
	capture := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		auth = r.Header.Get("Authorization")
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})}
	client := cfg.Client(context.WithValue(t.Context(), oauth1.HTTPClient, capture), tok)
	req, err := http.NewRequest(method, clientURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("Authorization", auth)
	return r
}

// dghubbleConfig is a dghubble/oauth1 client for c, HMAC-SHA256.
func dghubbleConfig(c creds) (*oauth1.Config, *oauth1.Token) {
	return &oauth1.Config{ConsumerKey: c.consumer.Key, ConsumerSecret: c.consumer.Secret,
		Signer: &oauth1.HMAC256Signer{ConsumerSecret: c.consumer.Secret}}, oauth1.NewToken(c.token, c.tokenSecret)
}

// sha1Announcing256 is a dghubble signer that announces HMAC-SHA256 and
// computes HMAC-SHA1.
type sha1Announcing256 struct{ oauth1.HMACSigner }

func (*sha1Announcing256) Name() string { return signature.HMACSHA256 }

const (
	shop     = "http://shop.example.com"
	views    = shop + "/rest/V1/store/storeViews"
	products = shop + "/rest/V1/products"
	// Two filter indexes, 2 and 10: natural order and byte order differ.
	filters = "?searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B2%5D%5Bfield%5D=name" +
		"&searchCriteria%5BfilterGroups%5D%5B0%5D%5Bfilters%5D%5B10%5D%5Bfield%5D=sku"
	form = "application/x-www-form-urlencoded"
)

type doctorCase struct {
	name    string
	profile signature.Profile
	step    step
	rule    string
	request func(t *testing.T, f *doctorFixture, c creds) *http.Request
}

// doctorCases has one case per rule, each request made by a client that
// makes the mistake: dghubble/oauth1 where it makes it, else a signer
// built here.
var doctorCases = []doctorCase{
	{"dghubble sorts in byte order", signature.Magento247, stepVerify, signature.RuleByteOrderSort,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", products+filters, products+filters, "", "")
		}},
	{"dghubble decodes + in the query as a space", signature.Magento247, stepVerify, signature.RuleQueryPlusAsSpace,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", products+"?q=Joust+Duffle", products+"?q=Joust+Duffle", "", "")
		}},
	{"a client keeps + in the query against 2.4.3", signature.Magento243, stepVerify, signature.RuleQueryPlusKept,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "GET", uri: products, params: [][2]string{{"q", "Joust+Duffle"}}}
			return f.byHand(s, c, products+"?q=Joust+Duffle", "", "")
		}},
	{"dghubble signs the SKU's %2F as sent", signature.Magento247, stepVerify, signature.RulePathAsSent,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", products+"/MH01%2FXS", products+"/MH01%2FXS", "", "")
		}},
	{"a client decodes %2F against 2.4.3", signature.Magento243, stepVerify, signature.RulePathNormalised,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "GET", uri: products + "/MH01/XS"}
			return f.byHand(s, c, products+"/MH01%2FXS", "", "")
		}},
	{"Go's url.QueryEscape writes a space as +", signature.Magento247, stepVerify, signature.RulePlusForSpace,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "GET", uri: products, params: [][2]string{{"q", "Joust Duffle"}}, enc: url.QueryEscape}
			return f.byHand(s, c, products+"?q=Joust%20Duffle", "", "")
		}},
	{"a client signs the query as sent", signature.Magento247, stepVerify, signature.RuleDoubleEncoded,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "GET", uri: products, params: [][2]string{{"q", "Joust%20Duffle%2FBag"}}}
			return f.byHand(s, c, products+"?q=Joust%20Duffle%2FBag", "", "")
		}},
	{"dghubble signs the first of two values", signature.Magento247, stepVerify, signature.RuleDuplicateFirstValue,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", products+"?store=default&store=fr", products+"?store=default&store=fr", "", "")
		}},
	{"an RFC 5849 client signs both values", signature.Magento247, stepVerify, signature.RuleDuplicatesKept,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "GET", uri: products, params: [][2]string{{"store", "default"}, {"store", "fr"}}}
			return f.byHand(s, c, products+"?store=default&store=fr", "", "")
		}},
	{"dghubble signs https behind a TLS proxy", signature.Magento247, stepVerify, signature.RuleHTTPSSignedForHTTP,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", "https://shop.example.com/rest/V1/store/storeViews", views, "", "")
		}},
	{"dghubble signs http for an https store", signature.Magento247, stepVerify, signature.RuleHTTPSignedForHTTPS,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", views, "https://shop.example.com/rest/V1/store/storeViews", "", "")
		}},
	{"a client keeps :80", signature.Magento247, stepVerify, signature.RuleDefaultPortKept,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			return f.byHand(handSigner{method: "GET", uri: "http://shop.example.com:80/rest/V1/store/storeViews"}, c, views, "", "")
		}},
	{"dghubble signs the URL before a port mapping", signature.Magento247, stepVerify, signature.RulePortDropped,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", views, "http://shop.example.com:8080/rest/V1/store/storeViews", "", "")
		}},
	{"dghubble leaves out a form body with a charset", signature.Magento247, stepVerify, signature.RuleFormBodyOmitted,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "POST", products, products, form+"; charset=UTF-8", "name=Joust&sku=MH01")
		}},
	{"a client signs a body Magento does not read", signature.Magento247, stepVerify, signature.RuleFormBodySigned,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "POST", uri: products, params: [][2]string{{"name", "Joust"}}}
			return f.byHand(s, c, products, "Application/X-WWW-Form-Urlencoded", "name=Joust")
		}},
	{"a client leaves out the query", signature.Magento247, stepVerify, signature.RuleQueryOmitted,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			return f.byHand(handSigner{method: "GET", uri: products}, c, products+"?searchCriteria%5BpageSize%5D=20", "", "")
		}},
	{"a client signs as Magento's header builder", signature.Magento247, stepVerify, signature.RuleProtocolParamsOmitted,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "GET", uri: views, skip: []string{signature.ParamNonce, signature.ParamTimestamp, signature.ParamVersion}}
			return f.byHand(s, c, views, "", "")
		}},
	{"a dghubble signer computes SHA-1", signature.Magento247, stepVerify, signature.RuleHMACSHA1ForSHA256,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, tok := dghubbleConfig(c)
			cfg.Signer = &sha1Announcing256{oauth1.HMACSigner{ConsumerSecret: c.consumer.Secret}}
			return dghubble(t, cfg, tok, "GET", views, views, "", "")
		}},
	{"dghubble without the token secret", signature.Magento247, stepVerify, signature.RuleTokenSecretOmitted,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg, _ := dghubbleConfig(c)
			return dghubble(t, cfg, oauth1.NewToken(c.token, ""), "GET", views, views, "", "")
		}},
	{"dghubble with the secrets swapped", signature.Magento247, stepVerify, signature.RuleSecretsSwapped,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			cfg := &oauth1.Config{ConsumerKey: c.consumer.Key, ConsumerSecret: c.tokenSecret,
				Signer: &oauth1.HMAC256Signer{ConsumerSecret: c.tokenSecret}}
			return dghubble(t, cfg, oauth1.NewToken(c.token, c.consumer.Secret), "GET", views, views, "", "")
		}},
	{"request token: https behind a TLS proxy", signature.Magento247, stepRequest, signature.RuleHTTPSSignedForHTTP,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "POST", uri: "https://shop.example.com/oauth/token/request"}
			return f.byHand(s, c, requestURL, "", "")
		}},
	{"access token: swapped secrets", signature.Magento247, stepAccess, signature.RuleSecretsSwapped,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			s := handSigner{method: "POST", uri: accessURL, key: rfc3986(c.tokenSecret) + "&" + rfc3986(c.consumer.Secret)}
			return f.byHand(s, c, accessURL, "", "")
		}},
	{"RFC 5849 profile: SHA-1 computed", signature.RFC5849, stepVerify, signature.RuleHMACSHA1ForSHA256,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			return f.byHand(handSigner{method: "GET", uri: views, sha1: true}, c, views, "", "")
		}},
	{"another consumer secret", signature.Magento247, stepVerify, signature.RuleUnknown,
		func(t *testing.T, f *doctorFixture, c creds) *http.Request {
			c.consumer.Secret = "0123456789abcdefghijklmnopqrstuv"
			cfg, tok := dghubbleConfig(c)
			return dghubble(t, cfg, tok, "GET", products+"?q=a", products+"?q=a", "", "")
		}},
}

func TestDiagnosis(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range doctorCases {
		covered[tc.rule] = true
		t.Run(tc.name, func(t *testing.T) {
			f := newDoctorFixture(t, tc.profile, true)
			c := f.credentials(tc.step)
			err := f.call(tc.step, tc.request(t, f, c))
			if !errors.Is(err, oauth.ErrSignatureInvalid) {
				t.Fatalf("error %v, want ErrSignatureInvalid", err)
			}
			d, ok := oauth.DiagnosisOf(err)
			if !ok {
				t.Fatalf("DiagnosisOf(%v): no diagnosis", err)
			}
			if d.Rule != tc.rule {
				t.Fatalf("diagnosis = %+v, want rule %s", d, tc.rule)
			}
			if d.Explanation == "" || (d.ClientBaseString == "") != (tc.rule == signature.RuleUnknown) {
				t.Errorf("diagnosis = %+v: want an explanation, and a client base string unless unknown", d)
			}
			logged := f.log.String()
			if !strings.Contains(logged, "rule="+tc.rule) {
				t.Errorf("debug log %q does not name the rule", logged)
			}
			for _, secret := range []string{c.consumer.Secret, c.tokenSecret, c.token} {
				if secret != "" && strings.Contains(logged, secret) {
					t.Errorf("debug log holds a secret or token: %q", logged)
				}
			}
		})
	}
	for _, rule := range []string{signature.RuleByteOrderSort, signature.RuleQueryPlusAsSpace, signature.RuleQueryPlusKept,
		signature.RulePathAsSent, signature.RulePathNormalised, signature.RulePlusForSpace, signature.RuleDoubleEncoded,
		signature.RuleDuplicateFirstValue, signature.RuleDuplicatesKept, signature.RuleHTTPSSignedForHTTP, signature.RuleHTTPSignedForHTTPS,
		signature.RuleDefaultPortKept, signature.RulePortDropped, signature.RuleFormBodyOmitted, signature.RuleFormBodySigned,
		signature.RuleQueryOmitted, signature.RuleProtocolParamsOmitted, signature.RuleHMACSHA1ForSHA256,
		signature.RuleTokenSecretOmitted, signature.RuleSecretsSwapped, signature.RuleUnknown} {
		if !covered[rule] {
			t.Errorf("no case for rule %s", rule)
		}
	}
}

// TestDiagnosisOff checks that without DiagnoseSignatures the error has no
// diagnosis and the answer is the same, byte for byte, as with it.
func TestDiagnosisOff(t *testing.T) {
	var bodies [2]string
	for i, on := range []bool{false, true} {
		f := newDoctorFixture(t, signature.Magento247, on)
		c := f.credentials(stepVerify)
		cfg, tok := dghubbleConfig(c)
		r := dghubble(t, cfg, tok, "GET", products+filters, products+filters, "", "")
		w := httptest.NewRecorder()
		f.provider.Middleware(http.NotFoundHandler()).ServeHTTP(w, r)
		bodies[i] = fmt.Sprint(w.Code, w.Header(), w.Body.String())
		r = dghubble(t, cfg, tok, "GET", products+filters, products+filters, "", "")
		err := f.call(stepVerify, r)
		var se *oauth.SignatureError
		if !errors.As(err, &se) || se.BaseString == "" {
			t.Fatalf("Verify = %v, want a SignatureError with the base string", err)
		}
		if d, ok := oauth.DiagnosisOf(err); ok != on {
			t.Errorf("DiagnoseSignatures %v: DiagnosisOf = %+v, %v", on, d, ok)
		}
	}
	if bodies[0] != bodies[1] {
		t.Errorf("answer without diagnosis %q, with %q: want the same", bodies[0], bodies[1])
	}
}

// TestProfileDiagnose runs the pure function on requests built by hand.
func TestProfileDiagnose(t *testing.T) {
	c := creds{consumer: oauth.Consumer{Key: "k", Secret: "cs"}, token: "t", tokenSecret: "ts"}
	f := &doctorFixture{fixture: &fixture{now: epoch}}
	read := func(r *http.Request) signature.Request {
		req, err := signature.ReadRequest(r, "")
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	good := f.byHand(handSigner{method: "GET", uri: views}, c, views, "", "")
	if d, err := signature.Magento247.Diagnose(read(good), "cs", "ts"); err != nil || d.Rule != signature.RuleNone {
		t.Errorf("Diagnose(valid) = %+v, %v, want rule none", d, err)
	}
	bad := f.byHand(handSigner{method: "GET", uri: products}, c, products+"?a=1", "", "")
	if d, err := signature.Magento247.Diagnose(read(bad), "cs", "ts"); err != nil || d.Rule != signature.RuleQueryOmitted {
		t.Errorf("Diagnose(query left out) = %+v, %v, want %s", d, err, signature.RuleQueryOmitted)
	}
	plain := httptest.NewRequest("GET", views, nil)
	if _, err := signature.Magento247.Diagnose(read(plain), "cs", "ts"); !errors.Is(err, oauth.ErrNotOAuth) {
		t.Errorf("Diagnose(no OAuth) = %v, want ErrNotOAuth", err)
	}
	unsigned := httptest.NewRequest("GET", views, nil)
	unsigned.Header.Set("Authorization", `OAuth oauth_consumer_key="k"`)
	if _, err := signature.Magento247.Diagnose(read(unsigned), "cs", "ts"); err == nil {
		t.Error("Diagnose(no signature) = nil error")
	}
}
