package public

import (
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
)

// noticeView is a notice as a page shows it, in one language.
type noticeView struct {
	ID          int64
	Href        string
	CAPHref     string
	Kind        string
	KindLabel   string
	Exercise    bool
	Lang        string // the language of the text shown
	Headline    string
	Body        string
	Instruction string
	Contact     string
	PublishedAt time.Time
	Effective   time.Time
	Expires     time.Time
	Area        string
	Event       string
	Severity    string
	Urgency     string
	Certainty   string
	CrisisID    int64
	Others      []string // the notice's other languages
	Superseded  bool     // a later notice of the list corrects, cancels or clears it
	Converted   string   // says the text was converted from the other Chinese script; empty when written so
}

// isPublic reports whether the public may see n.
func isPublic(n notice.Notice) bool {
	return n.Status == notice.Published && n.Audience == notice.Public && !n.PublishedAt.IsZero()
}

// pickContent returns n's text in lang, else in the default language, else
// English, else the first it has.
func pickContent(n notice.Notice, lang string) notice.Content {
	for _, l := range []string{lang, i18n.Default, i18n.English} {
		if c := n.Content(l); c != nil {
			return *c
		}
	}
	if len(n.Contents) > 0 {
		return n.Contents[0]
	}
	return notice.Content{}
}

func noticeHref(id int64) string { return "/notices/" + strconv.FormatInt(id, 10) }

func crisisHref(id int64) string { return "/crises/" + strconv.FormatInt(id, 10) }

func viewNotice(n notice.Notice, tr i18n.Translator) noticeView {
	c := pickContent(n, tr.Lang())
	v := noticeView{
		ID: n.ID, Href: noticeHref(n.ID), CAPHref: noticeHref(n.ID) + "/cap.xml",
		Kind: string(n.Kind), KindLabel: tr.T("public.kind." + string(n.Kind)), Exercise: n.Exercise,
		Lang: c.Language, Headline: c.Headline, Body: c.Body, Instruction: c.Instruction, Contact: c.Contact,
		PublishedAt: n.PublishedAt, Effective: n.CAP.Effective, Expires: n.CAP.Expires,
		Area: n.CAP.Area.Description, Event: n.CAP.Event, Severity: n.CAP.Severity, Urgency: n.CAP.Urgency,
		Certainty: n.CAP.Certainty, CrisisID: n.CrisisID,
	}
	if c.ConvertedFrom != "" {
		v.Converted = tr.T("converted_from." + c.ConvertedFrom)
	}
	for _, l := range n.Languages() {
		if l != c.Language {
			v.Others = append(v.Others, l)
		}
	}
	return v
}

// viewNotices shows the public notices of a list. A notice followed up by
// another of the list is marked superseded, or left out when current is
// set: lists are newest first, so a follow-up is always listed with the
// notice it follows.
func viewNotices(ns []notice.Notice, tr i18n.Translator, current bool) []noticeView {
	followed := map[int64]bool{}
	for _, n := range ns {
		if isPublic(n) && n.References != 0 {
			followed[n.References] = true
		}
	}
	out := make([]noticeView, 0, len(ns))
	for _, n := range ns {
		if !isPublic(n) || current && followed[n.ID] {
			continue
		}
		v := viewNotice(n, tr)
		v.Superseded = followed[n.ID]
		out = append(out, v)
	}
	return out
}

// crisisView is a crisis as the public sees it.
type crisisView struct {
	ID          int64
	Href        string
	FeedHref    string
	Title       string
	Location    string
	Level       string
	LevelLabel  string
	Colour      string
	Status      string
	StatusLabel string
	Exercise    bool
	DeclaredAt  time.Time
	Notices     []noticeView
}

func viewCrisis(c crisis.Crisis, tr i18n.Translator) crisisView {
	return crisisView{
		ID: c.ID, Href: crisisHref(c.ID), FeedHref: crisisHref(c.ID) + "/feed.atom",
		Title: c.Title, Location: c.Location, Level: c.Level.String(),
		LevelLabel: tr.T("public.level", "Level", c.Level.String()), Colour: c.Level.Colour(),
		Status: string(c.Status), StatusLabel: tr.T("public.status." + string(c.Status)),
		Exercise: c.Exercise, DeclaredAt: c.DeclaredAt,
	}
}

