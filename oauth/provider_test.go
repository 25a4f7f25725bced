package oauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/oauth/signature"
)

var tokenBody = regexp.MustCompile(`^oauth_token=[0-9a-z]{32}&oauth_token_secret=[0-9a-z]{32}$`)

// endpointCase is one request to a token endpoint and Magento's answer.
type endpointCase struct {
	name   string
	build  func(f *fixture) *http.Request
	status int
	body   string // "" means a token body
}

func runEndpoint(t *testing.T, handler func(*oauth.Provider) http.Handler, cases []endpointCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, oauth.Config{})
			r := tc.build(f)
			status, body := serve(handler(f.provider), r)
			if status != tc.status {
				t.Errorf("status = %d, want %d (body %q)", status, tc.status, body)
			}
			switch {
			case tc.body == "" && !tokenBody.MatchString(body):
				t.Errorf("body = %q, want oauth_token=…&oauth_token_secret=…", body)
			case tc.body != "" && body != tc.body:
				t.Errorf("body = %q, want %q", body, tc.body)
			}
		})
	}
}

func ts(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestRequestTokenEndpoint(t *testing.T) {
	req := func(mutate func(f *fixture, ps []signature.Param) []signature.Param) func(f *fixture) *http.Request {
		return func(f *fixture) *http.Request {
			ps := f.oauthParams(f.consumer, "", "")
			if mutate != nil {
				ps = mutate(f, ps)
			}
			return signed(f.t, signature.Magento247, http.MethodPost, requestURL, ps, f.consumer.Secret, "")
		}
	}
	with := func(name, value string) func(f *fixture) *http.Request {
		return req(func(_ *fixture, ps []signature.Param) []signature.Param { return set(ps, name, value) })
	}
	runEndpoint(t, (*oauth.Provider).RequestTokenHandler, []endpointCase{
		{name: "success", build: req(nil), status: 200},
		{name: "any method", build: func(f *fixture) *http.Request {
			return signed(f.t, signature.Magento247, http.MethodGet, requestURL, f.oauthParams(f.consumer, "", ""), f.consumer.Secret, "")
		}, status: 200},
		{name: "no header", build: func(*fixture) *http.Request { return httptest.NewRequest(http.MethodPost, requestURL, nil) }, status: 400,
			body: problem(`"oauth_consumer_key" is required. Enter and try again, "oauth_signature" is required. Enter and try again, "oauth_signature_method" is required. Enter and try again, "oauth_nonce" is required. Enter and try again, "oauth_timestamp" is required. Enter and try again`)},
		{name: "one missing", build: req(func(_ *fixture, ps []signature.Param) []signature.Param { return drop(ps, signature.ParamNonce) }), status: 400,
			body: problem(`"oauth_nonce" is required. Enter and try again.`)},
		{name: "version 2.0", build: with(signature.ParamVersion, "2.0"), status: 400, body: problem(`The "2.0" Oauth version isn't supported.`)},
		{name: "version 1 is 1.0 to PHP", build: with(signature.ParamVersion, "1"), status: 200},
		{name: "empty token", build: with(signature.ParamToken, ""), status: 400, body: problem("The token length is invalid. Check the length and try again.")},
		{name: "HMAC-SHA1", build: with(signature.ParamSignatureMethod, signature.HMACSHA1), status: 400, body: problem("Signature method HMAC-SHA1 is not supported")},
		{name: "method case", build: with(signature.ParamSignatureMethod, "hmac-sha256"), status: 400, body: problem("Signature method hmac-sha256 is not supported")},
		{name: "short key", build: with(signature.ParamConsumerKey, "abc"), status: 401, body: problem("Consumer key is not the correct length")},
		{name: "unknown key", build: with(signature.ParamConsumerKey, "0123456789abcdef0123456789abcdef"), status: 401, body: problem("A consumer having the specified key does not exist")},
		{name: "timestamp zero", build: with(signature.ParamTimestamp, "0"), status: 401, body: problem("An error occurred validating the nonce")},
		{name: "timestamp not a number", build: with(signature.ParamTimestamp, "soon"), status: 401, body: problem("An error occurred validating the nonce")},
		{name: "timestamp past the skew", build: func(f *fixture) *http.Request {
			return with(signature.ParamTimestamp, ts(f.now.Add(601*time.Second)))(f)
		}, status: 401, body: problem("An error occurred validating the nonce")},
		{name: "timestamp at the skew", build: func(f *fixture) *http.Request {
			return with(signature.ParamTimestamp, ts(f.now.Add(600*time.Second)))(f)
		}, status: 200},
		{name: "ancient timestamp", build: with(signature.ParamTimestamp, "1"), status: 200},
		{name: "bad signature", build: func(f *fixture) *http.Request {
			return signed(f.t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(f.consumer, "", ""), "wrong", "")
		}, status: 401, body: problem("The signature is invalid. Verify and try again.")},
		{name: "expired", build: func(f *fixture) *http.Request {
			f.now = f.now.Add(300 * time.Second)
			return req(nil)(f)
		}, status: 401, body: problem("Consumer key has expired")},
		{name: "last second of the window", build: func(f *fixture) *http.Request {
			f.now = f.now.Add(299 * time.Second)
			return req(nil)(f)
		}, status: 200},
		{name: "second request token", build: func(f *fixture) *http.Request {
			f.requestToken()
			return req(nil)(f)
		}, status: 401, body: problem("Cannot create request token because consumer token is not a verifier token")},
		{name: "no verifier row", build: func(f *fixture) *http.Request {
			c := f.newConsumer("integration2")
			return signed(f.t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(c, "", ""), c.Secret, "")
		}, status: 401, body: problem("A token with consumer ID " + "2" + " does not exist")},
		{name: "form array", build: func(f *fixture) *http.Request {
			r := httptest.NewRequest(http.MethodPost, requestURL, stringsReader("cart[sku]=1"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Authorization", signature.AuthorizationHeader(append(f.oauthParams(f.consumer, "", ""), signature.Param{Name: signature.ParamSignature, Value: "x"})))
			return r
		}, status: 500, body: "oauth_problem=internal_error%26message%3DWarning%3A+Array+to+string+conversion"},
	})
}

func TestAccessTokenEndpoint(t *testing.T) {
	// exchange builds an access-token request after the request-token step;
	// mutate may change the parameters, secret overrides the signing
	// request-token secret.
	exchange := func(mutate func(f *fixture, rt oauth.Token, ps []signature.Param) []signature.Param) func(f *fixture) *http.Request {
		return func(f *fixture) *http.Request {
			rt := f.requestToken()
			ps := f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier)
			if mutate != nil {
				ps = mutate(f, rt, ps)
			}
			return signed(f.t, signature.Magento247, http.MethodPost, accessURL, ps, f.consumer.Secret, rt.Secret)
		}
	}
	with := func(name, value string) func(f *fixture) *http.Request {
		return exchange(func(_ *fixture, _ oauth.Token, ps []signature.Param) []signature.Param { return set(ps, name, value) })
	}
	runEndpoint(t, (*oauth.Provider).AccessTokenHandler, []endpointCase{
		{name: "success", build: exchange(nil), status: 200},
		{name: "expiry not checked", build: func(f *fixture) *http.Request {
			r := exchange(nil)(f)
			f.now = f.now.Add(time.Hour)
			return r
		}, status: 200},
		{name: "no verifier", build: exchange(func(_ *fixture, _ oauth.Token, ps []signature.Param) []signature.Param {
			return drop(ps, signature.ParamVerifier)
		}),
			status: 400, body: problem(`"oauth_verifier" is required. Enter and try again.`)},
		{name: "no token and no verifier", build: exchange(func(_ *fixture, _ oauth.Token, ps []signature.Param) []signature.Param {
			return drop(drop(ps, signature.ParamVerifier), signature.ParamToken)
		}), status: 400, body: problem(`"oauth_token" is required. Enter and try again, "oauth_verifier" is required. Enter and try again`)},
		{name: "token length", build: with(signature.ParamToken, "abc"), status: 400, body: problem("The token length is invalid. Check the length and try again.")},
		{name: "unknown token", build: with(signature.ParamToken, "0123456789abcdef0123456789abcdef"), status: 401, body: problem("Specified token does not exist")},
		{name: "token of another consumer", build: func(f *fixture) *http.Request {
			other := f.newConsumer("integration2")
			f.issueVerifier(other.ID)
			r := signed(f.t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(other, "", ""), other.Secret, "")
			rt, err := f.provider.RequestToken(t.Context(), r)
			if err != nil {
				f.t.Fatal(err)
			}
			return signed(f.t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier), f.consumer.Secret, rt.Secret)
		}, status: 401, body: problem("Request token is not associated with the specified consumer")},
		{name: "verifier row, no request token yet", build: func(f *fixture) *http.Request {
			return signed(f.t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(f.consumer, f.verifier.Token, f.verifier.Verifier), f.consumer.Secret, f.verifier.Secret)
		}, status: 401, body: problem("Token is already being used")},
		{name: "short verifier", build: with(signature.ParamVerifier, "abc"), status: 401, body: problem("Verifier is not the correct length")},
		{name: "wrong verifier", build: with(signature.ParamVerifier, "0123456789abcdef0123456789abcdef"), status: 401, body: problem("Token verifier and verifier token do not match")},
		{name: "signed without the token secret", build: func(f *fixture) *http.Request {
			rt := f.requestToken()
			return signed(f.t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier), f.consumer.Secret, "")
		}, status: 401, body: problem("The signature is invalid. Verify and try again.")},
		{name: "retry after success", build: func(f *fixture) *http.Request {
			rt := f.requestToken()
			ps := f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier)
			if _, err := f.provider.AccessToken(t.Context(), signed(f.t, signature.Magento247, http.MethodPost, accessURL, ps, f.consumer.Secret, rt.Secret)); err != nil {
				f.t.Fatal(err)
			}
			return signed(f.t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier), f.consumer.Secret, rt.Secret)
		}, status: 401, body: problem("Specified token does not exist")},
	})
}

