package oauth

import (
	"crypto/rand"
	"fmt"
	"io"
)

// CredentialLength is the length of every credential Magento generates:
// consumer keys and secrets, tokens, token secrets, verifiers and nonces
// (docs/magento-behaviour.md §2.2).
const CredentialLength = 32

const credentialAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// NewCredential returns CredentialLength characters drawn uniformly from
// [0-9a-z] using r, or crypto/rand when r is nil. It returns an error only
// when r fails.
func NewCredential(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var out [CredentialLength]byte
	var buf [64]byte
	n := 0
	for n < len(out) {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			return "", fmt.Errorf("oauth: generate credential: %w", err)
		}
		for _, b := range buf {
			// 252 = 7*36: reject the tail so every symbol is equally likely.
			if b >= 252 {
				continue
			}
			out[n] = credentialAlphabet[b%36]
			n++
			if n == len(out) {
				break
			}
		}
	}
	return string(out[:]), nil
}

// ValidCredential reports whether s has the shape of a generated
// credential: exactly 32 characters of [0-9a-z].
func ValidCredential(s string) bool {
	if len(s) != CredentialLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}
