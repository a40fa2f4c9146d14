package notices

import (
	"net/http"
	"slices"
	"time"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/channel/sms"
	"crisisdesk/internal/notice"
)

// previewExerciseMark is how the public site marks a drill, in both scripts
// whatever the language (the public package's ExerciseMark).
const previewExerciseMark = "演練 EXERCISE"

// previewView is the draft as the public page will show it in one
// language, with the SMS length of every language.
type previewView struct {
	Lang      string
	Label     string // the language's name
	Content   notice.Content
	Kind      notice.Kind
	Audience  notice.Audience
	Exercise  bool
	Mark      string
	Level     catalog.Level // 0 without a crisis
	Crisis    string
	Area      string
	Effective time.Time
	Expires   time.Time
	SMS       []smsRow
	Warnings  []capWarning // CAP advice on the draft as written
}

// smsRow is the SMS of one language as a subscriber gets it (smsMessage)
// and its length.
type smsRow struct {
	Lang  string
	Label string
	Empty bool
	Text  string
	Count sms.Segments
}

// previewNotice renders the preview of the posted draft in the language
// asked for ("preview", or the open tab "active"). With htmx it answers
// the preview alone; without, the whole editor with the preview beside it.
func (h *Room) previewNotice(w http.ResponseWriter, r *http.Request) {
	f := readNoticeForm(r)
	if l := r.PostFormValue("preview"); slices.Contains(f.languages(), l) {
		f.Active = l
	}
	pv, err := h.preview(r, f)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		h.Kit.RenderPart(w, r, http.StatusOK, "notice_edit", "notice-preview-fragment", pv)
		return
	}
	f.Bad = nil
	h.renderEditorWith(w, r, f, func(v *noticeEditView) { v.Preview = &pv })
}

// preview builds the preview of form f in its open language.
func (h *Room) preview(r *http.Request, f noticeForm) (previewView, error) {
	tr := h.Kit.T(r)
	pv := previewView{Lang: f.Active, Label: languageLabel(tr, f.Active), Content: f.content(f.Active), Kind: f.Kind, Audience: f.Audience, Mark: previewExerciseMark,
		Area: f.CAP.Area.Description, Effective: f.CAP.Effective, Expires: f.CAP.Expires}
	if !pv.Kind.Valid() {
		pv.Kind = notice.Alert
	}
	if f.CrisisID != 0 {
		c, err := h.Crises.Get(r.Context(), f.CrisisID)
		if err != nil {
			return pv, err
		}
		pv.Exercise, pv.Level, pv.Crisis = c.Exercise, c.Level, c.Title
	}
	n := f.notice()
	n.ID, n.Exercise = f.ID, pv.Exercise
	pv.Warnings = capWarnings(tr, n, h.Kit.Now())
	for _, c := range f.Contents {
		row := smsRow{Lang: c.Language, Label: languageLabel(tr, c.Language), Empty: c.Headline == "" && c.Instruction == ""}
		if !row.Empty {
			row.Text, row.Count = h.smsMessage(n, c.Language)
		}
		pv.SMS = append(pv.SMS, row)
	}
	return pv, nil
}
