package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
	"github.com/magekit/magekit/user"
)

// checkToken fails unless the consumer's token row reads back as want by
// consumer and by value.
func checkToken(t *testing.T, s Store, want oauth.Token) {
	t.Helper()
	got, err := s.TokenByConsumer(t.Context(), want.ConsumerID)
	if wantErr(t, fmt.Sprintf("TokenByConsumer(%d)", want.ConsumerID), err, nil) {
		diff(t, fmt.Sprintf("TokenByConsumer(%d)", want.ConsumerID), want, got)
	}
	got, err = s.TokenByValue(t.Context(), want.Token)
	if wantErr(t, "TokenByValue", err, nil) {
		diff(t, "TokenByValue", want, got)
	}
}

func testTokenRoundTrip(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	want := oauth.Token{
		ConsumerID:  c.ID,
		Type:        oauth.TokenVerifier,
		Token:       credential(t),
		Secret:      credential(t),
		Verifier:    credential(t),
		CallbackURL: oauth.CallbackOOB,
		Revoked:     true,
		UserType:    user.Integration,
		CreatedAt:   at(0),
	}
	tok := want
	mustOK(t, "CreateToken", s.CreateToken(ctx, &tok))
	if tok.ID <= 0 {
		t.Fatalf("CreateToken set ID = %d, want > 0", tok.ID)
	}
	want.ID = tok.ID
	checkToken(t, s, want)

	// A second row (of another consumer) gets a larger id.
	next := newToken(t, s, newConsumer(t, s).ID, oauth.TokenVerifier)
	if next.ID <= want.ID {
		t.Errorf("second CreateToken: ID = %d, want > %d", next.ID, want.ID)
	}

	// UpdateToken replaces every field but ConsumerID and CreatedAt, which
	// it keeps from the stored row.
	other := newConsumer(t, s)
	upd := oauth.Token{
		ID:          want.ID,
		ConsumerID:  other.ID,
		Type:        oauth.TokenRequest,
		Token:       credential(t),
		Secret:      credential(t),
		Verifier:    credential(t),
		CallbackURL: "https://acme.example/callback",
		UserType:    user.Admin,
		CreatedAt:   at(999),
	}
	mustOK(t, "UpdateToken(verifier → request)", s.UpdateToken(ctx, upd, oauth.TokenVerifier))
	wantRow := upd
	wantRow.ConsumerID, wantRow.CreatedAt = c.ID, want.CreatedAt
	checkToken(t, s, wantRow)
	_, err := s.TokenByValue(ctx, want.Token)
	wantErr(t, "TokenByValue(old value)", err, store.ErrNotFound)
	_, err = s.TokenByConsumer(ctx, other.ID)
	wantErr(t, "TokenByConsumer(consumer named in the update)", err, store.ErrNotFound)

	// The replaced value is free again.
	free := tokenFor(t, other.ID, oauth.TokenVerifier)
	free.Token = want.Token
	mustOK(t, "CreateToken(replaced value)", s.CreateToken(ctx, &free))
}

func testTokenNotFound(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	tok := newToken(t, s, c.ID, oauth.TokenVerifier)
	bare := newConsumer(t, s) // a consumer without a token row
	before := MustSnapshot(t, s)

	for _, id := range append(missingIDs(bare.ID), bare.ID) {
		_, err := s.TokenByConsumer(ctx, id)
		wantErr(t, fmt.Sprintf("TokenByConsumer(%d)", id), err, store.ErrNotFound)
		wantErr(t, fmt.Sprintf("DeleteToken(%d)", id), s.DeleteToken(ctx, id), store.ErrNotFound)
	}
	for _, id := range missingIDs(bare.ID) {
		nt := tokenFor(t, id, oauth.TokenVerifier)
		wantErr(t, fmt.Sprintf("CreateToken(consumer %d)", id), s.CreateToken(ctx, &nt), store.ErrNotFound)
	}
	for _, id := range missingIDs(tok.ID) {
		up := tokenFor(t, c.ID, oauth.TokenRequest)
		up.ID = id
		wantErr(t, fmt.Sprintf("UpdateToken(id %d)", id), s.UpdateToken(ctx, up, oauth.TokenVerifier), store.ErrNotFound)
	}
	for _, v := range []string{credential(t), tok.Secret, tok.Verifier, c.Key, ""} {
		_, err := s.TokenByValue(ctx, v)
		wantErr(t, fmt.Sprintf("TokenByValue(%d chars)", len(v)), err, store.ErrNotFound)
	}
	sameState(t, s, before, "calls on missing tokens")
	checkToken(t, s, tok)
}

