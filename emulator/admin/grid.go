package admin

import (
	"cmp"
	"encoding/base64"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/magekit/magekit/integration"
)

// Grid defaults and texts (B/Block/Widget/Grid.php; docs/magento-admin.md
// §2).
const (
	DefaultGridLimit = 20
	MsgNotSecure     = "Warning! Integrations not using HTTPS are insecure and potentially expose private or personally identifiable information"
)

// gridLimits are the page sizes the grid offers.
var gridLimits = []int{20, 30, 50, 100, 200}

// statusLabels are the labels of the three statuses (I/Model/Integration/
// Source/Status.php).
var statusLabels = map[integration.Status]string{
	integration.StatusInactive: "Inactive",
	integration.StatusActive:   "Active",
	integration.StatusReset:    "Reset",
}

// gridView is the integrations grid as the template draws it.
type gridView struct {
	Rows         []gridRow
	Total        int
	Page, Pages  int
	Limit        int
	Limits       []int
	Sort, Dir    string
	FilterName   string
	FilterStatus string
	Filter       string // the encoded filter parameter
}

// gridRow is one integration in the grid.
type gridRow struct {
	ID            int64
	Name          string
	NotSecure     bool
	Status        string
	Link          string // "Activate" or "Reauthorize"
	Reauthorize   int    // data-row-is-reauthorize
	TokenExchange int    // data-row-is-token-exchange
	Config        bool   // a config-file integration: View, Delete disabled
}

// gridQuery is the grid's state: Magento's limit, page, sort, dir and
// filter parameters.
type gridQuery struct {
	limit, page  int
	sort, dir    string
	name, status string
	filter       string
}

// parseGridQuery reads the grid parameters of q, with Magento's defaults
// for missing or invalid ones: sort integration_id ascending, 20 rows,
// page 1.
func parseGridQuery(params map[string]string) gridQuery {
	g := gridQuery{limit: DefaultGridLimit, page: 1, sort: "integration_id", dir: "asc"}
	if n, err := strconv.Atoi(params["limit"]); err == nil && slices.Contains(gridLimits, n) {
		g.limit = n
	}
	if n, err := strconv.Atoi(params["page"]); err == nil && n > 0 {
		g.page = n
	}
	switch s := params["sort"]; s {
	case "name", "status", "integration_id":
		g.sort = s
	}
	if strings.EqualFold(params["dir"], "desc") {
		g.dir = "desc"
	}
	if f := params["filter"]; f != "" {
		if v, ok := decodeFilter(f); ok {
			g.name, g.status, g.filter = v.Get("name"), v.Get("status"), f
		}
	}
	return g
}

// decodeFilter decodes Magento's filter parameter: base64 with "-", "_"
// and "," for "+", "/" and "=" (F/Url/Decoder), holding a URL-encoded
// query (B/Helper/Data.php::prepareFilterString).
func decodeFilter(f string) (url.Values, bool) {
	if len(f) > 4096 {
		return nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.NewReplacer("-", "+", "_", "/", ",", "=").Replace(f))
	if err != nil {
		return nil, false
	}
	v, err := url.ParseQuery(string(raw))
	return v, err == nil
}

// gridItem is one integration of the grid.
type gridItem struct {
	in *integration.Integration
}

// filterRows keeps the integrations matching g's filters: the name
// containing the text, case-insensitively (SQL LIKE %value%), the status
// equal.
func filterRows(list []integration.Integration, g gridQuery) []gridItem {
	name := strings.ToLower(g.name)
	status, statusErr := strconv.Atoi(g.status)
	out := make([]gridItem, 0, len(list))
	for i := range list {
		in := &list[i]
		if g.status != "" && (statusErr != nil || int(in.Status) != status) {
			continue
		}
		if name != "" && !strings.Contains(strings.ToLower(in.Name), name) {
			continue
		}
		out = append(out, gridItem{in: in})
	}
	return out
}

// sortRows orders the integrations by g's column, then by id (ids are
// unique, so the order is total).
func sortRows(items []gridItem, g gridQuery) {
	slices.SortFunc(items, func(x, y gridItem) int {
		c := 0
		switch g.sort {
		case "name":
			c = compareFold(x.in.Name, y.in.Name)
		case "status":
			c = cmp.Compare(x.in.Status, y.in.Status)
		}
		if c == 0 {
			c = cmp.Compare(x.in.ID, y.in.ID)
		}
		if g.dir == "desc" {
			c = -c
		}
		return c
	})
}

// compareFold compares two names case-insensitively, as MySQL's collation
// compares them, without allocating for ASCII names.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if x >= 0x80 || y >= 0x80 {
			return cmp.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(a), len(b))
}

// newGridView builds the page of the grid g asks for. A page past the
// last shows the last, as Magento's collection does.
func newGridView(list []integration.Integration, g gridQuery) *gridView {
	rows := filterRows(list, g)
	sortRows(rows, g)
	v := &gridView{Total: len(rows), Limit: g.limit, Limits: gridLimits, Sort: g.sort, Dir: g.dir,
		FilterName: g.name, FilterStatus: g.status, Filter: g.filter}
	v.Pages = max(1, (len(rows)+g.limit-1)/g.limit)
	v.Page = min(g.page, v.Pages)
	start := (v.Page - 1) * g.limit
	end := min(start+g.limit, len(rows))
	v.Rows = make([]gridRow, 0, end-start)
	for _, it := range rows[start:end] {
		in := it.in
		r := gridRow{ID: in.ID, Name: in.Name, NotSecure: in.NotSecure(), Status: statusLabels[in.Status],
			Link: "Activate", Config: in.SetupType == integration.SetupConfig}
		if in.Status == integration.StatusActive {
			r.Link = "Reauthorize"
		}
		if in.Status != integration.StatusInactive {
			r.Reauthorize = 1
		}
		if in.TokenExchange() {
			r.TokenExchange = 1
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

// anyHTTP reports whether an integration has an endpoint or identity link
// starting with "http:" in any case, SQL LIKE 'http:%' (docs/magento-admin.md
// §2.1).
func anyHTTP(list []integration.Integration) bool {
	for _, in := range list {
		if hasHTTP(in.Endpoint) || hasHTTP(in.IdentityLinkURL) {
			return true
		}
	}
	return false
}

// anyReset reports whether a config-file integration has status Reset.
func anyReset(list []integration.Integration) bool {
	for _, in := range list {
		if in.SetupType == integration.SetupConfig && in.Status == integration.StatusReset {
			return true
		}
	}
	return false
}

func hasHTTP(s string) bool { return len(s) >= 5 && strings.EqualFold(s[:5], "http:") }

// gridPage is integration/index: the grid with the HTTPS notice.
func (a *Admin) gridPage(q *request) {
	list, err := a.svc.List(q.r.Context())
	if err != nil {
		a.internalError(q, err)
		return
	}
	d := pageData{Title: "Integrations", Heading: "Integrations", Menu: "integrations",
		Grid: newGridView(list, parseGridQuery(q.params))}
	if anyHTTP(list) {
		d.Messages = append(d.Messages, escaped("notice", MsgNotSecure))
	}
	d.System, d.systemKnown = a.resetMessage(anyReset(list)), true
	a.renderPage(q, "grid", d)
}

// gridFragment is integration/grid: the grid alone, for AJAX reloads.
func (a *Admin) gridFragment(q *request) {
	list, err := a.svc.List(q.r.Context())
	if err != nil {
		a.internalError(q, err)
		return
	}
	a.execute(q, "grid", "grid", pageData{Base: a.URL(""), Grid: newGridView(list, parseGridQuery(q.params))})
}
