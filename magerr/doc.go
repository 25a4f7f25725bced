// Package magerr is Magento's error model: a message template with its
// placeholders (%1, %fieldName), the parameters beside it, and the exception
// class that decides the HTTP status.
//
// Magento never sends RFC 5849 problem names (docs/magento-behaviour.md §8.1): every failure a
// client sees is a human-readable template. The REST layer renders an [Error]
// as JSON with the template unsubstituted and the parameters beside it
// (`{"message":"Signature method %1 is not supported","parameters":["HMAC-SHA1"]}`),
// the /oauth/token endpoints render the substituted text as oauth_problem, and
// both derive the status from the [Class]. Keeping template and parameters
// apart means no layer ever parses a message string.
//
// magerr is a leaf: it imports nothing from magekit, so that oauth,
// integration and webapi share one error type.
//
// # Usage
//
//	err := magerr.New(magerr.Input, "Signature method %1 is not supported", "HMAC-SHA1")
//	var me *magerr.Error
//	if errors.As(err, &me) {
//		_ = me.Status() // 400
//		_ = me.Text()   // "Signature method HMAC-SHA1 is not supported"
//	}
package magerr