func TestConsumerExpiry(t *testing.T) {
	cases := []struct {
		name    string
		expiry  func() time.Duration
		elapsed time.Duration
		ok      bool
	}{
		{"default, fresh", nil, 0, true},
		{"default, 299 s", nil, 299 * time.Second, true},
		{"default, 300 s", nil, 300 * time.Second, false},
		{"zero means default", func() time.Duration { return 0 }, 299 * time.Second, true},
		{"negative means default", func() time.Duration { return -time.Second }, 300 * time.Second, false},
		{"10 s, 9 s", func() time.Duration { return 10 * time.Second }, 9 * time.Second, true},
		{"10 s, 10 s", func() time.Duration { return 10 * time.Second }, 10 * time.Second, false},
		{"whole seconds", func() time.Duration { return 10 * time.Second }, 10*time.Second - time.Millisecond, true},
		{"1 h", func() time.Duration { return time.Hour }, 3599 * time.Second, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, oauth.Config{ConsumerExpiry: tc.expiry})
			f.now = f.now.Add(tc.elapsed)
			r := signed(t, signature.Magento247, http.MethodPost, requestURL, f.oauthParams(f.consumer, "", ""), f.consumer.Secret, "")
			_, err := f.provider.RequestToken(t.Context(), r)
			if tc.ok && err != nil || !tc.ok && errText(err) != "Consumer key has expired" {
				t.Errorf("RequestToken(%v after the window opened) = %v, want ok=%v", tc.elapsed, err, tc.ok)
			}
		})
	}
}

