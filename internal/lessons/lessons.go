// Package lessons is the lessons library, the plan's reusable mechanism:
// closed crises, their post-crisis reviews, drill reports and published
// public notices kept as documents and searched in full text in any of
// the office's three languages (Chinese has no spaces: the stores index
// trigrams, so any run of characters is found).
package lessons

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"crisisdesk/internal/fault"
)

// Kind is what a document was copied from.
type Kind string

// The kinds of documents.
const (
	Crisis        Kind = "crisis"        // a closed crisis: title, summary, closing note
	Review        Kind = "review"        // its post-crisis review: lessons and actions
	Drill         Kind = "drill"         // a drill's after-action report
	Notice        Kind = "notice"        // a published public notice, every language
	Clarification Kind = "clarification" // a rumour's clarification (pluggable, once rumours exist)
)

// Kinds lists them in the order the library shows them.
var Kinds = []Kind{Review, Drill, Crisis, Notice, Clarification}

// Doc is one searchable document.
type Doc struct {
	ID       int64
	Kind     Kind
	RefID    int64 // the crisis, drill or notice it was copied from
	CrisisID int64
	TypeID   int64
	Exercise bool
	Title    string
	Body     string
	At       time.Time
}

// Hit is a document found, with the words around the first match.
type Hit struct {
	Doc     Doc
	Snippet string
}

// Query is a search: every term must appear (in any case).
type Query struct {
	Text   string
	TypeID int64 // 0: every type
	Kind   Kind  // "": every kind
	Limit  int
}

// Terms splits a query into its terms: runs of text between spaces, with
// the wildcard characters of LIKE taken out. Refuses an empty query or
// one of more than 8 terms.
func Terms(q string) ([]string, error) {
	var out []string
	for _, f := range strings.Fields(q) {
		f = strings.Map(func(r rune) rune {
			if r == '%' || r == '_' || r == '\\' || unicode.IsControl(r) {
				return -1
			}
			return r
		}, f)
		if f != "" && !slices.Contains(out, f) {
			if utf8.RuneCountInString(f) > 100 {
				return nil, fault.Field("q", "a search term is at most 100 characters")
			}
			out = append(out, f)
		}
	}
	switch {
	case len(out) == 0:
		return nil, fault.Field("q", "write what to look for")
	case len(out) > 8:
		return nil, fault.Field("q", "at most 8 terms")
	}
	return out, nil
}

// SnippetOf is up to width characters of body around the first term found.
func SnippetOf(body string, terms []string, width int) string {
	rs := []rune(body)
	lower := []rune(strings.ToLower(body))
	at := -1
	for _, t := range terms {
		if i := runeIndex(lower, []rune(strings.ToLower(t))); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if len(lower) != len(rs) || at < 0 {
		at = 0
	}
	start := max(0, at-width/3)
	end := min(len(rs), start+width)
	s := strings.TrimSpace(string(rs[start:end]))
	if start > 0 {
		s = "…" + s
	}
	if end < len(rs) {
		s += "…"
	}
	return s
}

func runeIndex(s, sub []rune) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// Service is the library. Search errors: invalid (field q) for an empty
// or too long query.
type Service interface {
	// Search finds the documents holding every term, newest first.
	Search(ctx context.Context, q Query) ([]Hit, error)
	// ForType lists the most relevant past lessons for a crisis type:
	// its reviews and drill reports, newest first.
	ForType(ctx context.Context, typeID int64, limit int) ([]Hit, error)
	// Sync copies into the library what changed since the last sync.
	Sync(ctx context.Context) (int, error)
}

// FreshenWait bounds how long a search waits to bring the library up to
// date first.
const FreshenWait = 300 * time.Millisecond

// Freshen brings the library up to date before a search when the writer
// is free within FreshenWait. When the writer is busy (a long write, a
// backup), the search reads the library as it stands instead of waiting:
// reads never wait on the writer. The error says why it is stale, for
// the log.
func Freshen(ctx context.Context, s Service) error {
	ctx, cancel := context.WithTimeout(ctx, FreshenWait)
	defer cancel()
	_, err := s.Sync(ctx)
	return err
}
