package signature

import (
	"slices"
	"strings"
)

// Rule ids of a [Diagnosis]. They are stable: tests and tools may match
// them. docs/signature-doctor.md shows, for each, a client that breaks it.
const (
	// RuleNone: the signature is valid ([Profile.Diagnose] only).
	RuleNone = "none"
	// RuleUnknown: no known mistake reproduces the signature.
	RuleUnknown = "unknown"

	RuleByteOrderSort         = "byte_order_sort"         // sorted in byte order, not PHP's natural order
	RuleQueryPlusAsSpace      = "query_plus_as_space"     // 2.4.7: a '+' of the query signed as a space
	RuleQueryPlusKept         = "query_plus_kept"         // 2.4.3: a '+' of the query signed as a plus sign
	RulePathAsSent            = "path_as_sent"            // 2.4.7: the path signed without laminas normalisation
	RulePathNormalised        = "path_normalised"         // 2.4.3: the path normalised instead of signed as received
	RulePlusForSpace          = "plus_for_space"          // spaces encoded as '+', not %20
	RuleDoubleEncoded         = "double_encoded"          // names and values encoded twice
	RuleDuplicateFirstValue   = "duplicate_first_value"   // a repeated query name signed with its first value
	RuleDuplicatesKept        = "duplicates_kept"         // every value of a repeated query name signed
	RuleHTTPSSignedForHTTP    = "https_signed_for_http"   // https signed, the store reached over http
	RuleHTTPSignedForHTTPS    = "http_signed_for_https"   // http signed, the store reached over https
	RuleDefaultPortKept       = "default_port_kept"       // :80 or :443 kept in the signed URL
	RulePortDropped           = "port_dropped"            // a non-default port left out of the signed URL
	RuleFormBodyOmitted       = "form_body_omitted"       // the form body's parameters left out
	RuleFormBodySigned        = "form_body_signed"        // a body Magento does not read signed
	RuleQueryOmitted          = "query_omitted"           // the query's parameters left out
	RuleProtocolParamsOmitted = "protocol_params_omitted" // oauth_nonce, oauth_timestamp, oauth_version left out
	RuleHMACSHA1ForSHA256     = "hmac_sha1_for_sha256"    // HMAC-SHA1 computed, HMAC-SHA256 announced
	RuleTokenSecretOmitted    = "token_secret_omitted"    // the key without the token secret
	RuleSecretsSwapped        = "secrets_swapped"         // the key as token secret & consumer secret
)

const explanationNone = "The signature is valid: it is the HMAC of the base string Magento computes, keyed with the two secrets."

var unknownDiagnosis = Diagnosis{
	Rule: RuleUnknown,
	Explanation: "No known client mistake reproduces the signature: the client most likely signed with other secrets " +
		"(a consumer or token secret of an earlier activation, or of another integration) or signed another URL, " +
		"method or set of parameters than the request carries. Compare base_string with the client's.",
}

// rule is one known client mistake: how to recompute the signature as a
// client making it would. try reports false when the mistake cannot
// change this request's signature (no query, no space, no duplicate...).
type rule struct {
	id, explanation string
	try             func(d *doctor) (attempt, bool)
}