func TestOnAccess(t *testing.T) {
	var calls []int64
	fail := true
	f := newFixture(t, oauth.Config{OnAccess: func(ctx context.Context, tx oauth.Store, consumerID int64) error {
		calls = append(calls, consumerID)
		if fail {
			return errors.New("integration: activate: boom")
		}
		return nil
	}})
	rt := f.requestToken()
	exchange := func() (oauth.Token, error) {
		r := signed(t, signature.Magento247, http.MethodPost, accessURL, f.oauthParams(f.consumer, rt.Token, f.verifier.Verifier), f.consumer.Secret, rt.Secret)
		return f.provider.AccessToken(t.Context(), r)
	}
	if _, err := exchange(); err == nil {
		t.Fatal("AccessToken with a failing OnAccess = nil error, want it")
	}
	row, err := f.store.TokenByConsumer(t.Context(), f.consumer.ID)
	if err != nil || row.Type != oauth.TokenRequest || row.Token != rt.Token {
		t.Fatalf("token row after a rolled-back exchange = %+v, %v, want the request token", row, err)
	}
	fail = false
	at, err := exchange()
	if err != nil {
		t.Fatalf("AccessToken = %v, want nil", err)
	}
	if len(calls) != 2 || calls[1] != f.consumer.ID {
		t.Errorf("OnAccess calls = %v, want two for consumer %d", calls, f.consumer.ID)
	}
	if at.Type != oauth.TokenAccess {
		t.Errorf("AccessToken type = %q, want access", at.Type)
	}
}
