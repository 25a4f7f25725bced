package signature

import (
	"errors"
	"net/http"
	"sync"
)

// Signed is an HTTP request's OAuth parameters, extracted as a [Profile]
// extracts them, with the working memory that checks its signature: what
// a provider reads between its checks (docs/magento-behaviour.md §8.2).
// Get one with [Profile.Extract] and give it back with [Signed.Release];
// a Signed is not safe for concurrent use.
type Signed struct {
	profile Profile
	req     Request
	target  targetURL
	set     paramSet
	base    baseBuilder
	u       urlParts
	msg     []byte // the HMAC block and the base string, after BuildBase
	mac     macHashes
}

// Value is an extracted parameter as a check reads it: its value decoded,
// and whether PHP's parse_str made it an array, which no check of
// Magento's can take as a string.
type Value struct {
	Value string
	Array bool
}

// ErrNotOAuth reports a request that carries no OAuth parameters at all
// (docs/magento-behaviour.md §7.2: no Authorization header containing "oauth ", or nothing
// extracted). Test with errors.Is.
var ErrNotOAuth = errors.New("oauth: not an OAuth request")

var signedPool = sync.Pool{New: func() any { return new(Signed) }}

// maxPooled bounds the buffers a pooled Signed keeps: one request with a
// large form body must not leave every pooled one that large.
const maxPooled = 64 << 10

// Extract reads r as p reads a request (docs/magento-behaviour.md §7.2, §7.3): the
// Authorization header, a form body (read and restored, as [ReadRequest]
// does) and the raw query, with the request URL from the Host header and
// the request-target. offloaderHeader is a canonical header name (see
// [RequestURL]); empty means [DefaultOffloaderHeader]. It fails when the
// body cannot be read (400) or when PHP would refuse the parameters (a
// 500, as in Magento). The caller must call Release on the result, also
// after a failure.
func (p Profile) Extract(r *http.Request, offloaderHeader string) (*Signed, error) {
	s := signedPool.Get().(*Signed)
	s.profile = p
	if offloaderHeader == "" {
		offloaderHeader = DefaultOffloaderHeader
	}
	req, target, err := readRequest(r, offloaderHeader)
	s.req, s.target = req, target
	if err != nil {
		return s, err
	}
	s.set.lazy = true
	return s, p.extract(&s.req, target.query(), &s.set)
}

// Release gives s back for reuse; s must not be used afterwards.
func (s *Signed) Release() {
	s.set.reset()
	s.req, s.target, s.u, s.msg = Request{}, targetURL{}, urlParts{}, nil
	if !s.oversized() {
		signedPool.Put(s)
	}
}

// oversized reports whether s grew past what the pool keeps.
func (s *Signed) oversized() bool {
	b := &s.base
	return cap(b.buf) > maxPooled || cap(b.arena) > maxPooled || cap(b.url) > maxPooled ||
		cap(s.set.dec) > maxPooled || cap(s.set.list) > maxPooled/64
}

// IsOAuth reports whether the request is an OAuth request at all: under
// the Magento profiles, whether anything was extracted (which needs an
// OAuth Authorization header); under RFC5849, whether any oauth_ parameter
// came from any source.
func (s *Signed) IsOAuth() bool {
	if s.profile != RFC5849 {
		return len(s.set.list) > 0
	}
	for _, x := range s.set.list {
		if len(x.name) > len("oauth_") && x.name[:len("oauth_")] == "oauth_" {
			return true
		}
	}
	return false
}

// Get returns the first parameter called name.
func (s *Signed) Get(name string) (Value, bool) {
	x, ok := s.first(name)
	if !ok {
		return Value{}, false
	}
	if x.escaped {
		return Value{Value: rawURLDecode(x.value), Array: x.array}, true
	}
	return Value{Value: x.value, Array: x.array}, true
}

// IsArray reports whether the first parameter called name is one PHP's
// parse_str made an array. Unlike Get it decodes nothing, so checking
// oauth_signature costs no allocation.
func (s *Signed) IsArray(name string) bool {
	x, ok := s.first(name)
	return ok && x.array
}

// Has reports whether a parameter is called name.
func (s *Signed) Has(name string) bool {
	_, ok := s.first(name)
	return ok
}

// first returns the first parameter called name as it is kept (its value
// possibly escaped). A protocol parameter is found through its slot;
// any other name first decodes the query parameters kept as sent.
func (s *Signed) first(name string) (*param, bool) {
	k := protoSlot(name)
	if k < 0 {
		s.readable(name)
	}
	if i := s.set.findSlot(name, k); i >= 0 {
		return &s.set.list[i], true
	}
	return nil, false
}

// readable decodes the query parameters kept as sent before a read by a
// name that could be one of theirs. None of them decodes to an OAuth name
// (see setRawQuery), so the provider's reads decode nothing; without such
// parameters a read costs nothing more.
func (s *Signed) readable(name string) {
	if s.set.raw && !IsOAuthName(name) {
		s.set.materialize()
	}
}

// BuildBase builds the base string of the request under its profile
// (docs/magento-behaviour.md §9.1). It fails as [Profile.BaseURI] fails: for a URL that is
// not http or https, with an error that matches [ErrScheme].
func (s *Signed) BuildBase() error {
	u, err := s.target.parts()
	if err != nil {
		return err
	}
	s.u = u
	s.msg, err = s.base.build(s.profile, s.req.Method, u, s.set.list)
	return err
}

// Matches reports whether oauth_signature is the signature of the base
// string BuildBase built, under method (HMAC-SHA256 or HMAC-SHA1) keyed with
// the two secrets (the token secret empty for the request-token step). The
// comparison takes constant time. It is false before BuildBase, and when
// there is no oauth_signature or it is an array.
func (s *Signed) Matches(method, consumerSecret, tokenSecret string) bool {
	sig, ok := s.set.lookup(ParamSignature)
	if !ok || sig.array || s.msg == nil {
		return false
	}
	// The keyed state of a pair that signs often is kept (mackey.go);
	// otherwise the key is applied here.
	var want [base64Max]byte
	n := 0
	if k := macKeys.get(&s.mac, method, consumerSecret, tokenSecret); k != nil {
		n = s.mac.mac(&want, k, s.msg[hmacBlock:])
	}
	if n == 0 {
		n = macBase64(&want, method, s.msg, consumerSecret, tokenSecret)
	}
	return equalMAC(want[:n], sig.value, sig.escaped)
}

// BaseString returns the base string BuildBase built; empty before.
func (s *Signed) BaseString() string {
	if s.msg == nil {
		return ""
	}
	return string(s.msg[hmacBlock:])
}

// Diagnose runs the signature doctor (docs/signature-doctor.md) on a request
// whose signature does not match: it recomputes the signature as the usual
// client mistakes would, keyed with the two secrets, and names the first
// that reproduces the client's. Call it after BuildBase.
func (s *Signed) Diagnose(consumerSecret, tokenSecret string) Diagnosis {
	s.set.materialize()
	sig, _ := s.set.lookup(ParamSignature)
	method, _ := s.set.get(ParamSignatureMethod)
	d := &doctor{profile: s.profile, req: s.req, query: s.target.query(), u: s.u, list: s.set.list, method: method.value,
		consumerSecret: consumerSecret, tokenSecret: tokenSecret, sig: sig, msg: s.msg}
	return d.run()
}
