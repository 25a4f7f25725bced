package signature

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/magekit/magekit/oauth/internal/php"
)

// Diagnosis is the signature doctor's finding on a request whose signature
// Magento rejects with `The signature is invalid. Verify and try again.`:
// which of Magento's signing rules the client broke. The doctor recomputes
// the signature as the usual client mistakes would and names the first
// that reproduces the client's signature exactly (see the Rule constants
// and docs/signature-doctor.md). It never holds a secret or a signature;
// ClientBaseString holds the request's parameters, the token included, as
// the BaseString of package oauth's SignatureError does.
type Diagnosis struct {
	// Rule is the stable id of the broken rule, one of the Rule constants;
	// [RuleUnknown] when no known mistake reproduces the signature.
	Rule string `json:"rule"`
	// Explanation names Magento's rule and what the client did, in one or
	// two sentences.
	Explanation string `json:"explanation"`
	// ClientBaseString is the base string the client must have signed;
	// empty for RuleUnknown and RuleNone.
	ClientBaseString string `json:"client_base_string,omitempty"`
}

// Diagnose checks the signature of req under p with the two secrets (the
// token secret empty for the request-token step) and explains a mismatch:
// [RuleNone] when the signature is valid, the rule the client broke, or
// [RuleUnknown]. It fails when req is not a signed OAuth request that p can
// build a base string for: no OAuth parameters ([ErrNotOAuth]), no
// oauth_signature or oauth_signature_method, an array parameter, a URL
// that is not http or https. It is pure and safe for concurrent use.
func (p Profile) Diagnose(req Request, consumerSecret, tokenSecret string) (Diagnosis, error) {
	d, err := p.newDoctor(req, consumerSecret, tokenSecret)
	if err != nil {
		return Diagnosis{}, err
	}
	if verifyMAC(d.method, d.msg, consumerSecret, tokenSecret, d.sig.value, d.sig.escaped) {
		return Diagnosis{Rule: RuleNone, Explanation: explanationNone}, nil
	}
	return d.run(), nil
}

// newDoctor extracts req's parameters and builds its base string under p,
// as a provider's check does.
func (p Profile) newDoctor(req Request, consumerSecret, tokenSecret string) (*doctor, error) {
	var s paramSet
	query := rawQuery(req.URL)
	if err := p.extract(&req, query, &s); err != nil {
		return nil, err
	}
	if len(s.list) == 0 {
		return nil, ErrNotOAuth
	}
	sig, okSig := s.lookup(ParamSignature)
	method, okMethod := s.get(ParamSignatureMethod)
	if !okSig || !okMethod || sig.array || method.array {
		return nil, errors.New("signature: diagnose: the request has no oauth_signature or oauth_signature_method")
	}
	u, err := splitURL(req.URL)
	if err != nil {
		return nil, err
	}
	var b baseBuilder
	msg, err := b.build(p, req.Method, u, s.list)
	if err != nil {
		return nil, err
	}
	return &doctor{profile: p, req: req, query: query, u: u, list: s.list, method: method.value,
		consumerSecret: consumerSecret, tokenSecret: tokenSecret, sig: sig, msg: msg}, nil
}

// doctor holds a failed check's parsed request: everything the variants
// start from, so that no variant reads or parses the HTTP request again.
type doctor struct {
	profile        Profile
	req            Request // Method, Authorization, ContentType, Body
	query          string  // the raw query of the request URL
	u              urlParts
	list           []param // the parameters the server signed
	method         string  // the announced oauth_signature_method
	consumerSecret string
	tokenSecret    string
	sig            param  // oauth_signature as sent
	msg            []byte // hmacBlock bytes of scratch, then the server's base string

	uri   []byte // the server's base string URI, not yet encoded
	buf   []byte // the variants' messages
	pairs []pair
	tries int // HMACs computed, for the tests' bound
}

// pair is one parameter of a variant, encoded as the client encodes it.
type pair struct{ name, value []byte }

// attempt is one variant: the message (hmacBlock bytes of scratch, then
// the base string) and the key and method the client would have used.
type attempt struct {
	msg                         []byte
	method                      string
	consumerSecret, tokenSecret string
}

// run tries the variants in order and returns the first whose signature is
// the client's, else RuleUnknown. A variant that gives the server's own
// base string, key and method is skipped: it cannot match.
func (d *doctor) run() Diagnosis {
	var err error
	if d.uri, err = d.profile.appendBaseURI(nil, d.u); err != nil {
		return unknownDiagnosis
	}
	server := d.msg[hmacBlock:]
	for _, r := range rules {
		a, ok := r.try(d)
		if !ok {
			continue
		}
		if a.method == "" {
			a.method, a.consumerSecret, a.tokenSecret = d.method, d.consumerSecret, d.tokenSecret
			if bytes.Equal(a.msg[hmacBlock:], server) {
				continue
			}
		}
		d.tries++
		if verifyMAC(a.method, a.msg, a.consumerSecret, a.tokenSecret, d.sig.value, d.sig.escaped) {
			return Diagnosis{Rule: r.id, Explanation: r.explanation, ClientBaseString: string(a.msg[hmacBlock:])}
		}
	}
	return unknownDiagnosis
}

