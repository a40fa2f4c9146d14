// Package team holds the crisis communication team as people: staff with
// an account and outside members without one (an outside expert may be
// linked rather than typed again), their contact details, languages,
// skills and team roles; the deputies of each role; the duty rota with
// its shifts and recorded swaps; recruitment (openings, candidates,
// interviews, the decision); and training (courses, sessions, attendance,
// certificates with an expiry, the shared library of materials). It is
// plain Go: the store keeps it and the surfaces show it.
package team

import (
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/subscriber"
)

// Kind says whether a member has an account.
type Kind string

// The kinds of member.
const (
	Staff   Kind = "staff"   // has a user account (UserID)
	Outside Kind = "outside" // no account: an outside member or expert
)

// Member is one person on the team. A deleted member keeps their id and
// their shifts, attendance and certificates, with every personal field
// blanked (Anonymised).
type Member struct {
	ID           int64
	Kind         Kind
	UserID       int64 // staff: the account
	ExpertID     int64 // outside: the outside expert this member is, if linked
	Name         string
	Organisation string
	Email        string
	Phone        string // E.164
	Languages    []string
	Skills       []string
	Roles        []string // team role keys
	Active       bool
	Anonymised   bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// HasRole reports whether the member holds the team role key.
func (m Member) HasRole(key string) bool { return slices.Contains(m.Roles, key) }

// Input is what staff write to add or change a member.
type Input struct {
	Kind         Kind
	UserID       int64
	ExpertID     int64
	Name         string
	Organisation string
	Email        string
	Phone        string
	Languages    []string
	Skills       []string
	Roles        []string
	Active       bool
	Version      int64 // for changes: must match the stored version
}

// Limits on what a member holds.
const (
	MaxText = 200
	MaxRows = 50
)

func line(s string) string { return strings.TrimSpace(plaintext.Normalize(s)) }

func lines(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = line(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Normalize trims the fields, writes the phone in E.164 form when it can
// be read and drops blank and repeated rows.
func (in *Input) Normalize() {
	in.Name, in.Organisation = line(in.Name), line(in.Organisation)
	in.Email, in.Phone = strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone)
	if in.Phone != "" {
		if p, err := subscriber.NormalizePhone(in.Phone); err == nil {
			in.Phone = p
		}
	}
	langs := []string{}
	for _, l := range in.Languages {
		l = strings.TrimSpace(l)
		if c, ok := i18n.Canonical(l); ok {
			l = c
		}
		if l != "" && !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	in.Languages = langs
	in.Skills, in.Roles = lines(in.Skills), lines(in.Roles)
	if in.Kind == "" {
		in.Kind = Outside
		if in.UserID != 0 {
			in.Kind = Staff
		}
	}
}

// ValidEmail reports whether s is one plain e-mail address.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " <>\r\n,;") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// Validate checks the input on its own, naming the field of each
// problem; the store checks that the account, the expert and the roles
// exist.
func (in Input) Validate() error {
	var f fault.Fields
	switch in.Kind {
	case Staff:
		if in.UserID <= 0 {
			f.Add("user_id", "choose the member's account")
		}
	case Outside:
		if in.UserID != 0 {
			f.Add("user_id", "an outside member has no account")
		}
	default:
		f.Add("kind", "choose staff or outside")
	}
	if n := utf8.RuneCountInString(in.Name); (n == 0 && in.Kind == Outside && in.ExpertID == 0) || n > MaxText {
		f.Add("name", "must be 1–%d characters", MaxText)
	}
	if utf8.RuneCountInString(in.Organisation) > MaxText {
		f.Add("organisation", "at most %d characters", MaxText)
	}
	plaintext.CheckLine(&f, "name", in.Name)
	plaintext.CheckLine(&f, "organisation", in.Organisation)
	if in.Email != "" && !ValidEmail(in.Email) {
		f.Add("email", "is not an e-mail address")
	}
	if in.Phone != "" {
		if _, err := subscriber.NormalizePhone(in.Phone); err != nil {
			f.Add("phone", "is not a phone number in E.164 form, e.g. +85291234567")
		}
	}
	if in.Kind == Outside && in.ExpertID == 0 && in.Email == "" && in.Phone == "" {
		f.Add("email", "give an e-mail address or a phone number")
	}
	for _, l := range in.Languages {
		if !i18n.Supported(l) && !validLangTag(l) {
			f.Add("languages", "%q is not a language code", l)
			break
		}
	}
	for _, s := range in.Skills {
		if utf8.RuneCountInString(s) > MaxText {
			f.Add("skills", "each skill at most %d characters", MaxText)
			break
		}
		plaintext.CheckLine(&f, "skills", s)
	}
	if len(in.Skills) > MaxRows || len(in.Languages) > MaxRows || len(in.Roles) > MaxRows {
		f.Add("skills", "at most %d rows", MaxRows)
	}
	return f.Err()
}

// validLangTag accepts a short language tag such as "yue", "fr" or
// "pt-BR": team members speak languages the UI does not.
func validLangTag(s string) bool {
	if len(s) < 2 || len(s) > 12 {
		return false
	}
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' && i > 0) {
			return false
		}
	}
	return true
}

// Redacted is m with its contact details blanked, for the audit trail
// and logs: outside people's personal data stays out of them.
func (m Member) Redacted() Member {
	if m.Email != "" {
		m.Email = "[redacted]"
	}
	if m.Phone != "" {
		m.Phone = "[redacted]"
	}
	return m
}

// Anonymise returns m as a deleted member is kept: the name replaced by
// its number, every personal field blanked, inactive.
func Anonymise(m Member) Member {
	m.Name, m.Organisation, m.Email, m.Phone = "", "", "", ""
	m.Languages, m.Skills, m.Roles = []string{}, []string{}, []string{}
	m.UserID, m.ExpertID, m.Active, m.Anonymised = 0, 0, false, true
	return m
}
