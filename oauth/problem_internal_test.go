package oauth

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/internal/php"
)

func TestProblem(t *testing.T) {
	cases := []struct {
		err    error
		status int
		body   string
	}{
		{magerr.New(magerr.OAuth, "The signature is invalid. Verify and try again."), 401,
			"oauth_problem=The+signature+is+invalid.+Verify+and+try+again."},
		{magerr.Required("oauth_nonce"), 400, "oauth_problem=%22oauth_nonce%22+is+required.+Enter+and+try+again."},
		{magerr.Join(magerr.Required("a"), magerr.Required("b")), 400,
			"oauth_problem=%22a%22+is+required.+Enter+and+try+again%2C+%22b%22+is+required.+Enter+and+try+again"},
		{magerr.New(magerr.Input, "Signature method %1 is not supported", "HMAC-SHA1"), 400,
			"oauth_problem=Signature+method+HMAC-SHA1+is+not+supported"},
		{magerr.New(magerr.OAuth, "x~y"), 401, "oauth_problem=x%7Ey"},
		{magerr.New(magerr.Internal, ""), 500, "oauth_problem=internal_error%26message%3Dempty_message"},
		{fmt.Errorf("wrapped: %w", magerr.New(magerr.OAuth, "Consumer key has expired")), 401, "oauth_problem=Consumer+key+has+expired"},
	}
	p := NewProvider(nil, Config{})
	for _, tc := range cases {
		status, body := p.problem(tc.err)
		if status != tc.status || body != tc.body {
			t.Errorf("problem(%v) = %d %q, want %d %q", tc.err, status, body, tc.status, tc.body)
		}
	}
}

// TestProblemHidesInternalText checks that an error which is not a Magento
// error (a store failing) reaches the client as Magento's report-id message
// and the log with its cause, never the other way round.
func TestProblemHidesInternalText(t *testing.T) {
	at := time.Date(2025, 3, 4, 5, 6, 7, 8000, time.UTC)
	var log bytes.Buffer
	p := NewProvider(nil, Config{Now: func() time.Time { return at }, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	status, body := p.problem(errors.New("sqlstore: dial tcp 10.0.0.5:3306: secret-host unreachable"))
	id := magerr.ReportID(at)
	want := "oauth_problem=" + php.URLEncode("internal_error&message="+magerr.Masked(id))
	if status != 500 || body != want {
		t.Errorf("problem = %d %q, want 500 %q", status, body, want)
	}
	if strings.Contains(body, "secret-host") {
		t.Errorf("the body %q carries the cause", body)
	}
	if !strings.Contains(log.String(), "secret-host") || !strings.Contains(log.String(), id) {
		t.Errorf("the log %q lacks the cause or the report id %s", log.String(), id)
	}
}
