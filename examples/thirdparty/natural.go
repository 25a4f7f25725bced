package main

import (
	"net/url"
	"slices"
	"strings"

	"github.com/dghubble/oauth1"
)

// naturalOrder is an oauth1.Signer that fixes dghubble/oauth1's base
// string for Magento before signing it. dghubble sorts the parameters by
// encoded name in byte order, as RFC 5849 §3.4.1.3.2 says; Magento sorts
// them in PHP's natural order (strnatcmp), where a run of digits compares
// by value: searchCriteria[...][2] comes before searchCriteria[...][10].
// The two orders differ only for names with such runs, so most calls sign
// alike; a search with ten or more filters does not.
type naturalOrder struct{ oauth1.Signer }

// Sign re-sorts the parameter string of message, "METHOD&URI&PARAMS", and
// signs the result with the wrapped signer.
func (s naturalOrder) Sign(tokenSecret, message string) (string, error) {
	method, rest, _ := strings.Cut(message, "&")
	uri, params, _ := strings.Cut(rest, "&")
	plain, err := url.PathUnescape(params) // PARAMS is encoded once more
	if err != nil {
		return "", err
	}
	pairs := strings.Split(plain, "&")
	slices.SortStableFunc(pairs, func(a, b string) int {
		na, _, _ := strings.Cut(a, "=")
		nb, _, _ := strings.Cut(b, "=")
		return natCompare(na, nb)
	})
	return s.Signer.Sign(tokenSecret, method+"&"+uri+"&"+oauth1.PercentEncode(strings.Join(pairs, "&")))
}

// natCompare is PHP's strnatcmp for encoded names (which hold no spaces):
// byte order, except that two runs of digits compare by value, or digit by
// digit when either starts with '0'.
func natCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			ei, ej := i, j
			for ei < len(a) && isDigit(a[ei]) {
				ei++
			}
			for ej < len(b) && isDigit(b[ej]) {
				ej++
			}
			ra, rb := a[i:ei], b[j:ej]
			if a[i] != '0' && b[j] != '0' && len(ra) != len(rb) {
				return len(ra) - len(rb)
			}
			if c := strings.Compare(ra, rb); c != 0 {
				return c
			}
			i, j = ei, ej
			continue
		}
		if a[i] != b[j] {
			return int(a[i]) - int(b[j])
		}
		i, j = i+1, j+1
	}
	return (len(a) - i) - (len(b) - j)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