// recipe is how a variant's client builds its base string.
type recipe struct {
	list       []param
	uri        []byte // nil: the server's
	byteOrder  bool   // sort by encoded name, then value, in byte order
	tieByValue bool   // natural order of names, equal names by value
	plus       bool   // spaces encoded as '+'
	double     bool   // names and values encoded twice
}

// assemble builds the base string of r into d.buf, with hmacBlock bytes of
// scratch before it. The zero recipe over d.list gives the server's base
// string: the same encoding, the profile's order, the same URI.
func (d *doctor) assemble(r recipe) attempt {
	if r.uri == nil {
		r.uri = d.uri
	}
	var arena []byte
	d.pairs = d.pairs[:0]
	type offs struct{ k0, k1, v1 int }
	var spans []offs
	for _, x := range r.list {
		if x.name == ParamSignature {
			continue
		}
		x = x.decoded()
		o := offs{k0: len(arena)}
		arena = r.encode(arena, x.name)
		o.k1 = len(arena)
		arena = r.encode(arena, x.value)
		o.v1 = len(arena)
		spans = append(spans, o)
	}
	for _, o := range spans {
		d.pairs = append(d.pairs, pair{name: arena[o.k0:o.k1], value: arena[o.k1:o.v1]})
	}
	switch {
	case r.byteOrder || d.profile == RFC5849:
		slices.SortStableFunc(d.pairs, func(x, y pair) int {
			if c := bytes.Compare(x.name, y.name); c != 0 {
				return c
			}
			return bytes.Compare(x.value, y.value)
		})
	default:
		slices.SortStableFunc(d.pairs, func(x, y pair) int {
			if c := php.Strnatcmp(x.name, y.name); c != 0 || !r.tieByValue {
				return c
			}
			return bytes.Compare(x.value, y.value)
		})
	}
	var scratch [hmacBlock]byte
	b := append(d.buf[:0], scratch[:]...)
	b = appendUpperASCII(b, d.req.Method) // ASCII only, as the server does
	b = append(b, '&')
	b = appendEncoded(b, r.uri)
	b = append(b, '&')
	for i, p := range d.pairs {
		if i > 0 {
			b = append(b, "%26"...)
		}
		b = appendEncoded(b, p.name)
		b = append(b, "%3D"...)
		b = appendEncoded(b, p.value)
	}
	d.buf = b
	return attempt{msg: b}
}

// encode appends s encoded as r's client encodes a name or a value.
func (r recipe) encode(b []byte, s string) []byte {
	start := len(b)
	b = appendEncoded(b, s)
	if r.double {
		once := string(b[start:])
		b = appendEncoded(b[:start], once)
	}
	if r.plus {
		enc := b[start:]
		w := 0
		for i := 0; i < len(enc); i++ {
			if enc[i] == '%' && i+2 < len(enc) && enc[i+1] == '2' && enc[i+2] == '0' {
				enc[w] = '+'
				i += 2
			} else {
				enc[w] = enc[i]
			}
			w++
		}
		b = b[:start+w]
	}
	return b
}

// extracted returns the parameters profile q extracts from the request
// with its content type and query replaced; ok is false when extraction
// fails or gives an array, which no client signs.
func (d *doctor) extracted(q Profile, contentType, body, query string) ([]param, bool) {
	req := d.req
	req.ContentType, req.Body = contentType, body
	var s paramSet
	if err := q.extract(&req, query, &s); err != nil || s.hasArray() {
		return nil, false
	}
	return s.list, true
}

// queryOccurrences returns every query parameter Magento's extraction
// keeps, duplicates included, in order: each '&' piece goes through the
// profile's own query rules alone.
func (d *doctor) queryOccurrences() []param {
	var out []param
	var s paramSet
	for piece := range strings.SplitSeq(d.query, "&") {
		s.reset()
		s.setQuery(piece, d.profile == Magento243)
		out = append(out, s.list...)
	}
	return out
}

// repeated returns the query parameters whose name occurs more than once,
// in order, and whether there is any.
func (d *doctor) repeated() ([]param, bool) {
	occ := d.queryOccurrences()
	count := make(map[string]int, len(occ))
	for _, x := range occ {
		count[x.name]++
	}
	var out []param
	for _, x := range occ {
		if count[x.name] > 1 {
			out = append(out, x)
		}
	}
	return out, len(out) > 0
}

// withPort returns the server's URI with port inserted after the
// authority.
func (d *doctor) withPort(port string) []byte {
	i := bytes.Index(d.uri, []byte("://"))
	if i < 0 {
		return nil
	}
	j := i + len("://")
	end := bytes.IndexByte(d.uri[j:], '/')
	if end < 0 {
		end = len(d.uri) - j
	}
	end += j
	out := append([]byte(nil), d.uri[:end]...)
	out = append(out, ':')
	out = append(out, port...)
	return append(out, d.uri[end:]...)
}