// rules are tried in this order, the likeliest mistakes first; the first
// that reproduces the client's signature is the diagnosis. Their number
// bounds a diagnosis: one base string and one HMAC each at most.
var rules = [...]rule{
	{RuleByteOrderSort,
		"Magento sorts the signed parameters by encoded name in PHP's natural order (strnatcmp: a[2] before a[10]); " +
			"the client sorted them byte by byte (a[10] before a[2]), as RFC 5849 §3.4.1.3.2 and most OAuth libraries do.",
		func(d *doctor) (attempt, bool) {
			if d.profile == RFC5849 {
				return attempt{}, false
			}
			return d.assemble(recipe{list: d.list, byteOrder: true}), true
		}},
	{RuleQueryPlusAsSpace,
		"Magento 2.4.7 decodes the query with rawurldecode, so a '+' in it stays a plus sign; " +
			"the client decoded the query as a form and signed the '+' as a space. Send a space as %20.",
		func(d *doctor) (attempt, bool) { return d.queryDecoded(Magento247, Magento243) }},
	{RuleQueryPlusKept,
		"Magento up to 2.4.3 decodes the query as a form, so a '+' in it is a space; the client signed it as a plus sign.",
		func(d *doctor) (attempt, bool) { return d.queryDecoded(Magento243, Magento247) }},
	{RulePathAsSent,
		"Magento 2.4.7 normalises the path before signing (laminas-oauth: escapes of unreserved characters and of " +
			": @ & = + $ , / ; % decoded, so %2F becomes /, other escapes upper-cased); the client signed the path as sent.",
		func(d *doctor) (attempt, bool) {
			if d.profile != Magento247 {
				return attempt{}, false
			}
			return d.assemble(recipe{list: d.list, uri: appendZF1URL(nil, d.u)}), true
		}},
	{RulePathNormalised,
		"Magento up to 2.4.3 signs the path exactly as received; the client normalised its percent-encoding " +
			"(decoding %2F, say) before signing.",
		func(d *doctor) (attempt, bool) {
			if d.profile != Magento243 {
				return attempt{}, false
			}
			return d.assemble(recipe{list: d.list, uri: appendLaminasURL(nil, d.u)}), true
		}},
	{RulePlusForSpace,
		"Magento encodes names and values with RFC 3986 percent-encoding (rawurlencode), a space as %20; " +
			"the client encoded spaces as '+', as HTML form encoders (urlencode, URLEncoder, quote_plus) do.",
		func(d *doctor) (attempt, bool) { return d.assemble(recipe{list: d.list, plus: true}), true }},
	{RuleDoubleEncoded,
		"Magento percent-encodes each decoded name and value once; the client encoded them twice, " +
			"typically by signing the query as sent (already encoded) or by encoding values before handing them to its OAuth library.",
		func(d *doctor) (attempt, bool) { return d.assemble(recipe{list: d.list, double: true}), true }},
	{RuleDuplicateFirstValue,
		"When a query name repeats, Magento signs only its last value; the client signed the first one " +
			"(as Go's url.Values.Get or Python's parse_qs(...)[0] return it).",
		(*doctor).duplicateFirstValue},
	{RuleDuplicatesKept,
		"When a query name repeats, Magento signs only its last value (a PHP array keeps one entry per name); " +
			"the client signed every occurrence, as RFC 5849 §3.4.1.3.1 asks.",
		(*doctor).duplicatesKept},
	{RuleHTTPSSignedForHTTP,
		"Magento signs the URL it was reached at, and it was reached over http; the client signed https. " +
			"Behind a TLS-terminating proxy, the proxy must send X-Forwarded-Proto: https (web/secure/offloader_header).",
		func(d *doctor) (attempt, bool) { return d.scheme("http", "https") }},
	{RuleHTTPSignedForHTTPS,
		"Magento signs the URL it was reached at, and it was reached over https (or X-Forwarded-Proto said https); " +
			"the client signed http.",
		func(d *doctor) (attempt, bool) { return d.scheme("https", "http") }},
	{RuleDefaultPortKept,
		"Magento drops the scheme's default port (80 for http, 443 for https) from the signed URL; the client kept it.",
		(*doctor).defaultPortKept},
	{RulePortDropped,
		"Magento signs the URL with its port when it is not the scheme's default; the client left the port out " +
			"(a port mapping or proxy between the client and the store?).",
		func(d *doctor) (attempt, bool) {
			if n := portNumber(d.u.port); n == 0 || defaultPort(d.u.scheme, n) {
				return attempt{}, false
			}
			u := d.u
			u.port = ""
			return d.withURI(u)
		}},
	{RuleFormBodyOmitted,
		"Magento signs the parameters of a form body (Content-Type starting with application/x-www-form-urlencoded); " +
			"the client left them out.",
		func(d *doctor) (attempt, bool) {
			if d.req.Body == "" {
				return attempt{}, false
			}
			return d.withList(d.extracted(d.profile, "", "", d.query))
		}},
	{RuleFormBodySigned,
		"Magento signs a form body only when Content-Type starts with exactly application/x-www-form-urlencoded " +
			"(case-sensitive); the client signed the body parameters anyway.",
		func(d *doctor) (attempt, bool) {
			if d.req.Body == "" {
				return attempt{}, false
			}
			return d.withList(d.extracted(d.profile, formContentType, d.req.Body, d.query))
		}},
	{RuleQueryOmitted,
		"Magento signs the query parameters of the URL (pieces with exactly one '='); the client left them out.",
		func(d *doctor) (attempt, bool) {
			if d.query == "" {
				return attempt{}, false
			}
			return d.withList(d.extracted(d.profile, d.req.ContentType, d.req.Body, ""))
		}},
	{RuleProtocolParamsOmitted,
		"Magento signs every oauth_* parameter of the Authorization header; the client left oauth_nonce, " +
			"oauth_timestamp and oauth_version out, as Magento's own header builder does (magento/magento2#30693).",
		(*doctor).protocolParamsOmitted},
	{RuleHMACSHA1ForSHA256,
		"The request announces HMAC-SHA256, which Magento then uses; the client computed an HMAC-SHA1.",
		func(d *doctor) (attempt, bool) {
			if d.method != HMACSHA256 {
				return attempt{}, false
			}
			return attempt{msg: d.msg, method: HMACSHA1, consumerSecret: d.consumerSecret, tokenSecret: d.tokenSecret}, true
		}},
	{RuleTokenSecretOmitted,
		"Magento keys the HMAC with the consumer secret, '&' and the token secret; the client left the token secret out, " +
			"as a two-legged signer does.",
		func(d *doctor) (attempt, bool) {
			if d.tokenSecret == "" {
				return attempt{}, false
			}
			return attempt{msg: d.msg, method: d.method, consumerSecret: d.consumerSecret}, true
		}},
	{RuleSecretsSwapped,
		"Magento keys the HMAC with the consumer secret first, then '&' and the token secret; the client swapped the two secrets.",
		func(d *doctor) (attempt, bool) {
			if d.tokenSecret == "" || d.tokenSecret == d.consumerSecret {
				return attempt{}, false
			}
			return attempt{msg: d.msg, method: d.method, consumerSecret: d.tokenSecret, tokenSecret: d.consumerSecret}, true
		}},
}

