package web

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// signinsPath lists the failed sign-ins to the reader's own account.
const signinsPath = "/account/signins"

// signinsView is the list: the failures since the previous sign-in are
// marked new.
type signinsView struct {
	Failures     []failedSignIn
	Since        time.Time // the previous sign-in; zero when there was none
	NewCount     int
	Pager        kit.Pager
	SecondFactor bool
}

// failedSignIn is a failure with its browser and system in the reader's
// words.
type failedSignIn struct {
	account.FailedSignIn
	AgentText string
}

func (h *Handler) signinsPage(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	ctx, page := r.Context(), kit.PageParam(r)
	list, total, err := h.accounts.FailedSignIns(ctx, id.User.ID, time.Time{}, kit.Offset(page), kit.PerPage)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	_, fresh, err := h.accounts.FailedSignIns(ctx, id.User.ID, id.User.PreviousSignInAt, 0, 1)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := signinsView{Since: id.User.PreviousSignInAt, NewCount: fresh, Pager: kit.NewPager(r, page, total),
		SecondFactor: id.User.SecondFactor}
	tr := h.kit.T(r)
	for _, f := range list {
		v.Failures = append(v.Failures, failedSignIn{FailedSignIn: f, AgentText: agentText(tr, f.Agent)})
	}
	h.kit.Render(w, r, http.StatusOK, "signins", v)
}

// failuresSinceLastSignIn counts the failed sign-ins to the reader's
// account since their previous sign-in, for the dashboard's warning.
func (h *Handler) failuresSinceLastSignIn(r *http.Request) (int, error) {
	id, ok := session.From(r.Context())
	if !ok || id.ByToken {
		return 0, nil
	}
	_, n, err := h.accounts.FailedSignIns(r.Context(), id.User.ID, id.User.PreviousSignInAt, 0, 1)
	return n, err
}

// agentNames are the browsers and systems account.AgentKind tells apart,
// as their makers write them.
var agentNames = map[string]string{
	"edge": "Edge", "opera": "Opera", "firefox": "Firefox", "chromium": "Chromium", "chrome": "Chrome",
	"safari": "Safari", "curl": "curl", "wget": "Wget", "python": "Python", "go": "Go",
	"android": "Android", "ios": "iOS", "windows": "Windows", "macos": "macOS", "chromeos": "ChromeOS", "linux": "Linux",
}

// agentText shows an agent kind such as "firefox/windows" as
// "Firefox · Windows", in the reader's words where it is unknown.
func agentText(tr i18n.Translator, kind string) string {
	if kind == "" || kind == "none" {
		return tr.T("signins.agent.none")
	}
	browser, system, _ := strings.Cut(kind, "/")
	name := func(k string) string {
		if n, ok := agentNames[k]; ok {
			return n
		}
		return tr.T("signins.agent.other")
	}
	return name(browser) + " · " + name(system)
}
