package public

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/office"
)

// logoPath is where the office's logo is served; pages add ?v=VERSION so
// that a new logo is a new URL.
const logoPath = "/office/logo"

// orgView is who speaks, as the layout shows it.
type orgView struct {
	Name    string // the institution's name in the page's language
	Contact string
	URL     string // the office's own public web site
	Logo    string // the logo's URL; empty when there is none
}

// org returns the office as a page in lang shows it, with the profile.
func (s *Site) org(ctx context.Context, tr i18n.Translator) (orgView, office.Profile, error) {
	p, err := s.office.Profile(ctx)
	if err != nil {
		return orgView{}, p, err
	}
	v := orgView{Name: p.NameIn(tr.Lang(), tr.T("public.site")), Contact: p.Contact.For(tr.Lang()), URL: p.PublicURL}
	if len(p.Logo) > 0 {
		v.Logo = logoPath + "?v=" + strconv.FormatInt(p.Version, 10)
	}
	return v, p, nil
}

// logo serves the office's logo; without one it is not found.
func (s *Site) logo(r *http.Request, _ string) (rendered, error) {
	p, err := s.office.Profile(r.Context())
	if err != nil {
		return rendered{}, err
	}
	if len(p.Logo) == 0 {
		return rendered{}, fault.New(fault.NotFound, "the office has no logo")
	}
	return rendered{body: p.Logo, ctype: p.LogoType}, nil
}

// levelGuide is one row of the legend of levels.
type levelGuide struct {
	Level   string // I … IV
	Label   string
	Colour  string
	Meaning string
	Action  string
}

// legend explains levels I–IV in lang: the office's text where it wrote
// one, else the catalogue's.
func legend(p office.Profile, tr i18n.Translator) []levelGuide {
	out := make([]levelGuide, 0, 4)
	for i, l := range []catalog.Level{catalog.LevelI, catalog.LevelII, catalog.LevelIII, catalog.LevelIV} {
		g := p.Legend[i]
		meaning, action := g.Meaning.For(tr.Lang()), g.Action.For(tr.Lang())
		if meaning == "" {
			meaning = tr.T("public.legend." + l.String() + ".meaning")
		}
		if action == "" {
			action = tr.T("public.legend." + l.String() + ".action")
		}
		out = append(out, levelGuide{Level: l.String(), Label: tr.T("public.level", "Level", l.String()),
			Colour: l.Colour(), Meaning: meaning, Action: action})
	}
	return out
}

// activeWarning reports whether v still warns the public at now: the
// current word of its chain, not a cancellation or all-clear, and not
// expired.
func activeWarning(v noticeView, now time.Time) bool {
	if v.Superseded || v.Kind == string(notice.Cancellation) || v.Kind == string(notice.AllClear) {
		return false
	}
	return v.Expires.IsZero() || v.Expires.After(now)
}

// speaker is the institution's name in tr's language, for feeds.
func (s *Site) speaker(ctx context.Context, tr i18n.Translator) string {
	o, _, err := s.org(ctx, tr)
	if err != nil {
		return tr.T("public.site")
	}
	return o.Name
}

// senderName is the institution's name in a CAP <info>'s own language,
// else empty (CAP's senderName is optional; a name in another language
// would contradict the <info>'s language).
func senderName(p office.Profile, lang string) string {
	switch lang {
	case "zh-Hant", "zh-HK", "zh-TW":
		return p.Name.ZhHant
	case "zh-Hans", "zh-CN":
		return p.Name.ZhHans
	case "en", "en-US", "en-GB":
		return p.Name.En
	}
	return ""
}
