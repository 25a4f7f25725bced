package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestIdentityPage(t *testing.T) {
	srv := httptest.NewServer(NewApp())
	defer srv.Close()
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	const callback = "http://127.0.0.1:1/admin/admin/integration/loginSuccessCallback/"
	q := url.Values{"oauth_consumer_key": {`k"><script>`}, "success_call_back": {callback}}

	resp, err := client.Get(srv.URL + IdentityPath + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="tp-signin-form"`) {
		t.Fatalf("GET identity = %d %s, want 200 and the sign-in form", resp.StatusCode, body)
	}
	if strings.Contains(string(body), `k"><script>`) {
		t.Fatalf("GET identity echoes the consumer key unescaped: %s", body)
	}

	tests := []struct {
		name     string
		form     url.Values
		status   int
		location string
	}{
		{"signed in", url.Values{"oauth_consumer_key": {"k"}, "success_call_back": {callback}, "email": {"a@b.example"}}, http.StatusSeeOther, callback},
		{"no email", url.Values{"oauth_consumer_key": {"k"}, "success_call_back": {callback}}, http.StatusBadRequest, ""},
		{"relative callback", url.Values{"oauth_consumer_key": {"k"}, "success_call_back": {"/x"}, "email": {"a"}}, http.StatusBadRequest, ""},
		{"javascript callback", url.Values{"oauth_consumer_key": {"k"}, "success_call_back": {"javascript:alert(1)"}, "email": {"a"}}, http.StatusBadRequest, ""},
		{"no key", url.Values{"success_call_back": {callback}, "email": {"a"}}, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.PostForm(srv.URL+IdentityPath, tt.form)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("POST identity = %d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
}
