package media

import (
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/notice"
	"crisisdesk/internal/press"
	"crisisdesk/internal/web/kit"
)

var socialRules = kit.FieldKeys{
	"platform":   "err.choose",
	"handle":     "media.err.handle",
	"account_id": "err.choose",
	"notice_id":  "err.choose",
	"text":       "media.err.post_text",
	"url":        "media.err.post_url",
}

// socialView lists the accounts and the posts, with a form to record one.
type socialView struct {
	Accounts  []press.Account
	Platforms []press.Platform
	Posts     []press.Post
	Handles   map[int64]string
	Notices   []notice.Notice
	// Prepared is the chosen notice's headline cut to each account's
	// limit, ready to paste.
	NoticeID  int64
	Prepared  map[int64]string
	Text      string
	AccountID int64
	URL       string
	CanManage bool
	Errors    kit.FieldErrors
}

// FormErrors implements kit.Form.
func (v socialView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) socialPage(w http.ResponseWriter, r *http.Request) {
	h.renderSocial(w, r, http.StatusOK, socialView{NoticeID: kit.QueryInt(r, "notice")})
}

func (h *Room) renderSocial(w http.ResponseWriter, r *http.Request, status int, v socialView) {
	ctx := r.Context()
	var err error
	if v.Accounts, err = h.Press.Accounts(ctx); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Posts, err = h.Press.Posts(ctx, 0); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if v.Notices, _, err = h.Notices.List(ctx, notice.Filter{Status: notice.Published, Limit: 50}); err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Platforms, v.CanManage, v.Handles, v.Prepared = press.Platforms, authz.Can(kit.Role(r), authz.ManageMedia), map[int64]string{}, map[int64]string{}
	lang := h.Kit.T(r).Lang()
	for _, a := range v.Accounts {
		v.Handles[a.ID] = a.Platform + " " + a.Handle
	}
	for _, n := range v.Notices {
		if n.ID == v.NoticeID {
			for _, a := range v.Accounts {
				v.Prepared[a.ID] = press.Prepare(n.Headline(lang), "", a.Limit())
			}
		}
	}
	h.Kit.Render(w, r, status, "media_social", v)
}

func (h *Room) addAccount(w http.ResponseWriter, r *http.Request) {
	acc := press.Account{Platform: r.PostFormValue("platform"), Handle: strings.TrimSpace(r.PostFormValue("handle")), Active: true}
	_, err := h.Press.AddAccount(r.Context(), kit.Actor(r), acc)
	h.afterSocial(w, r, err, "media_account_added", socialView{})
}

func (h *Room) recordPost(w http.ResponseWriter, r *http.Request) {
	p := press.Post{AccountID: kit.FormInt(r, "account_id"), NoticeID: kit.FormInt(r, "notice_id"),
		Text: strings.TrimSpace(r.PostFormValue("text")), URL: strings.TrimSpace(r.PostFormValue("url"))}
	_, err := h.Press.RecordPost(r.Context(), kit.Actor(r), p)
	h.afterSocial(w, r, err, "media_post_recorded", socialView{NoticeID: p.NoticeID, AccountID: p.AccountID, Text: p.Text, URL: p.URL})
}

func (h *Room) afterSocial(w http.ResponseWriter, r *http.Request, err error, done string, v socialView) {
	if err == nil {
		kit.Redirect(w, r, SocialPath+"?done="+done)
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, socialRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Errors = fe
	h.renderSocial(w, r, http.StatusUnprocessableEntity, v)
}
