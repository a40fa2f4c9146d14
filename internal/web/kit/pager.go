package kit

import (
	"net/http"
	"net/url"
	"strconv"
)

// PerPage is the length of every paginated list.
const PerPage = 25

// Pager is the position in a paginated list, with links that keep the
// list's other query parameters; the partial "pager" shows it.
type Pager struct {
	Page, Pages, Total int
	Prev, Next         string // "" at either end
}

// PageParam reads ?page=, counting from 1.
func PageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// Offset is where page starts in the list.
func Offset(page int) int { return (page - 1) * PerPage }

// NewPager is the position of page in a list of total, with links to the
// pages before and after it.
func NewPager(r *http.Request, page, total int) Pager {
	p := Pager{Page: page, Total: total, Pages: (total + PerPage - 1) / PerPage}
	if p.Pages < 1 {
		p.Pages = 1
	}
	link := func(n int) string {
		q := r.URL.Query()
		q.Del("done")
		q.Set("page", strconv.Itoa(n))
		return (&url.URL{Path: r.URL.Path, RawQuery: q.Encode()}).String()
	}
	if page > 1 {
		p.Prev = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	return p
}
