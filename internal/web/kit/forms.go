package kit

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"crisisdesk/internal/account"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/plaintext"
	"crisisdesk/internal/session"
)

// FieldErrors are translated messages keyed by form field name; the
// templates show each beside its field (and form-error, at the top, the
// key "" for the form as a whole).
type FieldErrors map[string]string

// FieldKeys maps a service's field names to the message keys one form
// shows for them. Each form has two tables: its rules explain the
// domain's own validation (run first, with the domain's Validate), its
// refusals explain what the service refuses once the rules pass (a taken
// name, a vanished department, the last admin). The services' own
// messages are English and never shown.
type FieldKeys map[string]string

// InvalidFields turns an invalid-input error into field messages; ok is
// false for any other error. A field keys does not know gets a generic
// message for the whole form.
func InvalidFields(tr i18n.Translator, err error, keys FieldKeys) (fe FieldErrors, ok bool) {
	if fault.CodeOf(err) != fault.Invalid {
		return nil, false
	}
	list, isList := errors.AsType[fault.Fields](err)
	if !isList {
		list = fault.Fields{fault.As(err)}
	}
	fe = FieldErrors{}
	for _, e := range list {
		key, known := keys[e.Field]
		field := e.Field
		if !known {
			key, field = "err.invalid", ""
		}
		msg, isText := TextMessage(tr, e)
		if !isText {
			msg = tr.T(key, "Min", account.MinPasswordLength)
		}
		if _, dup := fe[field]; !dup {
			fe[field] = msg
		}
	}
	return fe, true
}

// TextMessage explains an error about a character that cannot be
// published (plaintext.Check), whatever the field; ok is false for any
// other error.
func TextMessage(tr i18n.Translator, err error) (msg string, ok bool) {
	ce, ok := errors.AsType[*plaintext.CharError](err)
	switch {
	case !ok:
		return "", false
	case ce.BadUTF8:
		return tr.T("err.text_encoding"), true
	case ce.LineBreak:
		return tr.T("err.text_line"), true
	}
	return tr.T("err.text_control", "Char", fmt.Sprintf("%U", ce.Rune)), true
}

// LocalPath returns next when it is a path on this site, else "". It
// keeps the sign-in and language forms from redirecting anywhere else.
func LocalPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}

// PathID reads the {id} of a route; ok is false unless it is a positive
// integer.
func PathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// QueryInt reads an integer query parameter; blank or malformed reads
// as 0.
func QueryInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.URL.Query().Get(name)), 10, 64)
	return n
}

// FormInt reads an integer form field; blank or malformed reads as 0,
// which the services refuse where it matters.
func FormInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}

// Actor returns who is asking, for the services. Rows that reach a
// handler calling it are not Public.
func Actor(r *http.Request) authz.Actor {
	id, _ := session.From(r.Context())
	return id.Actor()
}

// Role returns the asking user's role, "" when anonymous.
func Role(r *http.Request) authz.Role {
	id, _ := session.From(r.Context())
	return id.User.Role
}

// Redirect answers a successful post (303 See Other, so a reload does not
// post again).
func Redirect(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// Itoa writes an id into a path.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }

// FieldsOf lists the invalid fields of an error.
func FieldsOf(err error) fault.Fields {
	if list := fault.FieldsOf(err); len(list) > 0 {
		return list
	}
	return fault.Fields{fault.As(err)}
}

// MergeFields joins a form's own errors (text that does not parse) with
// the domain's, so that one post shows every problem at once.
func MergeFields(bad fault.Fields, err error) error {
	if err != nil {
		bad = append(bad, FieldsOf(err)...)
	}
	return bad.Err()
}

// CheckAndSave is how a register's form is saved: invalid is the domain's
// verdict on the input (nil when valid), given as field messages by rules
// without calling save; then save stores it. A stale version is a 409 for
// the whole form, a store's refusal of the input is a 422 by refusals, and
// any other error is returned for Fail. fe is nil once saved.
func CheckAndSave(tr i18n.Translator, invalid error, rules, refusals FieldKeys, save func() error) (fe FieldErrors, status int, err error) {
	if fe, ok := InvalidFields(tr, invalid, rules); ok {
		return fe, http.StatusUnprocessableEntity, nil
	}
	err = save()
	switch {
	case err == nil:
		return nil, 0, nil
	case fault.Is(err, fault.Conflict):
		return FieldErrors{"": tr.T("err.stale")}, http.StatusConflict, nil
	}
	if fe, ok := InvalidFields(tr, err, refusals); ok {
		return fe, http.StatusUnprocessableEntity, nil
	}
	return nil, 0, err
}
