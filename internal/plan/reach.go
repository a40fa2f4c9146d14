package plan

import "strings"

// noticeReach is what a published notice of each audience reaches: the
// channels it goes out on. A public notice is on the public site ("web")
// and sent by e-mail, SMS and webhook; a media notice goes to the
// registered media endpoints; an internal notice reaches staff in the app
// and by e-mail.
var noticeReach = map[string][]string{
	"public":   {"web", "email", "sms", "webhook"},
	"media":    {"webhook"},
	"internal": {"app", "email"},
}

// expertReach is what an internal notice addressed to the outside experts
// reaches them on.
var expertReach = []string{"email", "sms"}

// channelAliases maps the ways a plan may spell a channel to one name.
var channelAliases = map[string]string{
	"website": "web", "site": "web", "e-mail": "email", "mail": "email",
	"in-app": "app", "webhooks": "webhook", "text": "sms",
}

// MetByNotice reports whether a notice published to audience ("public",
// "media" or "internal"; an internal one addressed to roles and/or
// departments and/or the outside experts) keeps this row of the
// communication matrix: it must reach the row's audience, on every one of
// the row's channels. The crisis team is reached by an internal notice to
// roles, the departments by one to departments, the outside experts by one
// addressed to them, which they receive by e-mail and SMS. A row whose
// channels lie outside notices (a phone call, a meeting) is met by hand.
func (r CommRow) MetByNotice(audience string, roles, departments, experts bool) bool {
	reach := noticeReach[audience]
	switch r.Audience {
	case "public", "media":
		if audience != r.Audience {
			return false
		}
	case "team":
		if audience != "internal" || !roles {
			return false
		}
	case "departments":
		if audience != "internal" || !departments {
			return false
		}
	case "experts":
		if audience != "internal" || !experts {
			return false
		}
		reach = expertReach
	default:
		return false
	}
	for _, ch := range r.Channels {
		ch = strings.ToLower(strings.TrimSpace(ch))
		if a, ok := channelAliases[ch]; ok {
			ch = a
		}
		found := false
		for _, c := range reach {
			found = found || c == ch
		}
		if !found {
			return false
		}
	}
	return true
}
