package storetest

import (
	"fmt"
	"testing"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store"
)

// testEmptyKeys checks that an empty string is a key like any other, as
// the UNIQUE constraints of Magento's tables make it: one row may have an
// empty name, consumer key or secret, or token value, and reads find it by
// that key; a second one is refused with store.ErrExists and changes
// nothing.
func testEmptyKeys(t *testing.T, s Store) {
	ctx := t.Context()

	in := newIntegration(t, s, "", 0)
	checkIntegration(t, s, in)

	emptyKey := oauth.Consumer{Key: "", Secret: credential(t), CreatedAt: at(0), UpdatedAt: at(0)}
	mustOK(t, `CreateConsumer(key "")`, s.CreateConsumer(ctx, &emptyKey))
	checkConsumer(t, s, emptyKey)
	emptySecret := oauth.Consumer{Key: credential(t), Secret: "", CreatedAt: at(0), UpdatedAt: at(0)}
	mustOK(t, `CreateConsumer(secret "")`, s.CreateConsumer(ctx, &emptySecret))
	checkConsumer(t, s, emptySecret)

	tok := tokenFor(t, emptySecret.ID, oauth.TokenAccess)
	tok.Token = ""
	mustOK(t, `CreateToken(token "")`, s.CreateToken(ctx, &tok))
	checkToken(t, s, tok)

	other := newConsumer(t, s)
	before := MustSnapshot(t, s)
	dupIn := integration.Integration{Name: "", CreatedAt: at(0), UpdatedAt: at(0)}
	wantErr(t, `CreateIntegration(second name "")`, s.CreateIntegration(ctx, &dupIn), store.ErrExists)
	dupKey := oauth.Consumer{Key: "", Secret: credential(t), CreatedAt: at(0), UpdatedAt: at(0)}
	wantErr(t, `CreateConsumer(second key "")`, s.CreateConsumer(ctx, &dupKey), store.ErrExists)
	dupSecret := oauth.Consumer{Key: credential(t), Secret: "", CreatedAt: at(0), UpdatedAt: at(0)}
	wantErr(t, `CreateConsumer(second secret "")`, s.CreateConsumer(ctx, &dupSecret), store.ErrExists)
	dupTok := tokenFor(t, other.ID, oauth.TokenAccess)
	dupTok.Token = ""
	wantErr(t, `CreateToken(second token "")`, s.CreateToken(ctx, &dupTok), store.ErrExists)
	sameState(t, s, before, "second empty keys")

	// The credential read finds the consumer with key "" too; an empty
	// token there means "no token", not the row whose value is "".
	c, _, found, err := s.ConsumerToken(ctx, "", "")
	if wantErr(t, `ConsumerToken("", "")`, err, nil) {
		diff(t, `ConsumerToken("", "")`, emptyKey, c)
		if found {
			t.Errorf(`ConsumerToken("", "") found a token row, want none`)
		}
	}
	// So does the read with the owner, for a backend that has it.
	if ow, ok := s.(oauth.OwnerStore); ok {
		for _, key := range []string{"", emptySecret.Key} {
			_, tok, found, _, err := ow.ConsumerTokenOwner(ctx, key, "")
			if wantErr(t, fmt.Sprintf(`ConsumerTokenOwner(%q, "")`, key), err, nil) && found {
				t.Errorf(`ConsumerTokenOwner(%q, "") found token row %d, want none`, key, tok.ID)
			}
		}
	}
}
