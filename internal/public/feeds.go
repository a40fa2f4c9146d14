package public

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"crisisdesk/internal/feed/atom"
	"crisisdesk/internal/feed/cap"
	"crisisdesk/internal/feed/capnotice"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/plaintext"
)

// tagDay is the date in every tag: URI the site mints. It is part of each
// id and must never change, so it is fixed, not taken from the clock.
var tagDay = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	atomType = "application/atom+xml; charset=utf-8"
	capType  = "application/cap+xml; charset=utf-8"
	jsonType = "application/json; charset=utf-8"
)

// feedLimit is how many notices an Atom feed carries.
const feedLimit = 50

// feed is the Atom feed of all public notices but the exercises'.
func (s *Site) feed(r *http.Request, lang string) (rendered, error) {
	tr := s.catalog.For(lang)
	ns, _, err := s.notices.List(r.Context(), listFilter(false, feedLimit))
	if err != nil {
		return rendered{}, err
	}
	return s.atomFeed(r.Context(), lang, "feed", tr.T("public.feed_title"), "/feed.atom", "/", ns)
}

// exerciseFeed is the Atom feed of the exercises' public notices, each
// marked as an exercise.
func (s *Site) exerciseFeed(r *http.Request, lang string) (rendered, error) {
	tr := s.catalog.For(lang)
	ns, _, err := s.notices.List(r.Context(), listFilter(true, feedLimit))
	if err != nil {
		return rendered{}, err
	}
	return s.atomFeed(r.Context(), lang, "exercises", "["+ExerciseMark+"] "+tr.T("public.exercises"), exercisesPath+"/feed.atom", exercisesPath, ns)
}

// crisisFeed is the Atom feed of one crisis's public notices.
func (s *Site) crisisFeed(r *http.Request, lang string) (rendered, error) {
	tr := s.catalog.For(lang)
	id, err := pathID(r)
	if err != nil {
		return rendered{}, err
	}
	c, err := s.publicCrisis(r, id)
	if err != nil {
		return rendered{}, err
	}
	ns, _, err := s.notices.List(r.Context(), publicFilter(id, feedLimit))
	if err != nil {
		return rendered{}, err
	}
	title := tr.T("public.crisis_feed_title", "Title", c.Title)
	if c.Exercise {
		title = "[" + ExerciseMark + "] " + title
	}
	return s.atomFeed(r.Context(), lang, "crisis/"+strconv.FormatInt(id, 10), title, crisisHref(id)+"/feed.atom", crisisHref(id), ns)
}

func (s *Site) atomFeed(ctx context.Context, lang, key, title, self, alt string, ns []notice.Notice) (rendered, error) {
	tr := s.catalog.For(lang)
	ns = s.inScript(ns, lang)
	f := atom.Feed{
		ID: atom.TagURI(s.host, tagDay, key), Title: title, Updated: tagDay,
		Links:     []atom.Link{{Href: s.abs(self), Rel: atom.RelSelf, Type: "application/atom+xml"}, {Href: s.abs(alt), Type: "text/html"}},
		Author:    atom.Person{Name: s.speaker(ctx, tr), URI: s.abs("/")},
		Generator: "crisisdesk", Lang: lang,
	}
	for _, n := range ns {
		if !isPublic(n) {
			continue
		}
		if n.PublishedAt.After(f.Updated) {
			f.Updated = n.PublishedAt
		}
		f.Entries = append(f.Entries, s.atomEntry(n, tr, false))
	}
	return s.marshalAtom(f)
}