func testTokenDuplicate(t *testing.T, s Store) {
	ctx := t.Context()
	a := newConsumer(t, s)
	ta := newToken(t, s, a.ID, oauth.TokenVerifier)
	b := newConsumer(t, s)
	tb := newToken(t, s, b.ID, oauth.TokenRequest)
	bare := newConsumer(t, s)

	second := tokenFor(t, a.ID, oauth.TokenVerifier)
	wantErr(t, "CreateToken(second row of a consumer)", s.CreateToken(ctx, &second), store.ErrExists)
	_, err := s.TokenByValue(ctx, second.Token)
	wantErr(t, "TokenByValue(rejected second row)", err, store.ErrNotFound)

	taken := tokenFor(t, bare.ID, oauth.TokenVerifier)
	taken.Token = ta.Token
	wantErr(t, "CreateToken(value taken)", s.CreateToken(ctx, &taken), store.ErrExists)
	_, err = s.TokenByConsumer(ctx, bare.ID)
	wantErr(t, "TokenByConsumer(after rejected CreateToken)", err, store.ErrNotFound)

	up := tb
	up.Token = ta.Token
	up.Type = oauth.TokenAccess
	wantErr(t, "UpdateToken(value of another row)", s.UpdateToken(ctx, up, oauth.TokenRequest), store.ErrExists)
	checkToken(t, s, ta)
	checkToken(t, s, tb)

	// Keeping one's own value is no conflict.
	tb.Secret = credential(t)
	tb.Type = oauth.TokenAccess
	mustOK(t, "UpdateToken(own value)", s.UpdateToken(ctx, tb, oauth.TokenRequest))
	checkToken(t, s, tb)
}

// testUpdateTokenConflict checks the compare-and-set: a wrong from
// changes nothing.
func testUpdateTokenConflict(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	tok := newToken(t, s, c.ID, oauth.TokenVerifier)

	for _, from := range []oauth.TokenType{oauth.TokenRequest, oauth.TokenAccess} {
		up := tok
		up.Type = oauth.TokenAccess
		up.Token, up.Secret = credential(t), credential(t)
		call := fmt.Sprintf("UpdateToken(from %s, row is verifier)", from)
		wantErr(t, call, s.UpdateToken(ctx, up, from), store.ErrConflict)
		checkToken(t, s, tok)
	}

	req := tok
	req.Type = oauth.TokenRequest
	req.Token, req.Secret = credential(t), credential(t)
	mustOK(t, "UpdateToken(verifier → request)", s.UpdateToken(ctx, req, oauth.TokenVerifier))
	again := req
	again.Token = credential(t)
	wantErr(t, "UpdateToken(from verifier again)", s.UpdateToken(ctx, again, oauth.TokenVerifier), store.ErrConflict)
	checkToken(t, s, req)
}

func testDeleteToken(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	tok := newToken(t, s, c.ID, oauth.TokenAccess)
	other := newConsumer(t, s)
	kept := newToken(t, s, other.ID, oauth.TokenAccess)

	mustOK(t, "DeleteToken", s.DeleteToken(ctx, c.ID))
	_, err := s.TokenByConsumer(ctx, c.ID)
	wantErr(t, "TokenByConsumer(deleted)", err, store.ErrNotFound)
	_, err = s.TokenByValue(ctx, tok.Token)
	wantErr(t, "TokenByValue(deleted)", err, store.ErrNotFound)
	wantErr(t, "DeleteToken(again)", s.DeleteToken(ctx, c.ID), store.ErrNotFound)
	checkConsumer(t, s, c)
	checkToken(t, s, kept)

	// The consumer may have a row again, even with the old value.
	again := tokenFor(t, c.ID, oauth.TokenVerifier)
	again.Token = tok.Token
	mustOK(t, "CreateToken(after DeleteToken)", s.CreateToken(ctx, &again))
	checkToken(t, s, again)
}

// testOAuthCopies checks that changing a consumer or token after passing
// it to the store changes nothing stored.
func testOAuthCopies(t *testing.T, s Store) {
	ctx := t.Context()
	c := oauth.Consumer{Name: "Integration1", Key: credential(t), Secret: credential(t), CreatedAt: at(0), UpdatedAt: at(0)}
	mustOK(t, "CreateConsumer", s.CreateConsumer(ctx, &c))
	wantC := c
	c.Name, c.Key = "changed", credential(t)
	checkConsumer(t, s, wantC)

	tok := tokenFor(t, wantC.ID, oauth.TokenVerifier)
	mustOK(t, "CreateToken", s.CreateToken(ctx, &tok))
	wantT := tok
	tok.Type, tok.Token = oauth.TokenAccess, credential(t)
	checkToken(t, s, wantT)

	upC := wantC
	upC.Name = "Integration2"
	mustOK(t, "UpdateConsumer", s.UpdateConsumer(ctx, upC))
	checkConsumer(t, s, upC)
}

