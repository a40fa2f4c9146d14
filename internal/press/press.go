// Package press is the media desk: the directory of journalists and their
// outlets, the inquiry log (who asked what, by which channel, who owns the
// reply and by when), and the social media accounts the office posts to
// with a record of what was posted for each notice. It is plain Go: the
// store keeps it and the surfaces show it. (Package medium, a different
// thing, names the delivery channels.)
package press

import (
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/subscriber"
)

// Channels a journalist can be reached by, and an inquiry can come in by.
const (
	ChannelEmail    = "email"
	ChannelPhone    = "phone"
	ChannelSMS      = "sms"
	ChannelSocial   = "social"
	ChannelInPerson = "in_person"
)

// ContactChannels are the channels a journalist may be reached by.
var ContactChannels = []string{ChannelEmail, ChannelPhone, ChannelSMS}

// InquiryChannels are the channels an inquiry may come in by.
var InquiryChannels = []string{ChannelPhone, ChannelEmail, ChannelSMS, ChannelSocial, ChannelInPerson}

// Beats are the subjects a journalist covers, as the forms offer them.
var Beats = []string{"general", "weather", "health", "transport", "politics", "business", "community"}

// Journalist is one person in the media directory.
type Journalist struct {
	ID       int64
	Name     string
	Outlet   string // the newspaper, station or site
	Language string // the language they write in: zh-Hant, zh-Hans or en
	Beat     string
	Email    string
	Phone    string   // E.164
	Channels []string // the channels they agreed to be reached by
	// Consent is the journalist's agreement to be contacted; a press
	// release goes only to journalists who gave it.
	Consent bool
	Active  bool
	Version int64
}

// Reachable reports whether a press release may be e-mailed to j.
func (j Journalist) Reachable() bool {
	return j.Active && j.Consent && j.Email != "" && slices.Contains(j.Channels, ChannelEmail)
}

// Normalize trims the journalist's fields and writes the phone number in
// E.164 form when it can be read.
func (j *Journalist) Normalize() {
	j.Name, j.Outlet, j.Beat = strings.TrimSpace(j.Name), strings.TrimSpace(j.Outlet), strings.TrimSpace(j.Beat)
	j.Email, j.Phone = strings.TrimSpace(j.Email), strings.TrimSpace(j.Phone)
	if c, ok := i18n.Canonical(strings.TrimSpace(j.Language)); ok {
		j.Language = c
	}
	if j.Phone != "" {
		if p, err := subscriber.NormalizePhone(j.Phone); err == nil {
			j.Phone = p
		}
	}
	var chs []string
	for _, c := range j.Channels {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(chs, c) {
			chs = append(chs, c)
		}
	}
	j.Channels = chs
}

// Validate checks a journalist, naming the field of each problem.
func (j Journalist) Validate() error {
	var f fault.Fields
	if j.Name == "" || utf8.RuneCountInString(j.Name) > 200 {
		f.Add("name", "must be 1–200 characters")
	}
	plaintext.CheckLine(&f, "name", j.Name)
	if j.Outlet == "" || utf8.RuneCountInString(j.Outlet) > 200 {
		f.Add("outlet", "must be 1–200 characters")
	}
	plaintext.CheckLine(&f, "outlet", j.Outlet)
	if !i18n.Supported(j.Language) {
		f.Add("language", "%q is not one of the office's languages", j.Language)
	}
	if j.Beat != "" && !slices.Contains(Beats, j.Beat) {
		f.Add("beat", "%q is not a beat: %s", j.Beat, strings.Join(Beats, ", "))
	}
	if j.Email == "" && j.Phone == "" {
		f.Add("email", "give an e-mail address or a phone number")
	}
	if j.Email != "" && !ValidEmail(j.Email) {
		f.Add("email", "is not an e-mail address")
	}
	if j.Phone != "" {
		if _, err := subscriber.NormalizePhone(j.Phone); err != nil {
			f.Add("phone", "is not a phone number in E.164 form, e.g. +85291234567")
		}
	}
	for _, c := range j.Channels {
		if !slices.Contains(ContactChannels, c) {
			f.Add("channels", "%q is not a channel: %s", c, strings.Join(ContactChannels, ", "))
			break
		}
	}
	if slices.Contains(j.Channels, ChannelEmail) && j.Email == "" {
		f.Add("channels", "e-mail is chosen but there is no e-mail address")
	}
	if slices.ContainsFunc(j.Channels, func(c string) bool { return c == ChannelPhone || c == ChannelSMS }) && j.Phone == "" {
		f.Add("channels", "phone or SMS is chosen but there is no phone number")
	}
	return f.Err()
}

// ValidEmail reports whether s is a bare e-mail address with a dotted
// domain.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || len(s) > 254 {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
