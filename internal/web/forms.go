package web

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

// fieldErrors are translated messages keyed by form field name; the
// templates show each beside its field. The key "" holds a message for the
// form as a whole.
type fieldErrors map[string]string

// fieldKeys maps a service's field names to catalogue keys for one form.
type fieldKeys map[string]string

// Each form has two tables. Rules explain the domain's own validation
// (run here first, with the domain's Validate); refusals explain what the
// service refuses once the rules pass: a taken name, a vanished
// department, the last admin. The service's own messages are English and
// never shown.
var (
	userRules = fieldKeys{
		"name":          "err.user_name",
		"display_name":  "err.display_name",
		"email":         "err.email",
		"role":          "err.role",
		"department_id": "err.department",
		"language":      "err.language",
		"password":      "err.password",
	}
	userRefusals = fieldKeys{
		"name":          "err.user_name_taken",
		"role":          "err.last_admin",
		"department_id": "err.department",
		"language":      "err.language",
		"password":      "err.password",
	}
	departmentRules = fieldKeys{
		"code":  "err.department_code",
		"name":  "err.department_name",
		"email": "err.email",
	}
	departmentRefusals = fieldKeys{
		"code": "err.department_code_taken",
	}
	passwordRules = fieldKeys{
		"password": "err.password",
	}
	passwordRefusals = fieldKeys{
		"current_password": "err.current_password",
		"password":         "err.password_same",
	}
)

// invalidFields turns an invalid-input error into field messages; ok is
// false for any other error. A field the form does not know gets a
// generic message for the whole form.
func invalidFields(tr i18n.Translator, err error, keys fieldKeys) (fe fieldErrors, ok bool) {
	if fault.CodeOf(err) != fault.Invalid {
		return nil, false
	}
	list, isList := errors.AsType[fault.Fields](err)
	if !isList {
		list = fault.Fields{fault.As(err)}
	}
	fe = fieldErrors{}
	for _, e := range list {
		key, known := keys[e.Field]
		field := e.Field
		if !known {
			key, field = "err.invalid", ""
		}
		msg, isText := textMessage(tr, e)
		if !isText {
			msg = tr.T(key, "Min", account.MinPasswordLength)
		}
		if _, dup := fe[field]; !dup {
			fe[field] = msg
		}
	}
	return fe, true
}

// textMessage explains an error about a character that cannot be
// published (plaintext.Check), whatever the field; ok is false for any
// other error.
func textMessage(tr i18n.Translator, err error) (msg string, ok bool) {
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

// localPath returns next when it is a path on this site, else "". It keeps
// the sign-in and language forms from redirecting anywhere else.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return next
}

// pathID reads the {id} of a route; ok is false unless it is a positive
// integer.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// formInt reads an integer form field; blank or malformed reads as 0,
// which the services refuse where it matters.
func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(name)), 10, 64)
	return n
}

// actor returns who is asking, for the services. Routes that reach a
// handler calling it have passed requireSignIn.
func actor(r *http.Request) authz.Actor {
	id, _ := session.From(r.Context())
	return id.Actor()
}

// role returns the asking user's role, "" when anonymous.
func role(r *http.Request) authz.Role {
	id, _ := session.From(r.Context())
	return id.User.Role
}

// redirect answers a successful post (303 See Other, so a reload does not
// post again).
func redirect(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// fieldsOf lists the invalid fields of an error.
func fieldsOf(err error) fault.Fields {
	if list := fault.FieldsOf(err); len(list) > 0 {
		return list
	}
	return fault.Fields{fault.As(err)}
}
