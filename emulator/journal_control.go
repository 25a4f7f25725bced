package emulator

import (
	"net/http"

	"github.com/magekit/magekit/emulator/journal"
	"github.com/magekit/magekit/webapi"
)

// Requests returns the journal entries that pass f, oldest first, as GET
// /rest/V1/emulator/journal with the same filter answers them.
func (e *Emulator) Requests(f journal.Filter) []journal.Entry { return e.requests.Query(f) }

// ClearJournal forgets every journal entry, and nothing else.
func (e *Emulator) ClearJournal() { e.requests.Reset() }

// getJournal is GET /V1/emulator/journal: the entries that pass the
// query's filter, oldest first.
func (e *Emulator) getJournal(r *http.Request, _ webapi.Caller) (any, error) {
	f, err := journal.ParseFilter(r.URL.Query())
	if err != nil {
		return nil, err
	}
	return journal.Page(e.requests.Query(f)), nil
}

// countJournal is GET /V1/emulator/journal/count: {"count": n} of the
// entries that pass the filter.
func (e *Emulator) countJournal(r *http.Request, _ webapi.Caller) (any, error) {
	f, err := journal.ParseFilter(r.URL.Query())
	if err != nil {
		return nil, err
	}
	f.Limit = 0
	return map[string]int{"count": e.requests.Count(f)}, nil
}

// clearJournal is DELETE /V1/emulator/journal: the journal is emptied,
// nothing else changes.
func (e *Emulator) clearJournal(_ *http.Request, _ webapi.Caller) (any, error) {
	e.requests.Reset()
	return true, nil
}
