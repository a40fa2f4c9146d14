package press

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Platform is a social network with the length limit of one post.
type Platform struct {
	Name  string
	Limit int // characters
}

// Platforms are the networks the office may post to.
var Platforms = []Platform{{"x", 280}, {"threads", 500}, {"facebook", 63206}, {"instagram", 2200}, {"weibo", 2000}, {"line", 500}}

// PlatformLimit is the length limit of platform name, or 0 when unknown.
func PlatformLimit(name string) int {
	i := slices.IndexFunc(Platforms, func(p Platform) bool { return p.Name == name })
	if i < 0 {
		return 0
	}
	return Platforms[i].Limit
}

// Account is a social media account the office posts to.
type Account struct {
	ID       int64
	Platform string
	Handle   string
	Active   bool
}

// Limit is the length limit of the account's posts.
func (a Account) Limit() int { return PlatformLimit(a.Platform) }

// Validate checks an account, naming the field of each problem.
func (a Account) Validate() error {
	var f fault.Fields
	if PlatformLimit(a.Platform) == 0 {
		f.Add("platform", "%q is not a platform", a.Platform)
	}
	if a.Handle = strings.TrimSpace(a.Handle); a.Handle == "" || utf8.RuneCountInString(a.Handle) > 100 {
		f.Add("handle", "must be 1–100 characters")
	}
	plaintext.CheckLine(&f, "handle", a.Handle)
	return f.Err()
}

// Post is the record of what was posted on an account for a notice.
// Posting is done by hand: the desk prepares the text within the
// platform's limit and records it once posted.
type Post struct {
	ID        int64
	AccountID int64
	NoticeID  int64
	Text      string
	URL       string // where the post can be seen, when known
	PostedBy  int64
	PostedAt  time.Time
}

// ValidatePost checks a post's text against its account's limit.
func ValidatePost(a Account, p Post) error {
	var f fault.Fields
	if p.NoticeID == 0 {
		f.Add("notice_id", "choose the notice the post is for")
	}
	n := utf8.RuneCountInString(p.Text)
	switch {
	case n == 0:
		f.Add("text", "is required")
	case n > a.Limit():
		f.Add("text", "is %d characters; %s allows %d", n, a.Platform, a.Limit())
	}
	plaintext.Check(&f, "text", p.Text)
	if p.URL != "" && !strings.HasPrefix(p.URL, "https://") {
		f.Add("url", "must start with https://")
	}
	return f.Err()
}

// Prepare cuts text to fit limit characters, ending with an ellipsis and
// the link when one is given, so that a post can be pasted as it is.
func Prepare(text, link string, limit int) string {
	text = strings.TrimSpace(text)
	tail := ""
	if link != "" {
		tail = " " + link
	}
	room := limit - utf8.RuneCountInString(tail)
	if utf8.RuneCountInString(text) <= room {
		return text + tail
	}
	if room <= 1 {
		return string([]rune(text)[:max(limit, 0)])
	}
	r := []rune(text)
	return string(r[:room-1]) + "…" + tail
}
