package media

import (
	"net/http"
	"slices"
	"strconv"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/press"
	"crisisdesk/internal/web/kit"
)

// ReleasesPath lists the press releases; ReleasesPath/{id} chooses the
// journalists of one (the notice's id).
const ReleasesPath = "/desk/media/releases"

// releaseRow is a notice for the media with how many journalists it goes
// to.
type releaseRow struct {
	notice.Notice
	Recipients int
}

// releasesView is the list of press releases.
type releasesView struct {
	Releases []releaseRow
}

func (h *Room) releasesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	list, _, err := h.Notices.List(ctx, notice.Filter{Audience: notice.Media, Limit: 100})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := releasesView{}
	for _, n := range list {
		ids, err := h.Press.ReleaseRecipients(ctx, n.ID)
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		v.Releases = append(v.Releases, releaseRow{Notice: n, Recipients: len(ids)})
	}
	h.Kit.Render(w, r, http.StatusOK, "media_releases", v)
}

// releaseView is one press release with the journalists it may go to.
type releaseView struct {
	Notice      notice.Notice
	Journalists []press.Journalist // those who agreed to press releases by e-mail
	Chosen      map[int64]bool
	Published   bool
	CanManage   bool
	Errors      kit.FieldErrors
}

// FormErrors implements kit.Form.
func (v releaseView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) releasePage(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	chosen, err := h.Press.ReleaseRecipients(r.Context(), id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderRelease(w, r, http.StatusOK, id, chosen, nil)
}

func (h *Room) renderRelease(w http.ResponseWriter, r *http.Request, status int, id int64, chosen []int64, fe kit.FieldErrors) {
	ctx := r.Context()
	n, err := h.Notices.Get(ctx, id)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if n.Audience != notice.Media {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	js, err := h.Press.Journalists(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := releaseView{Notice: n, Chosen: map[int64]bool{}, Published: n.Status == notice.Published,
		CanManage: authz.Can(kit.Role(r), authz.ManageMedia), Errors: fe}
	for _, j := range js {
		if j.Reachable() || slices.Contains(chosen, j.ID) {
			v.Journalists = append(v.Journalists, j)
		}
	}
	for _, c := range chosen {
		v.Chosen[c] = true
	}
	h.Kit.Render(w, r, status, "media_release", v)
}

func (h *Room) chooseRecipients(w http.ResponseWriter, r *http.Request) {
	id, ok := kit.PathID(r)
	if !ok {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	_ = r.ParseForm()
	var chosen []int64
	for _, s := range r.PostForm["journalist_ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			chosen = append(chosen, n)
		}
	}
	err := h.Press.SetReleaseRecipients(r.Context(), kit.Actor(r), id, chosen)
	switch {
	case err == nil:
		kit.Redirect(w, r, ReleasesPath+"/"+kit.Itoa(id)+"?done=media_recipients_saved")
	case fault.Is(err, fault.Invalid):
		fe, _ := kit.InvalidFields(h.Kit.T(r), err, kit.FieldKeys{"journalist_ids": "media.err.recipients", "notice_id": "media.err.not_media"})
		h.renderRelease(w, r, http.StatusUnprocessableEntity, id, chosen, fe)
	default:
		h.Kit.Fail(w, r, err)
	}
}
