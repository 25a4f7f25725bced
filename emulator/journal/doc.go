// Package journal is the emulator's record of the requests it answered: a
// ring bounded by count and by bytes ([Journal]), its entries ([Entry]:
// method, path, query, route, caller, outcome, status, Magento's error,
// the server's base string and the signature doctor's diagnosis on a
// signature failure, and, when asked, the request's headers and body),
// filters with their query syntax ([ParseFilter]) and the streamed answer
// of GET /rest/V1/emulator/journal ([Page]).
//
// Nothing journaled holds a secret: the value of every parameter whose
// name holds "signature", "verifier", "token", "secret" or "password"
// (oauth_signature_method aside) reads REDACTED in paths, queries, base
// strings, headers and bodies, and a body that cannot be parsed is
// withheld.
//
// Files: journal.go (the ring and its entries), journal_query.go (filters
// and the streamed answer), capture.go (request bodies as the server reads
// them), redact.go (secrets out).
package journal