// withList assembles list in the profile's way.
func (d *doctor) withList(list []param, ok bool) (attempt, bool) {
	if !ok {
		return attempt{}, false
	}
	return d.assemble(recipe{list: list}), true
}

// withURI assembles the server's parameters under the base string URI of
// u.
func (d *doctor) withURI(u urlParts) (attempt, bool) {
	uri, err := d.profile.appendBaseURI(nil, u)
	if err != nil {
		return attempt{}, false
	}
	return d.assemble(recipe{list: d.list, uri: uri}), true
}

// queryDecoded re-extracts the query as profile as decodes it, when the
// server's profile is server and the query holds a '+'.
func (d *doctor) queryDecoded(server, as Profile) (attempt, bool) {
	if d.profile != server || strings.IndexByte(d.query, '+') < 0 {
		return attempt{}, false
	}
	return d.withList(d.extracted(as, d.req.ContentType, d.req.Body, d.query))
}

// scheme signs the URL with scheme to when the request came as from.
func (d *doctor) scheme(from, to string) (attempt, bool) {
	if d.u.scheme != from {
		return attempt{}, false
	}
	u := d.u
	u.scheme = to
	return d.withURI(u)
}

func (d *doctor) defaultPortKept() (attempt, bool) {
	if n := portNumber(d.u.port); n != 0 && !defaultPort(d.u.scheme, n) {
		return attempt{}, false
	}
	port := "80"
	if d.u.scheme == "https" {
		port = "443"
	}
	uri := d.withPort(port)
	if uri == nil {
		return attempt{}, false
	}
	return d.assemble(recipe{list: d.list, uri: uri}), true
}

func (d *doctor) duplicateFirstValue() (attempt, bool) {
	if d.profile == RFC5849 {
		return attempt{}, false
	}
	rep, ok := d.repeated()
	if !ok {
		return attempt{}, false
	}
	first := make(map[string]string, len(rep))
	for _, x := range rep {
		if _, seen := first[x.name]; !seen {
			first[x.name] = x.value
		}
	}
	list := slices.Clone(d.list)
	for i, x := range list {
		if v, ok := first[x.name]; ok {
			list[i].value, list[i].escaped = v, false
		}
	}
	return d.assemble(recipe{list: list}), true
}

func (d *doctor) duplicatesKept() (attempt, bool) {
	if d.profile == RFC5849 {
		return attempt{}, false
	}
	rep, ok := d.repeated()
	if !ok {
		return attempt{}, false
	}
	names := make(map[string]bool, len(rep))
	for _, x := range rep {
		names[x.name] = true
	}
	list := make([]param, 0, len(d.list)+len(rep))
	for _, x := range d.list {
		if !names[x.name] {
			list = append(list, x)
		}
	}
	return d.assemble(recipe{list: append(list, rep...), tieByValue: true}), true
}

func (d *doctor) protocolParamsOmitted() (attempt, bool) {
	list := make([]param, 0, len(d.list))
	for _, x := range d.list {
		if x.name != ParamNonce && x.name != ParamTimestamp && x.name != ParamVersion {
			list = append(list, x)
		}
	}
	if len(list) == len(d.list) {
		return attempt{}, false
	}
	return d.assemble(recipe{list: list}), true
}
