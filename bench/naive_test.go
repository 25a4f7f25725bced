package bench

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// naive is the verifier one writes in an afternoon with net/url: split the
// header, decode every parameter into a map, sort, join, HMAC with a key
// built per request, compare; a mutex-guarded map of nonces per consumer.
// It checks what magekit checks on the happy path (consumer, token, nonce,
// signature), not Magento's rules.
type naive struct {
	consumers map[string]naiveCred // consumer key → secrets and token
	mu        sync.Mutex
	nonces    map[string]struct{} // consumer key + " " + nonce
}

type naiveCred struct {
	secret, token, tokenSecret string
}

var errNaive = errors.New("naive: not authorized")

func (n *naive) verify(r *http.Request) error {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "OAuth ") {
		return errNaive
	}
	params := url.Values{}
	for _, part := range strings.Split(h[len("OAuth "):], ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return errNaive
		}
		v, err := url.QueryUnescape(strings.Trim(v, `"`))
		if err != nil {
			return err
		}
		params.Set(k, v)
	}
	for k, vs := range r.URL.Query() {
		params[k] = vs
	}
	sig := params.Get("oauth_signature")
	params.Del("oauth_signature")
	c, ok := n.consumers[params.Get("oauth_consumer_key")]
	if !ok || c.token != params.Get("oauth_token") {
		return errNaive
	}
	n.mu.Lock()
	nonce := params.Get("oauth_consumer_key") + " " + params.Get("oauth_nonce")
	_, used := n.nonces[nonce]
	n.nonces[nonce] = struct{}{}
	n.mu.Unlock()
	if used {
		return errNaive
	}
	var pairs []string
	for k, vs := range params {
		for _, v := range vs {
			pairs = append(pairs, rfc3986(k)+"="+rfc3986(v))
		}
	}
	sort.Strings(pairs)
	u := *r.URL
	u.RawQuery, u.Fragment = "", ""
	base := r.Method + "&" + rfc3986(u.String()) + "&" + rfc3986(strings.Join(pairs, "&"))
	mac := hmac.New(sha256.New, []byte(rfc3986(c.secret)+"&"+rfc3986(c.tokenSecret)))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return errNaive
	}
	return nil
}

// rfc3986 percent-encodes s as RFC 5849 §3.6 asks.
func rfc3986(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
