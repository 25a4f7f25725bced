package signature_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/magekit/magekit/oauth/signature"
)

func ps(kv ...string) []signature.Param {
	out := []signature.Param{}
	for i := 0; i < len(kv); i += 2 {
		out = append(out, signature.Param{Name: kv[i], Value: kv[i+1]})
	}
	return out
}

func TestParseHeader(t *testing.T) {
	cases := []struct {
		h    string
		want []signature.Param
		ok   bool
	}{
		{`OAuth realm="x", oauth_consumer_key="k", oauth_nonce="n"`, ps("oauth_consumer_key", "k", "oauth_nonce", "n"), true},
		{`Bearer abc`, nil, false},
		{`OAuth`, nil, false},
		{"OAuth\toauth_a=1", nil, false},
		{`oauth oauth_a="1"`, ps("oauth_a", "1"), true},
		{`Foo xoauth bar, oauth_a=1`, ps("oauth_a", "1"), true}, // "oauth " found inside "xoauth "
		{`OAuth OAUTH_X="1", xoauth_foo="2", oauth_="3", oauth_a-b="4", realm="r"`, ps("xoauth_foo", "2", "oauth_a-b", "4"), true},
		{`OAuth oauth_a="%2B+%20", oauth_b=""x""`, ps("oauth_a", "++ ", "oauth_b", "x"), true},
		{`OAuth oauth_a=1=2`, ps("oauth_a", "1=2"), true},
		{`OAuth  oauth_a = "v" `, ps("oauth_a ", ` "v`), true},
		{`OAuth oauth_a="1", oauth_b="2", oauth_a="3"`, ps("oauth_a", "3", "oauth_b", "2"), true},
		{`OAuth oauth_a%5Fb="1", oauth%5Fc="2"`, ps("oauth_a_b", "1"), true},
		{`OAuth x=1, oauth_c, ,`, ps(), true},
		{`OAuth oauth_v="a,b"`, ps("oauth_v", "a"), true}, // split on every comma
		{"OAuth oauth_a=\"1\"\t,\noauth_b=2\x00", ps("oauth_a", "1", "oauth_b", "2"), true},
	}
	for _, tc := range cases {
		got, ok := signature.ParseHeader(tc.h)
		if ok != tc.ok || tc.ok && !cmp.Equal(got, tc.want, cmpopts.EquateEmpty()) {
			t.Errorf("ParseHeader(%q) = %q, %v, want %q, %v", tc.h, got, ok, tc.want, tc.ok)
		}
	}
}

func TestIsOAuthName(t *testing.T) {
	for name, want := range map[string]bool{
		"oauth_nonce": true, "xoauth_foo": true, "partner_oauth_ref": true, "oauth_-": true,
		"oauth_": false, "OAUTH_X": false, "oauth_X": false, "realm": false, "oauth": false, "oauth_oauth_": true, "o_oauth_a": true,
	} {
		if got := signature.IsOAuthName(name); got != want {
			t.Errorf("IsOAuthName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestParams checks the extraction rules of docs/magento-behaviour.md §7.2 case by case.
func TestParams(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	hdr := `OAuth oauth_consumer_key="k", oauth_nonce="n"`
	cases := []struct {
		name    string
		profile signature.Profile
		req     signature.Request
		want    []signature.Param // nil: an error
	}{
		{"no OAuth header", signature.Magento247,
			signature.Request{URL: "http://h/?a=1", ContentType: form, Body: "b=2"}, ps()},
		{"body oauth ignored after header", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form, Body: "oauth_nonce=body&x=1"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "x", "1")},
		{"body oauth used when header is empty", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: "OAuth realm=x", ContentType: form, Body: "oauth_nonce=body&x=1"},
			ps("oauth_nonce", "body", "x", "1")},
		{"body name mangling", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form, Body: "a.b=1&a+b=2&+c=3&d[e=4&f.g[h.i[j=5&[x]=6&..Host-y=7&__Host-z=8&&q"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "a_b", "2", "c", "3", "d_e", "4", "f_g_h_i_j", "5", "__Host-z", "8", "q", "")},
		{"body NUL", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form, Body: "v=%00y&n%00ame=w&a=1\x00&b=2"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "v", "\x00y", "n", "w", "a", "1")},
		{"body array", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form, Body: "a=1&a[]=2"}, nil},
		{"body array then scalar", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form, Body: "a[x]=2&a=1"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "a", "1")},
		{"body array replaced by the query", signature.Magento247,
			signature.Request{URL: "http://h/?a=3", Authorization: hdr, ContentType: form, Body: "a[]=2"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "a", "3")},
		{"body charset", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form + "; charset=UTF-8", Body: "x=1"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "x", "1")},
		{"body content type case", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: "Application/x-www-form-urlencoded", Body: "x=1"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n")},
		{"body too many vars", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form, Body: strings.Repeat("x=1&", 1001)}, nil},
		{"body 1000 vars", signature.Magento247,
			signature.Request{URL: "http://h/", Authorization: hdr, ContentType: form, Body: strings.Repeat("x=1&&", 1000)},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "x", "1")},
		{"query pieces", signature.Magento247,
			signature.Request{URL: "http://h/?a=1&b&c=1=2&&oauth_x=1&partner_oauth_ref=2&d=%2B+%zz&a=4#f=1", Authorization: hdr},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "a", "4", "d", "++%zz")},
		{"query oauth name escaped", signature.Magento247,
			signature.Request{URL: "http://h/?oauth%5Fnonce=q", Authorization: hdr},
			ps("oauth_consumer_key", "k", "oauth_nonce", "q")},
		{"query over body", signature.Magento247,
			signature.Request{URL: "http://h/?a=2", Authorization: hdr, ContentType: form, Body: "a=1&b=1"},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "a", "2", "b", "1")},
		{"query plus in 2.4.3", signature.Magento243,
			signature.Request{URL: "http://h/?q=a+b%2B", Authorization: hdr},
			ps("oauth_consumer_key", "k", "oauth_nonce", "n", "q", "a b+")},
		{"rfc: every source, duplicates, no realm", signature.RFC5849,
			signature.Request{URL: "http://h/?a=1&a=2&flag&oauth_x=q", Authorization: `OAuth realm="r", oauth_nonce="n", foo="b%20r"`, ContentType: "Application/X-WWW-Form-Urlencoded; charset=utf-8", Body: "item.sku=a+b&c[d]=1"},
			ps("oauth_nonce", "n", "foo", "b r", "item.sku", "a b", "c[d]", "1", "a", "1", "a", "2", "flag", "", "oauth_x", "q")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.profile.Params(tc.req)
			if tc.want == nil {
				if err == nil {
					t.Fatalf("Params(%+v) = %q, want an error", tc.req, got)
				}
				return
			}
			if err != nil || !cmp.Equal(got, tc.want, cmpopts.EquateEmpty()) {
				t.Errorf("Params(%+v) = %q, %v\nwant %q", tc.req, got, err, tc.want)
			}
		})
	}
}