// atomEntry is a notice as an Atom entry, in the reader's language where
// the notice has it. Drills carry the exercise mark in title and summary.
func (s *Site) atomEntry(n notice.Notice, tr i18n.Translator, capOnly bool) atom.Entry {
	c := pickContent(n, tr.Lang())
	// Validation keeps characters that cannot be published out of notices;
	// a notice stored before that rule still makes a readable entry.
	c.Headline, c.Body = plaintext.Clean(c.Headline), plaintext.Clean(c.Body)
	c.Instruction, c.Contact = plaintext.Clean(c.Instruction), plaintext.Clean(c.Contact)
	title := c.Headline
	if n.Kind != notice.Alert {
		title = tr.T("feed.entry_title", "Kind", tr.T("public.kind."+string(n.Kind)), "Headline", title)
	}
	summary := plain(c.Body, c.Instruction, c.Contact)
	if c.ConvertedFrom != "" {
		summary = plain(summary, tr.T("converted_from."+c.ConvertedFrom))
	}
	if n.Exercise {
		title = "[" + ExerciseMark + "] " + title
		summary = plain(ExerciseMark+" — "+tr.T("public.exercise_note"), summary)
	}
	e := atom.Entry{
		ID: atom.TagURI(s.host, tagDay, "notice/"+strconv.FormatInt(n.ID, 10)), Title: title,
		Updated: n.PublishedAt, Published: n.PublishedAt, Summary: summary, Lang: c.Language,
		Categories: []atom.Category{{Term: string(n.Kind), Label: tr.T("public.kind." + string(n.Kind))}},
	}
	capLink := atom.CAPLink(s.abs(noticeHref(n.ID) + "/cap.xml"))
	htmlLink := atom.Link{Href: s.abs(noticeHref(n.ID)), Type: "text/html", HrefLang: c.Language}
	if capOnly {
		htmlLink.Rel = atom.RelRelated
		e.Links = []atom.Link{capLink, htmlLink}
	} else {
		capLink.Rel = atom.RelRelated
		e.Links = []atom.Link{htmlLink, capLink}
	}
	if n.Exercise {
		e.Categories = append(e.Categories, atom.Category{Term: "exercise", Label: ExerciseMark})
	}
	return e
}

func (s *Site) marshalAtom(f atom.Feed) (rendered, error) {
	b, err := atom.Marshal(f)
	if err != nil {
		return rendered{}, err
	}
	return rendered{body: b, ctype: atomType, lang: f.Lang}, nil
}

// capIndex is the Atom index of current CAP alerts that aggregators poll:
// published public notices not yet expired and not superseded by a later
// correction, cancellation or all-clear. It expires with the first of
// them to expire.
func (s *Site) capIndex(r *http.Request, _ string) (rendered, error) {
	tr := s.catalog.For(i18n.English)
	ns, _, err := s.notices.List(r.Context(), listFilter(false, maxList))
	if err != nil {
		return rendered{}, err
	}
	now := s.clock.Now()
	superseded := map[int64]bool{}
	for _, n := range ns {
		if isPublic(n) && n.References != 0 {
			superseded[n.References] = true
		}
	}
	f := atom.Feed{
		ID: atom.TagURI(s.host, tagDay, "cap"), Title: tr.T("public.cap_feed_title"), Updated: tagDay,
		Links:     []atom.Link{{Href: s.abs("/cap.atom"), Rel: atom.RelSelf, Type: "application/atom+xml"}, {Href: s.abs("/"), Type: "text/html"}},
		Author:    atom.Person{Name: s.speaker(r.Context(), tr), URI: s.abs("/")},
		Generator: "crisisdesk",
	}
	var until time.Time
	for _, n := range ns {
		if !isPublic(n) || superseded[n.ID] {
			continue
		}
		if exp := n.CAP.Expires; !exp.IsZero() {
			if !exp.After(now) {
				continue
			}
			if until.IsZero() || exp.Before(until) {
				until = exp
			}
		}
		if n.PublishedAt.After(f.Updated) {
			f.Updated = n.PublishedAt
		}
		f.Entries = append(f.Entries, s.atomEntry(n, tr, true))
	}
	out, err := s.marshalAtom(f)
	out.until = until
	return out, err
}

