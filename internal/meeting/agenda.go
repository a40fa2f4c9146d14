package meeting

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Item is one line of an agenda: a message key and its arguments (text
// people read is never stored as a sentence), the desk page it links to,
// and when it is due, if it is.
type Item struct {
	Key  string            `json:"key"` // e.g. "agenda.action_overdue"
	Args map[string]string `json:"args,omitempty"`
	Link string            `json:"link,omitempty"`
	Due  time.Time         `json:"due,omitzero"`
}

// Section is one part of the agenda, from one source.
type Section struct {
	Name  string `json:"name"` // "work", "risks", "actions", "feedback", "drills", "clocks"
	Items []Item `json:"items"`
}

// Agenda is what a meeting goes through: what changed between Since (the
// last meeting) and At (when it was generated).
type Agenda struct {
	Since    time.Time `json:"since"`
	At       time.Time `json:"at"`
	Sections []Section `json:"sections"`
}

// Empty reports whether nothing is on the agenda.
func (a Agenda) Empty() bool {
	for _, s := range a.Sections {
		if len(s.Items) > 0 {
			return false
		}
	}
	return true
}

// AgendaSource is one section of the generated agenda: the work plan's
// items due or overdue, the risks whose rating rose or whose review is
// due, the open actions, the feedback backlog and overdue replies, the
// upcoming drills, the crisis clocks missed. Each area implements its own;
// Items answers what changed between since and now, and what is due soon.
type AgendaSource interface {
	Section() string
	Items(ctx context.Context, since, now time.Time) ([]Item, error)
}

// SectionOrder is the order sections are shown in.
var SectionOrder = []string{"work", "risks", "actions", "feedback", "drills", "clocks"}

// Generate builds the agenda from the sources: each section's items due
// first, then by key; sections in SectionOrder, then any other by name.
// An empty section stays, so the meeting sees that it was looked at.
func Generate(ctx context.Context, sources []AgendaSource, since, now time.Time) (Agenda, error) {
	ag := Agenda{Since: since.UTC(), At: now.UTC(), Sections: []Section{}}
	for _, src := range sources {
		items, err := src.Items(ctx, since, now)
		if err != nil {
			return ag, fmt.Errorf("agenda section %s: %w", src.Section(), err)
		}
		if items == nil {
			items = []Item{}
		}
		slices.SortStableFunc(items, func(a, b Item) int {
			if c := a.Due.Compare(b.Due); c != 0 {
				return c
			}
			return compareStr(a.Key, b.Key)
		})
		ag.Sections = append(ag.Sections, Section{Name: src.Section(), Items: items})
	}
	rank := func(name string) int {
		if i := slices.Index(SectionOrder, name); i >= 0 {
			return i
		}
		return len(SectionOrder)
	}
	slices.SortStableFunc(ag.Sections, func(a, b Section) int {
		if c := rank(a.Name) - rank(b.Name); c != 0 {
			return c
		}
		return compareStr(a.Name, b.Name)
	})
	return ag, nil
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
