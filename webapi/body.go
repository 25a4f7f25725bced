package webapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/magekit/magekit/magerr"
	"github.com/magekit/magekit/webapi/internal/wire"
)

// maxBody bounds a request body, as PHP's post_max_size (8M) does.
const maxBody = 8 << 20

// BodyParams returns the body parameters of r as Magento's REST request
// reads them (Webapi\Rest\Request::getBodyParams), each a raw JSON value:
// those the Server already decoded before calling the route's handler, or
// else the body read and decoded as a POST or PUT body is (JSON or XML by
// Content-Type). Its errors are Magento's input errors.
func BodyParams(r *http.Request) (map[string]json.RawMessage, error) {
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok && info.bodyRead {
		return info.params, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		// A broken chunked body or one shorter than its Content-Length is
		// the client's fault: 400, never 500.
		return nil, errDecoding.Wrap(fmt.Errorf("webapi: read body: %w", err))
	}
	return decodeBody(r.Header.Get("Content-Type"), b)
}

// decodeBody decodes a POST or PUT body as Magento does (getBodyParams,
// getContentType and the deserializers): no body gives no parameters;
// otherwise the Content-Type must be present, well formed, UTF-8 when it
// names a charset, and JSON or XML, and the body must decode. The
// parameters of a JSON object are its members; of an XML document, the
// children of its root element. Any other JSON value gives no parameters.
func decodeBody(ct string, b []byte) (map[string]json.RawMessage, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if ct == "" {
		return nil, magerr.New(magerr.Input, MsgContentTypeEmpty)
	}
	mime, charset, ok := parseContentType(ct)
	switch {
	case !ok:
		return nil, magerr.New(magerr.Input, MsgContentTypeInvalid)
	case charset != "" && strings.ToLower(charset) != "utf-8":
		return nil, magerr.New(magerr.Input, MsgCharset)
	case mime == "application/xml" || mime == "application/xhtml+xml" || mime == "text/xml":
		params, err := wire.XMLParams(b)
		if err != nil {
			return nil, errDecoding.Wrap(err)
		}
		return params, nil
	case mime != "application/json":
		return nil, &magerr.Error{Message: MsgContentTypeUnknown, Params: []magerr.Param{{Name: "1", Value: mime}}, Class: magerr.Webapi, Code: http.StatusBadRequest}
	}
	if err := checkJSONBounds(b); err != nil {
		return nil, errDecoding.Wrap(err)
	}
	if err := checkJSONText(b); err != nil {
		return nil, errDecoding.Wrap(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, errDecoding.Wrap(err)
	}
	params := make(map[string]json.RawMessage)
	if _, isObject := v.(map[string]any); isObject {
		_ = json.Unmarshal(b, &params) // valid, checked above
	}
	return params, nil
}

// Errors of a JSON body's text that encoding/json lets through, replacing
// what it cannot read with U+FFFD, and PHP's json_decode refuses
// (JSON_ERROR_UTF8, JSON_ERROR_UTF16), so that Magento answers "Decoding
// error." (Webapi\Rest\Request\Deserializer\Json::deserialize).
var (
	errJSONUTF8      = errors.New("webapi: malformed UTF-8 characters, possibly incorrectly encoded")
	errJSONSurrogate = errors.New("webapi: single unpaired UTF-16 surrogate in unicode escape")
)

// checkJSONText refuses a JSON body that is not UTF-8, or whose strings
// escape half of a UTF-16 surrogate pair (a \uD800–\uDBFF escape not
// followed by a \uDC00–\uDFFF one, or the latter alone). Other malformed
// JSON is left to the decoder.
func checkJSONText(b []byte) error {
	if !utf8.Valid(b) {
		return errJSONUTF8
	}
	inString, pendingHigh := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !inString {
			inString = c == '"'
			continue
		}
		if c != '\\' {
			if pendingHigh {
				return errJSONSurrogate
			}
			inString = c != '"'
			continue
		}
		if i+1 >= len(b) {
			return nil // cut short: the decoder's error
		}
		i++
		if b[i] != 'u' {
			if pendingHigh {
				return errJSONSurrogate
			}
			continue
		}
		r, ok := hex4(b[i+1:])
		if !ok {
			return nil // a bad escape: the decoder's error
		}
		i += 4
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			if pendingHigh {
				return errJSONSurrogate
			}
			pendingHigh = true
		case r >= 0xDC00 && r <= 0xDFFF:
			if !pendingHigh {
				return errJSONSurrogate
			}
			pendingHigh = false
		default:
			if pendingHigh {
				return errJSONSurrogate
			}
		}
	}
	return nil
}

// hex4 reads the four hexadecimal digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			c = (c | 0x20) - 'a' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// parseContentType matches `^([a-z\d/\-+.]+)(?:; *charset=(.+))?$` with
// the i flag, as Magento reads the Content-Type header.
func parseContentType(ct string) (mime, charset string, ok bool) {
	mime, rest, hasRest := strings.Cut(ct, ";")
	if mime == "" {
		return "", "", false
	}
	for i := 0; i < len(mime); i++ {
		c := mime[i] | 0x20
		if !(c >= 'a' && c <= 'z' || mime[i] >= '0' && mime[i] <= '9' || strings.IndexByte("/-+.", mime[i]) >= 0) {
			return "", "", false
		}
	}
	if !hasRest {
		return mime, "", true
	}
	rest = strings.TrimLeft(rest, " ")
	if len(rest) <= len("charset=") || !strings.EqualFold(rest[:len("charset=")], "charset=") {
		return "", "", false
	}
	return mime, rest[len("charset="):], true
}

// stringParam reads a scalar body parameter as Magento converts one to a
// string: a JSON string as is, a number as written, true as "1"; false,
// null, arrays and objects read as missing ("").
func stringParam(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strings.TrimSpace(string(raw))
	case bool:
		if v {
			return "1"
		}
	}
	return ""
}

// present reports whether a body parameter is given and not null.
func present(raw json.RawMessage) bool {
	return len(raw) > 0 && string(raw) != "null"
}

// Bounds of a JSON body, checked before it is decoded, so that what a
// body costs to decode stays a small multiple of its size: an 8 MB array
// of two million empty values would otherwise become two million
// interface values. MaxJSONDepth is PHP json_decode's default depth, past
// which Magento's decoder fails too.
const (
	MaxJSONValues = 100_000
	MaxJSONDepth  = 512
)

// errJSONBounds is the cause of a decoding error for a JSON body past the
// bounds.
var errJSONBounds = errors.New("webapi: the JSON body has more than 100000 values or nests deeper than 512")

// checkJSONBounds scans b, outside strings, counting values (by their
// separators) and nesting, and fails past MaxJSONValues or MaxJSONDepth.
// It allocates nothing; malformed JSON is left to the decoder.
func checkJSONBounds(b []byte) error {
	values, depth := 1, 0
	inString, escaped := false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > MaxJSONDepth {
				return errJSONBounds
			}
		case ']', '}':
			depth--
		case ',':
			if values++; values > MaxJSONValues {
				return errJSONBounds
			}
		}
	}
	return nil
}