// capDocument is one notice as CAP 1.2: one <info> per language, status
// Exercise for drills, Update or Cancel with <references> for follow-ups.
func (s *Site) capDocument(r *http.Request, _ string) (rendered, error) {
	id, err := pathID(r)
	if err != nil {
		return rendered{}, err
	}
	n, err := s.publicNotice(r, id)
	if err != nil {
		return rendered{}, err
	}
	// Both Chinese scripts, each reader's own: the one a notice lacks is
	// converted from the other.
	n = s.inScript(s.inScript([]notice.Notice{n}, i18n.SimplifiedChinese), i18n.TraditionalChinese)[0]
	a, err := capnotice.ToCAP(n, s.host, s.host, func(id int64) (notice.Notice, error) {
		return s.notices.Get(r.Context(), id)
	})
	if err != nil {
		return rendered{}, err
	}
	if p, err := s.office.Profile(r.Context()); err == nil {
		for i := range a.Info {
			a.Info[i].SenderName = senderName(p, a.Info[i].Language)
		}
	}
	b, err := cap.Marshal(a)
	if err != nil {
		return rendered{}, err
	}
	return rendered{body: b, ctype: capType}, nil
}

// jsonNotice is a public notice in the JSON list.
type jsonNotice struct {
	ID               int64                     `json:"id"`
	CrisisID         int64                     `json:"crisis_id,omitempty"`
	Kind             notice.Kind               `json:"kind"`
	Exercise         bool                      `json:"exercise"`
	PublishedAt      time.Time                 `json:"published_at"`
	References       int64                     `json:"references,omitempty"`
	CorrectionReason notice.Reason             `json:"correction_reason,omitempty"`
	Languages        []string                  `json:"languages"`
	Content          map[string]notice.Content `json:"content"`
	CAP              jsonCAP                   `json:"cap"`
	URL              string                    `json:"url"`
	CAPURL           string                    `json:"cap_url"`
}

type jsonCAP struct {
	Event     string      `json:"event"`
	Category  string      `json:"category"`
	Urgency   string      `json:"urgency"`
	Severity  string      `json:"severity"`
	Certainty string      `json:"certainty"`
	Effective *time.Time  `json:"effective,omitempty"`
	Expires   *time.Time  `json:"expires,omitempty"`
	Area      notice.Area `json:"area"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// jsonList is GET /api/v1/public/notices: the latest public notices with
// every language. encoding/json escapes <, > and &, so markup stays inert
// even if a client pastes it into a page.
func (s *Site) jsonList(r *http.Request, _ string) (rendered, error) {
	ns, total, err := s.notices.List(r.Context(), listFilter(false, maxList))
	if err != nil {
		return rendered{}, err
	}
	out := struct {
		Items []jsonNotice `json:"items"`
		Total int          `json:"total"`
	}{Items: []jsonNotice{}, Total: total}
	for _, n := range ns {
		if !isPublic(n) {
			continue
		}
		j := jsonNotice{ID: n.ID, CrisisID: n.CrisisID, Kind: n.Kind, Exercise: n.Exercise, PublishedAt: n.PublishedAt.UTC(),
			References: n.References, CorrectionReason: n.CorrectionReason, Languages: n.Languages(),
			Content: make(map[string]notice.Content, len(n.Contents)),
			CAP: jsonCAP{Event: n.CAP.Event, Category: n.CAP.Category, Urgency: n.CAP.Urgency, Severity: n.CAP.Severity,
				Certainty: n.CAP.Certainty, Effective: timePtr(n.CAP.Effective), Expires: timePtr(n.CAP.Expires), Area: n.CAP.Area},
			URL: s.abs(noticeHref(n.ID)), CAPURL: s.abs(noticeHref(n.ID) + "/cap.xml")}
		for _, c := range n.Contents {
			j.Content[c.Language] = c
		}
		out.Items = append(out.Items, j)
	}
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(out); err != nil {
		return rendered{}, err
	}
	return rendered{body: b.Bytes(), ctype: jsonType}, nil
}
