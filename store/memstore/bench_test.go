package memstore_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/magekit/magekit/integration"
	"github.com/magekit/magekit/oauth"
	"github.com/magekit/magekit/store/memstore"
	"github.com/magekit/magekit/user"
)

// benchSize is how many integrations, consumers and token rows the lookup
// benchmarks hold: far more than any emulator run, so lookups pay the
// radix trees' real depth.
const benchSize = 10_000

var benchTime = time.Date(2024, time.June, 10, 6, 13, 20, 0, time.UTC)

func benchStore(b *testing.B) *memstore.Store {
	b.Helper()
	s, err := memstore.New()
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func benchCredential(b *testing.B) string {
	b.Helper()
	v, err := oauth.NewCredential(nil)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// seedLinked stores n integrations, each with a consumer and an access
// token row, and returns them.
func seedLinked(b *testing.B, s *memstore.Store, n int) ([]integration.Integration, []oauth.Consumer, []oauth.Token) {
	b.Helper()
	ctx := b.Context()
	ins := make([]integration.Integration, n)
	cs := make([]oauth.Consumer, n)
	toks := make([]oauth.Token, n)
	for i := range n {
		cs[i] = oauth.Consumer{Name: "Integration" + strconv.Itoa(i), Key: benchCredential(b), Secret: benchCredential(b), CreatedAt: benchTime, UpdatedAt: benchTime}
		if err := s.CreateConsumer(ctx, &cs[i]); err != nil {
			b.Fatal(err)
		}
		ins[i] = integration.Integration{
			Name: "integration " + strconv.Itoa(i), Email: "ops@example.com", Status: integration.StatusActive,
			ConsumerID: cs[i].ID, Resources: []string{"Magento_Catalog::products", "Magento_Sales::sales"},
			CreatedAt: benchTime, UpdatedAt: benchTime,
		}
		if err := s.CreateIntegration(ctx, &ins[i]); err != nil {
			b.Fatal(err)
		}
		toks[i] = oauth.Token{ConsumerID: cs[i].ID, Type: oauth.TokenAccess, Token: benchCredential(b), Secret: benchCredential(b),
			Verifier: benchCredential(b), CallbackURL: oauth.CallbackOOB, UserType: user.Integration, CreatedAt: benchTime}
		if err := s.CreateToken(ctx, &toks[i]); err != nil {
			b.Fatal(err)
		}
	}
	return ins, cs, toks
}

func BenchmarkIntegrationByID(b *testing.B) {
	s := benchStore(b)
	ins, _, _ := seedLinked(b, s, benchSize)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		want := ins[i%len(ins)].ID
		in, err := s.Integration(ctx, want)
		if err != nil || in.ID != want {
			b.Fatalf("Integration(%d) = %d, %v", want, in.ID, err)
		}
		i++
	}
}

func BenchmarkCreateIntegration(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	resources := []string{"Magento_Catalog::products", "Magento_Sales::sales"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := integration.Integration{Name: "integration " + strconv.Itoa(i), Resources: resources, CreatedAt: benchTime, UpdatedAt: benchTime}
		if err := s.CreateIntegration(ctx, &in); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkConsumerToken is the read of every signed request: consumer by
// key and token row by value, in one call.
func BenchmarkConsumerToken(b *testing.B) {
	s := benchStore(b)
	_, cs, toks := seedLinked(b, s, benchSize)
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(cs)
		_, tok, found, err := s.ConsumerToken(ctx, cs[k].Key, toks[k].Token)
		if err != nil || !found || tok.ID != toks[k].ID {
			b.Fatalf("ConsumerToken = %d, %t, %v", tok.ID, found, err)
		}
		i++
	}
}

// BenchmarkUseNonce records a new nonce per call for one consumer, the
// write of every signed request.
func BenchmarkUseNonce(b *testing.B) {
	s := benchStore(b)
	_, cs, _ := seedLinked(b, s, 1)
	ctx := b.Context()
	nonce := make([]byte, 0, 32)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		nonce = strconv.AppendInt(nonce[:0], int64(i), 36)
		if err := s.UseNonce(ctx, cs[0].ID, string(nonce), 1718000000); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
