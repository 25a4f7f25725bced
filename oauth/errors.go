package oauth

import (
	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/oauth/signature"
)

// Messages of the provider's checks, exactly as Magento 2.4.7 writes them
// (docs/magento-behaviour.md §8.2, §8.3). Those of the token lifecycle are in token.go.
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

// The provider's errors, exactly as Magento 2.4.7 raises them
// (docs/magento-behaviour.md §8.2, §8.3). Match them with errors.Is, which compares class and template
// ([magerr.Error.Is]), so a wrapped copy or one with other parameters
// matches too: errors.Is(err, oauth.ErrNonceUsed). Those without
// parameters are also what the provider returns; a *magerr.Error is
// read-only once returned, so sharing them is safe. Never change them.
var (
	// ErrVersion: oauth_version other than 1.0 (400, "%1" the version).
	ErrVersion = magerr.New(magerr.Input, msgVersion)
	// ErrSignatureMethod: a signature method the profile does not support
	// (400, "%1" the method).
	ErrSignatureMethod = magerr.New(magerr.Input, msgSignatureMethod)
	// ErrNonceUsed: a replayed nonce (401, "%1" the consumer id).
	ErrNonceUsed = magerr.New(magerr.OAuth, msgNonceUsed)
	// The errors without parameters, each named after its message.
	ErrTokenLength       = magerr.New(magerr.Input, msgTokenLength)
	ErrSignatureInvalid  = magerr.New(magerr.OAuth, msgSignatureInvalid)
	ErrConsumerKeyLength = magerr.New(magerr.OAuth, msgConsumerKeyLength)
	ErrConsumerMissing   = magerr.New(magerr.OAuth, msgConsumerMissing)
	ErrConsumerExpired   = magerr.New(magerr.OAuth, msgConsumerExpired)
	ErrNonce             = magerr.New(magerr.OAuth, msgNonceError)
	ErrTokenNotExist     = magerr.New(magerr.OAuth, msgTokenNotExist)
	ErrRequestForeign    = magerr.New(magerr.OAuth, msgRequestForeign)
	ErrTokenUsed         = magerr.New(magerr.OAuth, msgTokenUsed)
	ErrVerifierInvalid   = magerr.New(magerr.OAuth, msgVerifierInvalid)
	ErrVerifierLength    = magerr.New(magerr.OAuth, msgVerifierLength)
	ErrVerifierMismatch  = magerr.New(magerr.OAuth, msgVerifierMismatch)
	ErrTokenForeign      = magerr.New(magerr.OAuth, msgTokenForeign)
	ErrNotAccess         = magerr.New(magerr.OAuth, msgNotAccess)
	ErrRevoked           = magerr.New(magerr.OAuth, msgRevoked)

	// errTimestamp is the input error validateNonce raises for a bad
	// timestamp; Magento masks it as ErrNonce, so it is only ever a cause.
	errTimestamp = magerr.New(magerr.Input, msgTimestamp)

	// errPHPType stands for the TypeError PHP raises when a check meets
	// an array where it expects a string (strlen, in_array on a parameter
	// that parse_str made an array): a 500.
	errPHPType = magerr.New(magerr.Internal, "TypeError: array given where a string was expected")
)

// ErrNotOAuth is returned by [Provider.Verify] when the request carries no
// OAuth parameters at all (docs/magento-behaviour.md §7.2: no Authorization header containing
// "oauth ", or nothing extracted). It is not a failure: Magento moves on to
// the next user context, usually the guest. Test with errors.Is.
var ErrNotOAuth = signature.ErrNotOAuth

// SignatureError is the cause attached (as Err) to Magento's `The
// signature is invalid. Verify and try again.` error. It carries the base
// string the server computed, so that a journal or a developer can compare
// it with the client's; it never carries the key or either signature. Get
// it with errors.As.
type SignatureError struct {
	BaseString string
	// Diagnosis is the signature doctor's finding, set when
	// Config.DiagnoseSignatures is on (see [DiagnosisOf]).
	Diagnosis *signature.Diagnosis
}

// Error describes the mismatch without the base string, which holds the
// token.
func (e *SignatureError) Error() string {
	return "oauth: signature does not match the base string the server computed"
}
