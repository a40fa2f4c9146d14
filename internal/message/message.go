// Package message renders a published notice as what each channel sends:
// the subject, plain text and HTML of an e-mail and the text of an SMS in
// the recipient's language, and the JSON body of a webhook. Fixed labels
// come from the i18n catalogue (area file message.*.toml); the notice's
// own text is never translated, only chosen.
package message

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"

	"crisisdesk/internal/hanzi"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/notice"
)

// Links are the absolute URLs a message points to.
type Links struct {
	Notice      string // the notice's public page
	CAP         string // its CAP 1.2 document
	Unsubscribe string // the recipient's one-click unsubscribe link; empty for staff
	// Original is the public page of the notice a correction, cancellation
	// or all-clear follows. When empty it is derived from Notice, whose
	// last path segment is taken to be the notice's ID (/notices/{id}).
	Original string
}

// Parts is one notice rendered for one recipient.
type Parts struct {
	// Lang is the language of the text: the recipient's when the notice
	// has it, else the notice's first. It is the e-mail's Content-Language
	// and the HTML's lang.
	Lang    string
	Subject string
	Text    string
	HTML    string
	SMS     string
}

//go:embed templates
var templates embed.FS

// Renderer renders notices. It is safe for concurrent use.
type Renderer struct {
	// SignOff returns who sends, in a language: the institution's name,
	// which ends each e-mail and SMS. Nil or empty signs nothing.
	SignOff func(lang string) string

	cat     *i18n.Catalog
	text    *texttemplate.Template
	html    *htmltemplate.Template
	chinese *hanzi.Converter
}

// WithChinese has r give a Chinese reader their script: a notice written
// only in the other Chinese script is converted for them (hanzi.Fill),
// and the e-mail says so. Call it before r is used; it returns r.
func (r *Renderer) WithChinese(c *hanzi.Converter) *Renderer {
	r.chinese = c
	return r
}

// New parses the embedded templates; the labels come from c.
func New(c *i18n.Catalog) (*Renderer, error) {
	if c == nil {
		return nil, fmt.Errorf("message: no i18n catalogue")
	}
	text, err := texttemplate.ParseFS(templates, "templates/notice.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("message: text template: %w", err)
	}
	html, err := htmltemplate.ParseFS(templates, "templates/notice.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("message: html template: %w", err)
	}
	return &Renderer{cat: c, text: text, html: html}, nil
}

// Render renders n for a recipient who reads lang. Every part carries the
// exercise mark of a drill, says what a follow-up does and links the
// notice it follows; the text and HTML end with the unsubscribe link when
// l.Unsubscribe is set.
func (r *Renderer) Render(n notice.Notice, lang string, l Links) Parts {
	// A failed conversion leaves the text as written: the recipient still
	// gets the notice.
	if filled, _, err := r.chinese.Fill(n, lang); err == nil {
		n = filled
	}
	c := Pick(n, lang)
	v := r.view(n, c, lang, l)
	p := Parts{Lang: v.Lang, Subject: v.Subject, SMS: r.sms(v)}
	var b strings.Builder
	// The templates are parsed and checked by the tests, and a Builder
	// never fails to write: an error here is a bug, shown rather than lost.
	if err := r.text.ExecuteTemplate(&b, "text", v); err != nil {
		b.WriteString("\n[" + err.Error() + "]")
	}
	p.Text = b.String()
	var h bytes.Buffer
	if err := r.html.ExecuteTemplate(&h, "html", v); err != nil {
		h.WriteString("<!-- " + htmltemplate.HTMLEscapeString(err.Error()) + " -->")
	}
	p.HTML = h.String()
	return p
}

// Pick returns n's content in lang, else in its first language (the one
// it was written in first); the zero Content when n has none.
func Pick(n notice.Notice, lang string) notice.Content {
	if c := n.Content(lang); c != nil {
		return *c
	}
	if len(n.Contents) > 0 {
		return n.Contents[0]
	}
	return notice.Content{}
}

