package oauth

import (
	"context"
	"errors"

	"github.com/magekit/magekit/oauth/signature"
)

// DiagnosisOf returns the [signature.Diagnosis] attached to a signature failure
// returned by a [Provider] whose Config.DiagnoseSignatures is set, and
// whether there is one.
func DiagnosisOf(err error) (signature.Diagnosis, bool) {
	var se *SignatureError
	if errors.As(err, &se) && se.Diagnosis != nil {
		return *se.Diagnosis, true
	}
	return signature.Diagnosis{}, false
}

// signatureInvalid is the error of a signature mismatch found by check:
// Magento's message, with a [SignatureError] carrying the server's base
// string and, when diagnosis is on, the doctor's finding.
func (p *Provider) signatureInvalid(ctx context.Context, consumerID int64, s *signature.Signed, consumerSecret, tokenSecret string) error {
	se := &SignatureError{BaseString: s.BaseString()}
	if !p.diagnose {
		p.log.DebugContext(ctx, "oauth: signature invalid", "consumer_id", consumerID)
		return ErrSignatureInvalid.Wrap(se)
	}
	dg := s.Diagnose(consumerSecret, tokenSecret)
	se.Diagnosis = &dg
	p.log.DebugContext(ctx, "oauth: signature invalid", "consumer_id", consumerID, "rule", dg.Rule, "explanation", dg.Explanation)
	return ErrSignatureInvalid.Wrap(se)
}
