package kit

import (
	"net/http"

	"crisisdesk/internal/fault"
)

// errorPage is the kit's own page for an HTTP error status.
const errorPage = "error"

// errorView is the body of an error page.
type errorView struct {
	Status  int
	Title   string
	Message string
}

// ErrorPage writes the translated page for an HTTP error status.
func (k *Kit) ErrorPage(w http.ResponseWriter, r *http.Request, status int) {
	k.ErrorPageKey(w, r, status, "")
}

// ErrorPageKey writes an error page; messageKey, when given, replaces the
// status's usual explanation.
func (k *Kit) ErrorPageKey(w http.ResponseWriter, r *http.Request, status int, messageKey string) {
	tr := k.T(r)
	v := errorView{Status: status}
	switch status {
	case http.StatusBadRequest:
		v.Title, v.Message = tr.T("error.400.title"), tr.T("error.400.message")
	case http.StatusForbidden:
		v.Title, v.Message = tr.T("error.403.title"), tr.T("error.403.message")
	case http.StatusNotFound:
		v.Title, v.Message = tr.T("error.404.title"), tr.T("error.404.message")
	case http.StatusConflict:
		v.Title, v.Message = tr.T("error.409.title"), tr.T("error.409.message")
	case http.StatusRequestEntityTooLarge:
		v.Title, v.Message = tr.T("error.413.title"), tr.T("error.413.message")
	case http.StatusTooManyRequests:
		v.Title, v.Message = tr.T("error.429.title"), tr.T("error.429.message")
	case http.StatusServiceUnavailable:
		v.Title, v.Message = tr.T("error.503.title"), tr.T("error.503.message")
	default:
		v.Title, v.Message = tr.T("error.500.title"), tr.T("error.500.message")
	}
	if messageKey != "" {
		v.Message = tr.T(messageKey)
	}
	k.Render(w, r, status, errorPage, v)
}

// Fail answers a service error that the page cannot show beside a field,
// by its fault code. Unknown errors are logged in full and shown as a
// generic 500.
func (k *Kit) Fail(w http.ResponseWriter, r *http.Request, err error) {
	switch fault.CodeOf(err) {
	case fault.NotFound:
		k.ErrorPage(w, r, http.StatusNotFound)
	case fault.Forbidden:
		k.ErrorPage(w, r, http.StatusForbidden)
	case fault.Unauthenticated:
		k.toSignIn(w, r)
	case fault.TooManyRequests:
		k.ErrorPage(w, r, http.StatusTooManyRequests)
	case fault.Conflict:
		k.ErrorPage(w, r, http.StatusConflict)
	case fault.Invalid:
		k.ErrorPage(w, r, http.StatusBadRequest)
	case fault.Unavailable:
		k.ErrorPage(w, r, http.StatusServiceUnavailable)
	default:
		k.log.ErrorContext(r.Context(), "web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		k.ErrorPage(w, r, http.StatusInternalServerError)
	}
}
