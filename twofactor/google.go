package twofactor

import (
	"sync"
	"time"
)

// Google is Magento_TwoFactorAuth enabled with Google Authenticator as
// the one forced provider (twofactorauth/general/force_providers =
// google), and the Google secrets of the admin users that configured it.
// Set on webapi.Config.TwoFactor, it changes the admin token service and
// serves the providers' token routes as Magento does
// (docs/magento-fidelity.md §5). A Google is safe for concurrent use; its
// zero value is ready, with no secret.
type Google struct {
	mu      sync.RWMutex
	secrets map[int64][]byte // admin user id → decoded Google secret
}

// NewGoogle returns a Google in which no admin user has configured
// Google Authenticator yet.
func NewGoogle() *Google {
	return &Google{secrets: make(map[int64][]byte)}
}

// SetSecret configures Google Authenticator for the admin user
// adminID with secret, Base32 as [DecodeSecret] reads it, as the
// user's scanning of the QR code does in Magento. An empty secret removes
// the configuration.
func (t *Google) SetSecret(adminID int64, secret string) error {
	if secret == "" {
		t.mu.Lock()
		delete(t.secrets, adminID)
		t.mu.Unlock()
		return nil
	}
	key, err := DecodeSecret(secret)
	if err != nil {
		return err
	}
	t.mu.Lock()
	if t.secrets == nil {
		t.secrets = make(map[int64][]byte)
	}
	t.secrets[adminID] = key
	t.mu.Unlock()
	return nil
}

// Configured reports whether the admin user adminID has a Google secret.
func (t *Google) Configured(adminID int64) bool {
	_, ok := t.key(adminID)
	return ok
}

// Check reports whether otp is the code of adminID's secret at now, within
// [DefaultOTPWindow] ([Verify]); false when adminID has no secret.
func (t *Google) Check(adminID int64, otp string, now time.Time) bool {
	key, ok := t.key(adminID)
	return ok && Verify(key, otp, now, DefaultOTPWindow)
}

// key returns the Google secret of adminID.
func (t *Google) key(adminID int64) ([]byte, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	key, ok := t.secrets[adminID]
	return key, ok
}
