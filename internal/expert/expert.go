// Package expert holds the office's outside experts: contacts outside the
// staff (a meteorologist, a structural engineer, a toxicologist) who are
// told of a crisis by e-mail and/or SMS when an internal notice is
// addressed to them.
package expert

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/subscriber"
)

// Expert is one outside expert.
type Expert struct {
	ID           int64
	Name         string
	Organisation string
	Field        string   // field of expertise
	Email        string   // optional; one of Email and Phone is required
	Phone        string   // optional, E.164
	Languages    []string // the languages they read, preferred first
	Active       bool     // only active experts are sent notices
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// Language is the language notices are sent to the expert in: the first
// of their languages.
func (e Expert) Language() string {
	if len(e.Languages) == 0 {
		return i18n.TraditionalChinese
	}
	return e.Languages[0]
}

// Input is what staff write to add or change an expert.
type Input struct {
	Name         string
	Organisation string
	Field        string
	Email        string
	Phone        string
	Languages    []string
	Active       bool
	Version      int64 // for updates: must match the stored version
}

// Normalize trims the fields, writes the phone number in E.164 form when
// it can be read, and drops repeated languages.
func (in *Input) Normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Organisation = strings.TrimSpace(in.Organisation)
	in.Field = strings.TrimSpace(in.Field)
	in.Email = strings.TrimSpace(in.Email)
	in.Phone = strings.TrimSpace(in.Phone)
	if in.Phone != "" {
		if p, err := subscriber.NormalizePhone(in.Phone); err == nil {
			in.Phone = p
		}
	}
	var langs []string
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
}

// Validate checks the input, naming the field of each problem.
func (in Input) Validate() error {
	var f fault.Fields
	for _, t := range []struct{ field, value string }{{"name", in.Name}, {"organisation", in.Organisation}, {"field", in.Field}} {
		if t.field == "name" && t.value == "" || utf8.RuneCountInString(t.value) > 200 {
			f.Add(t.field, "must be 1–200 characters")
		}
		plaintext.CheckLine(&f, t.field, t.value)
	}
	if in.Email == "" && in.Phone == "" {
		f.Add("email", "give an e-mail address or a phone number")
	}
	if in.Email != "" && (!strings.Contains(in.Email, "@") || strings.ContainsAny(in.Email, " <>\r\n") || len(in.Email) > 254) {
		f.Add("email", "is not an e-mail address")
	}
	if in.Phone != "" {
		if _, err := subscriber.NormalizePhone(in.Phone); err != nil {
			f.Add("phone", "is not a phone number in E.164 form, e.g. +85291234567")
		}
	}
	if len(in.Languages) == 0 {
		f.Add("languages", "choose at least one language")
	}
	for _, l := range in.Languages {
		if !i18n.Supported(l) {
			f.Add("languages", "%q is not one of the office's languages", l)
			break
		}
	}
	return f.Err()
}

// Service stores the outside experts.
type Service interface {
	Create(ctx context.Context, actor authz.Actor, in Input) (Expert, error)
	Update(ctx context.Context, actor authz.Actor, id int64, in Input) (Expert, error)
	Delete(ctx context.Context, actor authz.Actor, id int64) error
	Get(ctx context.Context, id int64) (Expert, error)
	List(ctx context.Context, offset, limit int) (experts []Expert, total int, err error)
}
