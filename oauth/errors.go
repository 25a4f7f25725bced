package oauth

import (
	"errors"

	"github.com/magekit/magekit/magerr"
)

// Messages of the provider's checks, exactly as Magento 2.4.7 writes them
// (SPEC §8.2, §8.3). Those of the token lifecycle are in token.go.
const (
	msgVersion           = `The "%1" Oauth version isn't supported.`
	msgTokenLength       = "The token length is invalid. Check the length and try again."
	msgSignatureMethod   = "Signature method %1 is not supported"
	msgSignatureInvalid  = "The signature is invalid. Verify and try again."
	msgConsumerKeyLength = "Consumer key is not the correct length"
	msgConsumerMissing   = "A consumer having the specified key does not exist"
	msgConsumerExpired   = "Consumer key has expired"
	msgNonceUsed         = "The nonce is already being used by the consumer with ID %1"
	msgNonceError        = "An error occurred validating the nonce"
	msgTimestamp         = "Incorrect timestamp value in the oauth_timestamp parameter"
	msgTokenNotExist     = "Specified token does not exist"
	msgRequestForeign    = "Request token is not associated with the specified consumer"
	msgTokenUsed         = "Token is already being used"
	msgVerifierInvalid   = "Verifier is invalid"
	msgVerifierLength    = "Verifier is not the correct length"
	msgVerifierMismatch  = "Token verifier and verifier token do not match"
	msgTokenForeign      = "Token is not associated with the specified consumer"
	msgNotAccess         = "Token is not an access token"
	msgRevoked           = "Access token has been revoked"
)

// Errors without parameters are built once; a *magerr.Error is read-only
// once returned, so sharing them is safe.
var (
	errTokenLength       = magerr.New(magerr.Input, msgTokenLength)
	errSignatureInvalid  = magerr.New(magerr.OAuth, msgSignatureInvalid)
	errConsumerKeyLength = magerr.New(magerr.OAuth, msgConsumerKeyLength)
	errConsumerMissing   = magerr.New(magerr.OAuth, msgConsumerMissing)
	errConsumerExpired   = magerr.New(magerr.OAuth, msgConsumerExpired)
	errNonce             = magerr.New(magerr.OAuth, msgNonceError)
	errTokenNotExist     = magerr.New(magerr.OAuth, msgTokenNotExist)
	errRequestForeign    = magerr.New(magerr.OAuth, msgRequestForeign)
	errTokenUsed         = magerr.New(magerr.OAuth, msgTokenUsed)
	errVerifierInvalid   = magerr.New(magerr.OAuth, msgVerifierInvalid)
	errVerifierLength    = magerr.New(magerr.OAuth, msgVerifierLength)
	errVerifierMismatch  = magerr.New(magerr.OAuth, msgVerifierMismatch)
	errTokenForeign      = magerr.New(magerr.OAuth, msgTokenForeign)
	errNotAccess         = magerr.New(magerr.OAuth, msgNotAccess)
	errRevoked           = magerr.New(magerr.OAuth, msgRevoked)

	// errTimestamp is the input error validateNonce raises for a bad
	// timestamp; Magento masks it as errNonce, so it is only ever a cause.
	errTimestamp = magerr.New(magerr.Input, msgTimestamp)

	// errPHPType stands for the TypeError PHP raises when a check meets
	// an array where it expects a string (strlen, in_array on a parameter
	// that parse_str made an array): a 500.
	errPHPType = magerr.New(magerr.Internal, "TypeError: array given where a string was expected")
)

// ErrNotOAuth is returned by [Provider.Verify] when the request carries no
// OAuth parameters at all (SPEC §7.2: no Authorization header containing
// "oauth ", or nothing extracted). It is not a failure: Magento moves on to
// the next user context, usually the guest. Test with errors.Is.
var ErrNotOAuth = errors.New("oauth: not an OAuth request")

// SignatureError is the cause attached (as Err) to Magento's `The
// signature is invalid. Verify and try again.` error. It carries the base
// string the server computed, so that a journal or a developer can compare
// it with the client's; it never carries the key or either signature. Get
// it with errors.As.
type SignatureError struct {
	BaseString string
	// Diagnosis is the signature doctor's finding, set when
	// Config.DiagnoseSignatures is on (see [DiagnosisOf]).
	Diagnosis *Diagnosis
}

// Error describes the mismatch without the base string, which holds the
// token.
func (e *SignatureError) Error() string {
	return "oauth: signature does not match the base string the server computed"
}