func TestRequestURL(t *testing.T) {
	cases := []struct {
		name      string
		build     func() *http.Request
		offloader string
		want      string
	}{
		{"plain", func() *http.Request { return httptest.NewRequest("GET", "/rest/V1/x?a=%2f", nil) }, "", "http://example.com/rest/V1/x?a=%2f"},
		{"tls", func() *http.Request { return httptest.NewRequest("GET", "https://Shop.Example.com:8443/x", nil) }, "", "https://Shop.Example.com:8443/x"},
		{"offloader", func() *http.Request {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Set("X-Forwarded-Proto", "https")
			return r
		}, "", "https://example.com/x"},
		{"offloader case-sensitive", func() *http.Request {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Set("X-Forwarded-Proto", "HTTPS")
			return r
		}, "", "http://example.com/x"},
		{"offloader twice", func() *http.Request {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Add("X-Forwarded-Proto", "https")
			r.Header.Add("X-Forwarded-Proto", "https")
			return r
		}, "", "http://example.com/x"},
		{"custom offloader", func() *http.Request {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Set("X-Forwarded-Proto", "https")
			r.Header.Set("X-Scheme", "https")
			return r
		}, "x-scheme", "https://example.com/x"},
		{"forwarded host ignored", func() *http.Request {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Set("X-Forwarded-Host", "proxy.example.com")
			return r
		}, "", "http://example.com/x"},
		{"client request", func() *http.Request {
			r, _ := http.NewRequest("GET", "http://h:81/a%2Fb?q=1", nil)
			return r
		}, "", "http://h:81/a%2Fb?q=1"},
	}
	for _, tc := range cases {
		if got := signature.RequestURL(tc.build(), tc.offloader); got != tc.want {
			t.Errorf("RequestURL(%s) = %q, want %q", tc.name, got, tc.want)
		}
		if got, want := signature.IsHTTPS(tc.build(), tc.offloader), strings.HasPrefix(tc.want, "https:"); got != want {
			t.Errorf("IsHTTPS(%s) = %v, want %v", tc.name, got, want)
		}
	}
}

// TestReadRequestRestoresBody checks that a handler after the provider
// reads the whole form body.
func TestReadRequestRestoresBody(t *testing.T) {
	body := "sku=24-MB01&qty=2"
	r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req, err := signature.ReadRequest(r, "")
	if err != nil || req.Body != body {
		t.Fatalf("ReadRequest body = %q, %v, want %q", req.Body, err, body)
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("qty") != "2" {
		t.Errorf("form after ReadRequest = %v, %v, want qty=2", r.PostForm, err)
	}
	j := httptest.NewRequest("POST", "/x", strings.NewReader(`{"a":1}`))
	j.Header.Set("Content-Type", "application/json")
	if req, _ := signature.ReadRequest(j, ""); req.Body != "" {
		t.Errorf("ReadRequest(JSON) body = %q, want it unread", req.Body)
	}
}
