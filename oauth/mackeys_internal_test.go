package oauth

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkMAC compares the HMAC of a base string keyed from scratch with
// the cached keyed state, for one credential pair and for 10,000 pairs in
// turn.
func BenchmarkMAC(b *testing.B) {
	msg := make([]byte, hmacBlock+450)
	copy(msg[hmacBlock:], strings.Repeat("GET&http%3A%2F%2Fshop.example.com%2Frest", 12))
	const cs, ts = "sphwnjuicgswx1g2adhwd8k53dg008va", "a9gd6yk1l3z0tk7x5bqv2mhn8e4rjc0p"
	var sig [base64Max]byte
	b.Run("uncached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			macBase64(&sig, HMACSHA256, msg, cs, ts)
		}
	})
	b.Run("cached", func(b *testing.B) {
		var k macKeys
		b.ReportAllocs()
		for b.Loop() {
			k.macBase64(&sig, HMACSHA256, msg, cs, ts)
		}
	})
	b.Run("cached-10k", func(b *testing.B) {
		var k macKeys
		secrets := make([]string, 10_000)
		for i := range secrets {
			secrets[i] = ts[:22] + strconv.Itoa(1_000_000_000+i)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			k.macBase64(&sig, HMACSHA256, msg, cs, secrets[i%len(secrets)])
			i++
		}
	})
}

// TestMACKeysMatch checks that the cached keyed state gives the MAC of the
// uncached computation, for both methods, for keys longer and shorter than
// a block, on the first use and the next, and past the cache's bound.
func TestMACKeysMatch(t *testing.T) {
	msg := make([]byte, hmacBlock, hmacBlock+200)
	msg = append(msg, "POST&https%3A%2F%2Fshop.example.com%2Foauth%2Ftoken%2Frequest&oauth_nonce%3Dx"...)
	var k macKeys
	for i := range macKeysMax + 10 {
		cs := "c" + strconv.Itoa(i)
		ts := ""
		if i%2 == 0 {
			ts = strings.Repeat("t", 40) + strconv.Itoa(i) // key past one block
		}
		for _, method := range []string{HMACSHA256, HMACSHA1} {
			var want, got [base64Max]byte
			n := macBase64(&want, method, msg, cs, ts)
			for range 2 {
				if m := k.macBase64(&got, method, msg, cs, ts); m != n || got != want {
					t.Fatalf("%s key %d: cached %q, want %q", method, i, got[:m], want[:n])
				}
			}
		}
	}
	if len(k.m) > macKeysMax {
		t.Fatalf("cache holds %d states, bound %d", len(k.m), macKeysMax)
	}
}

// TestMACKeysConcurrent runs cached MACs of a few pairs from several
// goroutines; with -race it catches unsynchronised use of the cache or of
// the pooled hash states.
func TestMACKeysConcurrent(t *testing.T) {
	msg := make([]byte, hmacBlock, hmacBlock+64)
	msg = append(msg, "GET&http%3A%2F%2Fh%2Fp&a%3Db"...)
	var k macKeys
	done := make(chan error)
	for g := range 4 {
		go func() {
			for i := range 500 {
				cs, ts := "c"+strconv.Itoa((g+i)%7), "t"
				var want, got [base64Max]byte
				n := macBase64(&want, HMACSHA256, msg, cs, ts)
				if m := k.macBase64(&got, HMACSHA256, msg, cs, ts); m != n || got != want {
					done <- fmt.Errorf("pair %s: cached %q, want %q", cs, got[:m], want[:n])
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
