package integrationtest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// ConfirmCallback returns a transport over base (nil means
// http.DefaultTransport) that appends oauth_callback_confirmed=true to every
// successful answer of a path ending in /oauth/token/request.
//
// github.com/dghubble/oauth1's Config.RequestToken refuses an answer
// without that field (RFC 5849 §2.1), and Magento never sends it, so a Go
// client on dghubble needs this workaround against a real store as much as
// against the emulator:
//
//	cfg.HTTPClient = &http.Client{Transport: integrationtest.ConfirmCallback(nil)}
func ConfirmCallback(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return confirmCallback{base: base}
}

type confirmCallback struct{ base http.RoundTripper }

// maxTokenAnswer bounds the request-token answer read into memory.
const maxTokenAnswer = 1 << 16

func (c confirmCallback) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasSuffix(r.URL.Path, "/oauth/token/request") {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenAnswer))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body = append(body, "&oauth_callback_confirmed=true"...)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}
