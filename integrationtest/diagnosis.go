package integrationtest

import "github.com/magekit/magekit/oauth/signature"

// WithoutSignatureDiagnosis turns the signature doctor off: signature
// failures are journaled without a diagnosis.
func WithoutSignatureDiagnosis() Option {
	return func(s *setup) { s.cfg.NoSignatureDiagnosis = true }
}

// LastDiagnosis returns the signature doctor's finding on the most recent
// journaled signature failure: which of Magento's signing rules the client
// broke (Rule is one of the signature.Rule constants, signature.RuleUnknown when
// no known mistake explains it), its client base string redacted as the
// journal redacts. ok is false when no failure was diagnosed.
func (s *Server) LastDiagnosis() (d signature.Diagnosis, ok bool) {
	j := s.Journal()
	for i := len(j) - 1; i >= 0; i-- {
		if j[i].Diagnosis != nil {
			return *j[i].Diagnosis, true
		}
	}
	return signature.Diagnosis{}, false
}
