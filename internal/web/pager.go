package web

import (
	"net/http"
	"net/url"
	"strconv"
)

// perPage is the length of every paginated list.
const perPage = 25

// pager is the position in a paginated list, with links that keep the
// list's other query parameters.
type pager struct {
	Page, Pages, Total int
	Prev, Next         string // "" at either end
}

// pageParam reads ?page=, counting from 1.
func pageParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

func offset(page int) int { return (page - 1) * perPage }

func newPager(r *http.Request, page, total int) pager {
	p := pager{Page: page, Total: total, Pages: (total + perPage - 1) / perPage}
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
