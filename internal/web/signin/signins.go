package signin

import (
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// SigninsPath lists the failed sign-ins to the reader's own account; the
// dashboard links to it when there were some.
const SigninsPath = "/desk/account/signins"

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

func (h *Room) signinsPage(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	ctx, page := r.Context(), kit.PageParam(r)
	list, total, err := h.Accounts.FailedSignIns(ctx, id.User.ID, time.Time{}, kit.Offset(page), kit.PerPage)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	_, fresh, err := h.Accounts.FailedSignIns(ctx, id.User.ID, id.User.PreviousSignInAt, 0, 1)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := signinsView{Since: id.User.PreviousSignInAt, NewCount: fresh, Pager: kit.NewPager(r, page, total),
		SecondFactor: id.User.SecondFactor}
	tr := h.Kit.T(r)
	for _, f := range list {
		v.Failures = append(v.Failures, failedSignIn{FailedSignIn: f, AgentText: agentText(tr, f.Agent)})
	}
	h.Kit.Render(w, r, http.StatusOK, "signins", v)
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
