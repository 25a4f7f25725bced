package emulator

import (
	"net/http"
	"strings"

	"github.com/magekit/magekit/emulator/journal"

	"github.com/magekit/magekit/webapi"
)

// SuccessCallbackPath is the path, below the base URL, of the page that
// Magento's admin passes to the identity link as success_call_back (docs/magento-behaviour.md
// §5.2 step 5): adminhtml/integration/loginSuccessCallback.
const SuccessCallbackPath = "admin/admin/integration/loginSuccessCallback/"

// isSuccessCallback reports whether r asks for the success_call_back page.
func (e *Emulator) isSuccessCallback(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := r.URL.Path
	return p == "/"+SuccessCallbackPath || p == "/"+strings.TrimSuffix(SuccessCallbackPath, "/")
}

// successCallbackPage is adminhtml/integration/loginSuccessCallback: a
// page that closes its popup window after 1000 ms (docs/magento-behaviour.md §5.2 step 6).
const successCallbackPage = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Integration</title></head>
<body>
<script>setTimeout(function () { window.close(); }, 1000);</script>
</body>
</html>
`

// serveSuccessCallback answers the success_call_back page and journals it.
// Magento serves it to the admin's browser session; the emulator has no
// sessions and serves it to anyone.
func (e *Emulator) serveSuccessCallback(w http.ResponseWriter, r *http.Request) {
	at := e.now()
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(successCallbackPage))
	}
	entry := journal.NewEntry(at, r, "")
	entry.Who, entry.Outcome, entry.Status = "guest", string(OutcomeSuccessCallback), http.StatusOK
	e.requests.Add(entry)
}

// OutcomeSuccessCallback is the journal outcome of a request for the
// success_call_back page (docs/magento-behaviour.md §5.2 step 6), which the Emulator serves
// outside the REST surface.
const OutcomeSuccessCallback webapi.Outcome = "success_callback"
