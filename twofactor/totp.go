package twofactor

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Google Authenticator's TOTP as Magento_TwoFactorAuth computes it with
// spomky-labs/otphp's defaults (docs/magento-fidelity.md §5): RFC 6238
// over HMAC-SHA1, a 30-second period counted from the Unix epoch, 6
// digits.
const (
	totpPeriod = 30
	totpDigits = 6
	// DefaultOTPWindow is twofactorauth/google/otp_window of Magento's
	// config.xml: a code is checked at the request's time, that time minus
	// the window and that time plus the window.
	DefaultOTPWindow = 29 * time.Second
	// maxSecretLength bounds a Google secret, in Base32 characters.
	maxSecretLength = 1024
)

// googleSecrets is the Base32 alphabet of Google Authenticator secrets,
// without padding.
var googleSecrets = base32.StdEncoding.WithPadding(base32.NoPadding)

// DecodeSecret decodes a Google Authenticator shared secret: Base32
// (RFC 4648; letters in either case, '=' padding optional), at least one
// byte and at most 1024 characters. Magento generates upper-case secrets;
// authenticator apps accept both cases.
func DecodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.TrimRight(secret, "="))
	if s == "" || len(secret) > maxSecretLength {
		return nil, errors.New("the Google Authenticator secret must be 1 to 1024 Base32 characters")
	}
	key, err := googleSecrets.DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, errors.New("the Google Authenticator secret must be Base32 (letters A-Z and digits 2-7)")
	}
	return key, nil
}

// TOTP returns the Google Authenticator code of key at t: RFC 6238 with
// HMAC-SHA1, a 30-second period and 6 digits, zero-padded. It is what an
// authenticator app shows, and what a harness sends as "otp".
func TOTP(key []byte, t time.Time) string {
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(t.Unix()/totpPeriod))
	mac := hmac.New(sha1.New, key)
	mac.Write(counter[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	s := strconv.FormatUint(uint64(code%1_000_000), 10)
	return strings.Repeat("0", totpDigits-len(s)) + s
}

// Verify is otphp's TOTP::verify with a leeway: otp must equal the code
// of key at now, now minus window, or now plus window, compared in constant
// time.
func Verify(key []byte, otp string, now time.Time, window time.Duration) bool {
	ok := 0
	for _, t := range [3]time.Time{now.Add(-window), now, now.Add(window)} {
		ok |= subtle.ConstantTimeCompare([]byte(TOTP(key, t)), []byte(otp))
	}
	return ok == 1
}
