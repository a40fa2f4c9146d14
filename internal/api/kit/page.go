package kit

import (
	"fmt"
	"net/url"
	"strconv"
)

// Page is the window of a list request: embedded in the input of every
// list operation as its offset and limit query parameters.
type Page struct {
	Offset int `query:"offset" minimum:"0" default:"0" doc:"How many items to skip"`
	Limit  int `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"How many items to return"`
}

// List is one page of a list and where it sits in the whole.
type List[T any] struct {
	Items  []T `json:"items" nullable:"false"`
	Total  int `json:"total" doc:"How many items match, across all pages"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// ListOutput is a list response, with an RFC 8288 link to the next page
// when there is one.
type ListOutput[T any] struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page (rel=\"next\"), when there is one"`
	Body List[T]
}

// NewList maps a page of domain values to their JSON form. path is the
// operation's path and filters its non-paging query, repeated in the link.
func NewList[D, T any](path string, filters url.Values, p Page, items []D, total int, conv func(D) T) *ListOutput[T] {
	out := &ListOutput[T]{Body: List[T]{Items: make([]T, 0, len(items)), Total: total, Offset: p.Offset, Limit: p.Limit}}
	for _, it := range items {
		out.Body.Items = append(out.Body.Items, conv(it))
	}
	if p.Offset+p.Limit < total {
		q := url.Values{}
		for k, vs := range filters {
			for _, v := range vs {
				if v != "" {
					q.Add(k, v)
				}
			}
		}
		q.Set("offset", strconv.Itoa(p.Offset+p.Limit))
		q.Set("limit", strconv.Itoa(p.Limit))
		out.Link = NextLink(path, q)
	}
	return out
}

// NextLink is the RFC 8288 link to the next page: path under Prefix with
// query q.
func NextLink(path string, q url.Values) string {
	return fmt.Sprintf(`<%s%s?%s>; rel="next"`, Prefix, path, q.Encode())
}

// Window returns the page's part of a list the service returned whole.
func Window[T any](items []T, p Page) []T {
	lo := min(p.Offset, len(items))
	hi := min(lo+p.Limit, len(items))
	return items[lo:hi]
}

// Convert maps a slice, never returning nil, so that lists encode as [].
func Convert[D, T any](items []D, conv func(D) T) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		out = append(out, conv(it))
	}
	return out
}

// OrEmpty returns s, or an empty slice for nil, so that it encodes as [].
func OrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
