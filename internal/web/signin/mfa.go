package signin

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"strings"
	"time"

	"github.com/pquerna/otp"

	"crisisdesk/internal/account"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/session"
	"crisisdesk/internal/web/kit"
)

// mfaView is the second-factor page. While no factor is set up it shows
// the enrolment (QR code, URI and secret); afterwards the factor's state.
// Codes, when set, are new recovery codes, shown this once.
type mfaView struct {
	Enabled      bool
	Since        time.Time
	RecoveryLeft int
	Required     bool // the role requires a second factor
	Forced       bool // nothing else is reachable until it is set up
	Secret       string
	URI          string
	QR           template.URL // data: URI of a PNG
	Codes        []string
	Errors       kit.FieldErrors
}

func (h *Room) mfaPage(w http.ResponseWriter, r *http.Request) {
	h.renderMFA(w, r, http.StatusOK, kit.FieldErrors{})
}

// renderMFA shows the page as it stands, with errors from a form.
func (h *Room) renderMFA(w http.ResponseWriter, r *http.Request, status int, fe kit.FieldErrors) {
	id, _ := session.From(r.Context())
	v := mfaView{Required: account.SecondFactorRequired(id.User.Role), Forced: id.MustEnrol(), Errors: fe}
	sf, err := h.Accounts.SecondFactorOf(r.Context(), id.User.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v.Enabled, v.Since, v.RecoveryLeft = sf.Enabled, sf.Since, sf.RecoveryLeft
	if !v.Enabled {
		en, err := h.Accounts.BeginEnrolment(r.Context(), id.Actor())
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		v.Secret, v.URI = en.Secret, en.URI
		if v.QR, err = qrDataURI(en.URI); err != nil {
			h.Kit.Logger().ErrorContext(r.Context(), "web: draw the enrolment QR code", "err", err)
			v.QR = "" // the URI and the secret are on the page too
		}
	}
	h.Kit.Render(w, r, status, "mfa", v)
}

// qrDataURI draws an otpauth URI as a QR code in a PNG data: URI, which
// the Content-Security-Policy allows for images.
func qrDataURI(uri string) (template.URL, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

// confirmMFA checks the first code from the app, turns the factor on and
// shows the recovery codes once.
func (h *Room) confirmMFA(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	code := r.PostFormValue("code")
	if fe, ok := h.codeMissing(r, "code", code); ok {
		h.renderMFA(w, r, http.StatusUnprocessableEntity, fe)
		return
	}
	codes, err := h.Accounts.ConfirmEnrolment(r.Context(), id.Actor(), code)
	if fe, status, ok := h.codeRefused(r, "code", err); ok {
		h.renderMFA(w, r, status, fe)
		return
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.showRecoveryCodes(w, r, codes)
}

// showRecoveryCodes renders new recovery codes; they are never stored in
// a form a browser keeps, and the page is not cached (no-store).
func (h *Room) showRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string) {
	h.Kit.Render(w, r, http.StatusOK, "mfa", mfaView{Enabled: true, Codes: codes, RecoveryLeft: len(codes)})
}

func (h *Room) regenerateRecovery(w http.ResponseWriter, r *http.Request) {
	id, _ := session.From(r.Context())
	code := r.PostFormValue("recovery_code")
	if fe, ok := h.codeMissing(r, "recovery_code", code); ok {
		h.renderMFA(w, r, http.StatusUnprocessableEntity, fe)
		return
	}
	codes, err := h.Accounts.RegenerateRecoveryCodes(r.Context(), id.Actor(), code)
	if fe, status, ok := h.codeRefused(r, "recovery_code", err); ok {
		h.renderMFA(w, r, status, fe)
		return
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.showRecoveryCodes(w, r, codes)
}

func (h *Room) disableMFA(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	id, _ := session.From(r.Context())
	if account.SecondFactorRequired(id.User.Role) {
		h.renderMFA(w, r, http.StatusUnprocessableEntity, kit.FieldErrors{"disable_code": tr.T("mfa.required_for_role")})
		return
	}
	code := r.PostFormValue("disable_code")
	if fe, ok := h.codeMissing(r, "disable_code", code); ok {
		h.renderMFA(w, r, http.StatusUnprocessableEntity, fe)
		return
	}
	err := h.Accounts.DisableSecondFactor(r.Context(), id.Actor(), code)
	if fe, status, ok := h.codeRefused(r, "disable_code", err); ok {
		h.renderMFA(w, r, status, fe)
		return
	}
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.Redirect(w, r, kit.MFAPath+"?done=mfa_disabled")
}

func (h *Room) codeMissing(r *http.Request, field, code string) (kit.FieldErrors, bool) {
	if strings.TrimSpace(code) != "" {
		return nil, false
	}
	return kit.FieldErrors{field: h.Kit.T(r).T("err.required")}, true
}

// codeRefused explains a refused code beside the form's field.
func (h *Room) codeRefused(r *http.Request, field string, err error) (kit.FieldErrors, int, bool) {
	tr := h.Kit.T(r)
	switch fault.CodeOf(err) {
	case fault.Invalid:
		return kit.FieldErrors{field: tr.T("signin.code_wrong")}, http.StatusUnprocessableEntity, true
	case fault.TooManyRequests:
		return kit.FieldErrors{field: tr.T("signin.code_throttled")}, http.StatusTooManyRequests, true
	case fault.Conflict:
		return kit.FieldErrors{"": tr.T("mfa.changed")}, http.StatusConflict, true
	}
	return nil, 0, false
}