// labels is the translator for the fixed words around text in lang: the
// text's own language when the catalogue speaks it (zh-TW counts as
// zh-Hant), else the recipient's, else the default.
func (r *Renderer) labels(textLang, recipientLang string) i18n.Translator {
	return r.cat.For(i18n.Negotiate("", textLang+","+recipientLang))
}

// view is what the templates show.
type view struct {
	Lang     string
	Exercise bool
	Mark     string // 【演練】 or [EXERCISE] , empty for a real notice
	Note     string // "This is an exercise …"
	Subject  string
	Kind     string // the follow-up's or update's label; empty for an alert
	Headline string

	Follows  string // "This notice corrects an earlier notice"
	Original string // its URL
	Reason   string // why a correction was made

	Body        []paragraph
	Instruction []paragraph
	Contact     string
	Area        string
	Converted   string // says the text was converted from the other Chinese script

	Notice      string
	Unsubscribe string
	From        string // the sign-off: the institution's name
	L           labelSet
}

// labelSet holds the fixed words of the templates.
type labelSet struct {
	Colon                                                            string // between a label and its text: "：" or ": "
	ColonEnd                                                         string // the same at the end of a line, with no space after
	Reason, Area, Instruction, Contact, More, Why, Unsubscribe, Stop string
}

// paragraph is the lines of one paragraph.
type paragraph []string

func (r *Renderer) view(n notice.Notice, c notice.Content, lang string, l Links) view {
	tr := r.labels(c.Language, lang)
	v := view{Lang: c.Language, Exercise: n.Exercise, Headline: c.Headline, Contact: c.Contact,
		Area: n.CAP.Area.Description, Notice: l.Notice, Unsubscribe: l.Unsubscribe,
		Body: paragraphs(c.Body), Instruction: paragraphs(c.Instruction),
		L: labelSet{Colon: tr.T("message.colon"), Reason: tr.T("message.reason"), Area: tr.T("message.area"),
			Instruction: tr.T("message.instruction"), Contact: tr.T("message.contact"), More: tr.T("message.more"),
			Why: tr.T("message.why"), Unsubscribe: tr.T("message.unsubscribe"), Stop: tr.T("message.sms_stop")}}
	v.L.ColonEnd = strings.TrimRight(v.L.Colon, " ")
	if v.Lang == "" {
		v.Lang = tr.Lang()
	}
	if r.SignOff != nil {
		v.From = strings.TrimSpace(r.SignOff(v.Lang))
	}
	if n.Exercise {
		v.Mark, v.Note = tr.T("message.exercise_prefix"), tr.T("message.exercise_note")
	}
	if c.ConvertedFrom != "" {
		v.Converted = tr.T("converted_from." + c.ConvertedFrom)
	}
	if n.Kind != notice.Alert && n.Kind.Valid() {
		v.Kind = tr.T("message.kind." + string(n.Kind))
	}
	if n.References != 0 && n.Kind != notice.Alert && n.Kind != notice.Update {
		v.Follows = tr.T("message.follows." + string(n.Kind))
		v.Original = original(n, l)
	}
	if n.Kind == notice.Correction && n.CorrectionReason.Valid() {
		v.Reason = tr.T("message.reason." + string(n.CorrectionReason))
	}
	v.Subject = v.Mark + v.Headline
	if v.Kind != "" {
		v.Subject = v.Mark + v.Kind + v.L.Colon + v.Headline
	}
	return v
}

// original is the URL of the notice n follows.
func original(n notice.Notice, l Links) string {
	if l.Original != "" {
		return l.Original
	}
	id := strconv.FormatInt(n.ID, 10)
	if n.ID == 0 || !strings.HasSuffix(l.Notice, "/"+id) {
		return ""
	}
	return strings.TrimSuffix(l.Notice, id) + strconv.FormatInt(n.References, 10)
}

// paragraphs splits text at blank lines, and each paragraph into lines.
func paragraphs(text string) []paragraph {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []paragraph
	var cur paragraph
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}
