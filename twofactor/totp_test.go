package twofactor_test

import (
	"testing"
	"time"

	"github.com/magekit/magekit/twofactor"
)

// TestTOTPVectors checks TOTP against the SHA-1 test vectors of RFC 6238
// appendix B (key "12345678901234567890"), whose 8-digit values end in the
// 6-digit codes Google Authenticator shows.
func TestTOTPVectors(t *testing.T) {
	key, err := twofactor.DecodeSecret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") // Base32 of the RFC's key
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		unix int64
		want string
	}{
		{59, "287082"},          // 94287082
		{1111111109, "081804"},  // 07081804
		{1111111111, "050471"},  // 14050471
		{1234567890, "005924"},  // 89005924
		{2000000000, "279037"},  // 69279037
		{20000000000, "353130"}, // 65353130
	} {
		if got := twofactor.TOTP(key, time.Unix(tt.unix, 0)); got != tt.want {
			t.Errorf("TOTP(T=%d) = %s, want %s", tt.unix, got, tt.want)
		}
	}
}

// TestDecodeGoogleSecret checks which secrets are refused.
func TestDecodeGoogleSecret(t *testing.T) {
	for _, tt := range []struct {
		secret string
		ok     bool
	}{
		{"JBSWY3DPEHPK3PXP", true},
		{"jbswy3dpehpk3pxp", true},
		{"GEZDGNBVGY3TQOJQ======", true},
		{"", false},
		{"====", false},
		{"JBSWY3DPEHPK3PX1", false}, // 1 is not Base32
		{"JBSW Y3DP", false},
		{string(make([]byte, 1025)), false},
	} {
		_, err := twofactor.DecodeSecret(tt.secret)
		if (err == nil) != tt.ok {
			t.Errorf("DecodeGoogleSecret(%q) = %v, want ok %t", tt.secret, err, tt.ok)
		}
	}
}
