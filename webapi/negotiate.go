package webapi

import (
	"slices"
	"strconv"
	"strings"
)

// format is the representation of a REST answer.
type format uint8

const (
	formatJSON format = iota
	formatXML
)

// renderers are Magento_Webapi's REST renderers in configuration order
// (etc/di.xml, RendererFactory "renders"): the first is the default.
var renderers = [...]struct {
	mime   string
	format format
}{
	{"*/*", formatJSON},
	{"application/json", formatJSON},
	{"text/xml", formatXML},
	{"application/xml", formatXML},
	{"application/xhtml+xml", formatXML},
}

// negotiate chooses the renderer for an Accept header value as Magento's
// RendererFactory does: the accepted types ordered by quality (Webapi\Rest\
// Request::getAcceptTypes), the first that a renderer takes, where a type
// is taken when it equals the renderer's type, its major type followed by
// "/*", or "*/*". ok is false when none is taken; Magento then answers 406
// naming first, the best accepted type.
func negotiate(accept string) (f format, first string, ok bool) {
	switch accept {
	case "", "*/*", "application/json":
		return formatJSON, "", true
	}
	types := acceptTypes(accept)
	for _, t := range types {
		for _, r := range renderers {
			major, _, _ := strings.Cut(r.mime, "/")
			if t == r.mime || t == major+"/*" || t == "*/*" {
				return r.format, "", true
			}
		}
	}
	return formatJSON, types[0], false
}

// acceptTypes is Webapi\Rest\Request::getAcceptTypes: the media types of
// the header, grouped by their quality string in descending order (PHP's
// krsort), in header order within a group, each once; ["*/*"] when none is
// valid.
func acceptTypes(accept string) []string {
	type group struct {
		quality string
		types   []string
	}
	var groups []group
	for def := range strings.SplitSeq(accept, ",") {
		def = strings.TrimLeft(def, " \t\n\r\f\v")
		mime, params, hasParams := strings.Cut(def, ";")
		mime = strings.Trim(mime, " \t\n\r\x00\x0B")
		if !validMediaType(mime) {
			continue
		}
		quality := "1.0"
		if hasParams {
			first, _, _ := strings.Cut(params, ";")
			if parts := strings.Split(first, "="); len(parts) == 2 {
				quality = parts[1]
			}
		}
		i := slices.IndexFunc(groups, func(g group) bool { return phpKeyEqual(g.quality, quality) })
		if i < 0 {
			groups = append(groups, group{quality: quality})
			i = len(groups) - 1
		}
		if !slices.Contains(groups[i].types, mime) {
			groups[i].types = append(groups[i].types, mime)
		}
	}
	slices.SortStableFunc(groups, func(a, b group) int { return phpCompare(b.quality, a.quality) })
	var out []string
	for _, g := range groups {
		for _, t := range g.types {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	if len(out) == 0 {
		return []string{"*/*"}
	}
	return out
}

// validMediaType matches `^([0-9a-z*+\-]+)(?:/([0-9a-z*+\-\.]+))?$` with
// the i flag.
func validMediaType(s string) bool {
	major, minor, slash := strings.Cut(s, "/")
	ok := func(s string, dot bool) bool {
		if s == "" {
			return false
		}
		for i := 0; i < len(s); i++ {
			c := s[i] | 0x20
			if !(c >= 'a' && c <= 'z' || s[i] >= '0' && s[i] <= '9' || s[i] == '*' || s[i] == '+' || s[i] == '-' || dot && s[i] == '.') {
				return false
			}
		}
		return true
	}
	return ok(major, false) && (!slash || ok(minor, true))
}

// phpKeyEqual reports whether two quality strings name the same PHP array
// key: decimal integer strings are converted to integers, others are kept.
func phpKeyEqual(a, b string) bool {
	return phpKey(a) == phpKey(b)
}

func phpKey(s string) string {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(n, 10) == s {
		return strconv.FormatInt(n, 10)
	}
	return "s:" + s
}

// phpCompare compares two array keys as PHP 8's krsort does by default:
// numerically when both are numeric strings, as strings otherwise.
func phpCompare(a, b string) int {
	fa, errA := strconv.ParseFloat(strings.TrimSpace(a), 64)
	fb, errB := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if errA == nil && errB == nil {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(a, b)
}
