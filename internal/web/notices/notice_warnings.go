package notices

import (
	"strings"
	"time"

	"crisisdesk/internal/feed/cap"
	"crisisdesk/internal/feed/capnotice"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
)

// capWarning is one piece of CAP advice (cap.Lint) about a notice being
// written, worded in the reader's language. It is a warning, not an
// error: the notice saves and publishes all the same.
type capWarning struct {
	Language string // the tab it is about; "" for the whole notice
	Label    string // that language's name
	Rule     string // R22, R23, …
	Text     string
}

// lintFields name the CAP elements as the editor labels them.
var lintFields = map[string]string{
	"headline":    "notice.headline",
	"description": "notice.body",
	"instruction": "notice.instruction",
	"contact":     "notice.contact",
	"event":       "notice.cap.event",
	"expires":     "notice.cap.expires",
	"effective":   "notice.cap.effective",
	"area":        "notice.cap.area",
	"references":  "notice.references",
}

// capWarnings lints unpublished notice n as the CAP message it would
// become if published now. A notice with nothing written yet gets no
// advice.
func capWarnings(tr i18n.Translator, n notice.Notice, now time.Time) []capWarning {
	written := false
	for _, c := range n.Contents {
		written = written || strings.TrimSpace(c.Headline+c.Body) != ""
	}
	if !written || n.Status == notice.Published {
		return nil
	}
	var out []capWarning
	for _, w := range cap.Lint(capnotice.Draft(n, now)) {
		field := w.Element
		if key, ok := lintFields[w.Element]; ok {
			field = tr.T(key)
		}
		cw := capWarning{Rule: w.Rule, Text: tr.T("cap.lint."+w.Rule, append([]any{"Field", field}, w.Args...)...)}
		if w.Info >= 0 && w.Info < len(n.Contents) {
			cw.Language = n.Contents[w.Info].Language
			cw.Label = languageLabel(tr, cw.Language)
		}
		out = append(out, cw)
	}
	return out
}