func testUseNonce(t *testing.T, s Store) {
	ctx := t.Context()
	a := newConsumer(t, s)
	b := newConsumer(t, s)
	n := credential(t)
	const ts = 1718000000

	for _, tc := range []struct {
		call       string
		consumerID int64
		nonce      string
		ts         int64
		want       error
	}{
		{"first use", a.ID, n, ts, nil},
		{"second use", a.ID, n, ts, store.ErrExists},
		{"second use, other timestamp", a.ID, n, ts + 60, store.ErrExists},
		{"same nonce, other consumer", b.ID, n, ts, nil},
		{"same nonce, other consumer again", b.ID, n, ts, store.ErrExists},
		{"other nonce", a.ID, credential(t), ts, nil},
		{"short nonce", a.ID, "1", ts, nil},
		{"prefix of a used nonce", a.ID, n[:31], ts, nil},
		// An empty oauth_nonce reaches the store (Magento inserts it).
		{"empty nonce", a.ID, "", ts, nil},
		{"empty nonce again", a.ID, "", ts, store.ErrExists},
		{"empty nonce, other consumer", b.ID, "", ts, nil},
		{"missing consumer", absentID(b.ID), n, ts, store.ErrNotFound},
		{"consumer 0", 0, credential(t), ts, store.ErrNotFound},
	} {
		err := s.UseNonce(ctx, tc.consumerID, tc.nonce, tc.ts)
		wantErr(t, fmt.Sprintf("UseNonce(%s)", tc.call), err, tc.want)
	}
}

func testConsumerToken(t *testing.T, s Store) {
	ctx := t.Context()
	a := newConsumer(t, s)
	ta := newToken(t, s, a.ID, oauth.TokenAccess)
	b := newConsumer(t, s)
	tb := newToken(t, s, b.ID, oauth.TokenRequest)
	bare := newConsumer(t, s)

	for _, tc := range []struct {
		name       string
		key, token string
		wantC      oauth.Consumer
		wantT      oauth.Token
		found      bool
		err        error
	}{
		{"own token", a.Key, ta.Token, a, ta, true, nil},
		{"no token asked", a.Key, "", a, oauth.Token{}, false, nil},
		// The caller checks ownership: the row is returned, whoever has it.
		{"token of another consumer", a.Key, tb.Token, a, tb, true, nil},
		{"consumer without a row, token of another", bare.Key, ta.Token, bare, ta, true, nil},
		{"unknown token", a.Key, credential(t), a, oauth.Token{}, false, nil},
		{"unknown consumer", credential(t), ta.Token, oauth.Consumer{}, oauth.Token{}, false, store.ErrNotFound},
		{"unknown consumer, no token asked", credential(t), "", oauth.Consumer{}, oauth.Token{}, false, store.ErrNotFound},
	} {
		call := fmt.Sprintf("ConsumerToken(%s)", tc.name)
		c, tok, found, err := s.ConsumerToken(ctx, tc.key, tc.token)
		if !wantErr(t, call, err, tc.err) || err != nil {
			continue
		}
		if found != tc.found {
			t.Errorf("%s found = %t, want %t", call, found, tc.found)
		}
		diff(t, call+" consumer", tc.wantC, c)
		if tc.found {
			diff(t, call+" token", tc.wantT, tok)
		}
	}
}

// testExactMatch checks that lookups documented as exact do not fold case
// or ignore trailing spaces, as some SQL collations do by default.
func testExactMatch(t *testing.T, s Store) {
	ctx := t.Context()
	c := newConsumer(t, s)
	tok := newToken(t, s, c.ID, oauth.TokenAccess)
	in := newIntegration(t, s, "ERP Connector", c.ID)

	for _, name := range []string{"erp connector", "ERP CONNECTOR", in.Name + " "} {
		_, err := s.IntegrationByName(ctx, name)
		wantErr(t, fmt.Sprintf("IntegrationByName(%q)", name), err, store.ErrNotFound)
	}
	// Keys and token values are never printed: they are credentials.
	variants := []struct {
		name string
		of   func(string) string
	}{
		{"upper case", strings.ToUpper},
		{"trailing space", func(v string) string { return v + " " }},
	}
	for _, v := range variants {
		_, err := s.ConsumerByKey(ctx, v.of(c.Key))
		wantErr(t, fmt.Sprintf("ConsumerByKey(key in %s)", v.name), err, store.ErrNotFound)
		_, _, _, err = s.ConsumerToken(ctx, v.of(c.Key), tok.Token)
		wantErr(t, fmt.Sprintf("ConsumerToken(key in %s, token)", v.name), err, store.ErrNotFound)
		_, err = s.TokenByValue(ctx, v.of(tok.Token))
		wantErr(t, fmt.Sprintf("TokenByValue(token in %s)", v.name), err, store.ErrNotFound)
		_, _, found, err := s.ConsumerToken(ctx, c.Key, v.of(tok.Token))
		if wantErr(t, fmt.Sprintf("ConsumerToken(key, token in %s)", v.name), err, nil) && found {
			t.Errorf("ConsumerToken(key, token in %s) found = true, want false", v.name)
		}
	}
}