// version is one published notice of a chain on a notice's page.
type version struct {
	noticeView
	Label     string // "Corrected at …"
	Reason    string
	Follows   string // link to the notice it follows
	Changes   []fieldDiff
	Current   bool
	Requested bool
}

// fieldDiff is what changed in one field, as two labelled lines: Before
// with the removed words marked, After with the added ones.
type fieldDiff struct {
	Label         string
	Before, After []diffOp
}

type diffOp struct {
	Ins, Del bool
	Text     string
}

// changes returns the changed fields of d, labelled.
func changes(d notice.ContentDiff, tr i18n.Translator) []fieldDiff {
	var out []fieldDiff
	for _, f := range []struct {
		key string
		ops []notice.DiffOp
	}{{"headline", d.Headline}, {"body", d.Body}, {"instruction", d.Instruction}, {"contact", d.Contact}} {
		changed := false
		var before, after []diffOp
		for _, op := range f.ops {
			changed = changed || op.Kind != notice.Equal
			if op.Kind != notice.Insert {
				before = append(before, diffOp{Del: op.Kind == notice.Delete, Text: op.Text})
			}
			if op.Kind != notice.Delete {
				after = append(after, diffOp{Ins: op.Kind == notice.Insert, Text: op.Text})
			}
		}
		if changed {
			out = append(out, fieldDiff{Label: tr.T("public.field." + f.key), Before: before, After: after})
		}
	}
	return out
}

// history builds the versions of a chain, newest first.
func history(chain []notice.Notice, requested int64, tr i18n.Translator, timeFmt func(time.Time) string) []version {
	byID := make(map[int64]notice.Notice, len(chain))
	for _, n := range chain {
		byID[n.ID] = n
	}
	out := make([]version, 0, len(chain))
	for i := len(chain) - 1; i >= 0; i-- {
		n := chain[i]
		v := version{noticeView: viewNotice(n, tr), Current: i == len(chain)-1, Requested: n.ID == requested}
		at := timeFmt(n.PublishedAt)
		switch {
		case n.References == 0 || i == 0:
			v.Label = tr.T("public.original_at", "Time", at)
		case n.Kind == notice.Correction:
			v.Label = tr.T("public.corrected_at", "Time", at)
		case n.Kind == notice.Cancellation:
			v.Label = tr.T("public.cancelled_at", "Time", at)
		case n.Kind == notice.AllClear:
			v.Label = tr.T("public.all_clear_at", "Time", at)
		default:
			v.Label = tr.T("public.updated_at", "Time", at)
		}
		if n.References != 0 {
			v.Follows = noticeHref(n.References)
		}
		if n.Kind == notice.Correction {
			if n.CorrectionReason != "" {
				v.Reason = tr.T("public.reason." + string(n.CorrectionReason))
			}
			if orig, ok := byID[n.References]; ok {
				diffs := notice.DiffNotices(orig, n)
				for _, d := range diffs {
					if d.Language == v.Lang {
						v.Changes = changes(d, tr)
					}
				}
			}
		}
		out = append(out, v)
	}
	return out
}

// plain joins the non-empty parts of a notice's text, for feeds.
func plain(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, "\n\n")
}

// inScript gives a Chinese reader their script: each notice of ns that
// has no text in lang but has it in the other Chinese script gets that
// text converted (hanzi.Fill), marked as converted. A conversion that
// fails leaves the notice as written, and is logged.
func (s *Site) inScript(ns []notice.Notice, lang string) []notice.Notice {
	if s.chinese == nil || (lang != i18n.SimplifiedChinese && lang != i18n.TraditionalChinese) {
		return ns
	}
	out := make([]notice.Notice, len(ns))
	for i, n := range ns {
		filled, _, err := s.chinese.Fill(n, lang)
		if err != nil {
			s.log.Warn("public: convert a notice for its reader's script", "notice", n.ID, "lang", lang, "err", err)
		}
		out[i] = filled
	}
	return out
}
