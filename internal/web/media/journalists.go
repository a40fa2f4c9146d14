package media

import (
	"net/http"
	"slices"
	"strings"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/press"
	"crisisdesk/internal/web/kit"
)

// journalistRules explain the domain's validation of a journalist.
var journalistRules = kit.FieldKeys{
	"name":     "media.err.name",
	"outlet":   "media.err.outlet",
	"language": "err.choose",
	"beat":     "err.choose",
	"email":    "media.err.email",
	"phone":    "media.err.phone",
	"channels": "media.err.channels",
}

// journalistForm is the new-journalist and edit-journalist form.
type journalistForm struct {
	press.Journalist
	Errors kit.FieldErrors
}

// Has reports whether the form has channel c ticked.
func (f journalistForm) Has(c string) bool { return slices.Contains(f.Channels, c) }

// journalistView is the page around the form.
type journalistView struct {
	Form      journalistForm
	Languages []string
	Beats     []string
	Channels  []string
}

// FormErrors implements kit.Form.
func (v journalistView) FormErrors() kit.FieldErrors { return v.Form.Errors }

func journalistFrom(r *http.Request) press.Journalist {
	_ = r.ParseForm()
	return press.Journalist{
		Name: strings.TrimSpace(r.PostFormValue("name")), Outlet: strings.TrimSpace(r.PostFormValue("outlet")),
		Language: r.PostFormValue("language"), Beat: r.PostFormValue("beat"),
		Email: strings.TrimSpace(r.PostFormValue("email")), Phone: strings.TrimSpace(r.PostFormValue("phone")),
		Channels: r.PostForm["channels"], Consent: r.PostFormValue("consent") != "", Active: r.PostFormValue("active") != "",
		Version: kit.FormInt(r, "version"),
	}
}

func (h *Room) renderJournalist(w http.ResponseWriter, r *http.Request, status int, name string, f journalistForm) {
	h.Kit.Render(w, r, status, name, journalistView{Form: f, Languages: i18n.Languages, Beats: press.Beats, Channels: press.ContactChannels})
}

func (h *Room) saveJournalistForm(w http.ResponseWriter, r *http.Request, page string, j press.Journalist,
	save func(press.Journalist) (press.Journalist, error)) {
	j.Normalize()
	var out press.Journalist
	fe, status, err := kit.CheckAndSave(h.Kit.T(r), j.Validate(), journalistRules, journalistRules, func() (err error) {
		out, err = save(j)
		return err
	})
	switch {
	case err != nil:
		h.Kit.Fail(w, r, err)
	case fe != nil:
		h.renderJournalist(w, r, status, page, journalistForm{Journalist: j, Errors: fe})
	default:
		done := "media_journalist_saved"
		if page == "media_journalist_new" {
			done = "media_journalist_created"
		}
		kit.Redirect(w, r, JournalistsPath+"/"+kit.Itoa(out.ID)+"?done="+done)
	}
}

func (h *Room) newJournalistPage(w http.ResponseWriter, r *http.Request) {
	h.renderJournalist(w, r, http.StatusOK, "media_journalist_new", journalistForm{Journalist: press.Journalist{
		Language: i18n.TraditionalChinese, Active: true, Channels: []string{press.ChannelEmail}}})
}

func (h *Room) createJournalist(w http.ResponseWriter, r *http.Request) {
	h.saveJournalistForm(w, r, "media_journalist_new", journalistFrom(r), func(j press.Journalist) (press.Journalist, error) {
		return h.Press.AddJournalist(r.Context(), kit.Actor(r), j)
	})
}

func (h *Room) journalistPage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	j, err := h.Press.Journalist(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderJournalist(w, r, http.StatusOK, "media_journalist_edit", journalistForm{Journalist: j})
}

func (h *Room) saveJournalist(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	j := journalistFrom(r)
	j.ID = id
	h.saveJournalistForm(w, r, "media_journalist_edit", j, func(j press.Journalist) (press.Journalist, error) {
		return h.Press.SaveJournalist(r.Context(), kit.Actor(r), j)
	})
}
