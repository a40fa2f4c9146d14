package signin

import (
	"net/http"
	"time"

	"crisisdesk/internal/i18n"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// setLanguage stores the language picked in the header: on the user when
// signed in, and in a cookie either way, so that the sign-in page keeps it
// after signing out.
func (h *Room) setLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("language")
	if !i18n.Supported(lang) {
		h.Kit.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	if id, ok := session.From(r.Context()); ok && !id.ByToken {
		if err := h.Accounts.SetLanguage(r.Context(), id.Actor(), lang); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: kit.LanguageCookie, Value: lang, Path: "/", HttpOnly: true, Secure: h.Sessions.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int((365 * 24 * time.Hour).Seconds()),
	})
	kit.Redirect(w, r, orHome(kit.LocalPath(r.PostFormValue("next"))))
}
