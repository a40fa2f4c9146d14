package admin

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/office"
	"crisisdesk/internal/web/kit"
)

// maxOfficeBody bounds the office form: the logo and the texts.
const maxOfficeBody = office.MaxLogo + 256<<10

// officeRules explain the domain's validation of the profile.
var officeRules = kit.FieldKeys{
	"name":         "err.office_name",
	"contact":      "err.office_contact",
	"public_url":   "err.office_public_url",
	"logo":         "err.office_logo",
	"country_code": "err.office_country_code",
	"districts":    "err.office_districts",
	"legend":       "err.office_legend",
}

// officeForm is the office page's form: each text in each language.
type officeForm struct {
	Name, Contact langText
	PublicURL     string
	HasLogo       bool
	LogoType      string
	CountryCode   string
	Districts     string // one a line: code | 繁 | 简 | English
	Legend        []legendRow
	Version       int64
	Errors        kit.FieldErrors
}

type legendRow struct {
	Level, Colour   string
	Meaning, Action langText
}

// langText is a text in each language, as a form shows it: each input
// holds its own language only.
type langText catalog.Text

// In returns the text in lang exactly, without falling back.
func (t langText) In(lang string) string {
	switch lang {
	case "zh-Hant":
		return t.ZhHant
	case "zh-Hans":
		return t.ZhHans
	}
	return t.En
}

// officeView is the page around the form.
type officeView struct {
	Form      officeForm
	Languages []string
	Zone      string
	// NoEmail and NoSMS warn that residents choosing the channel get no
	// confirmation: no mail server or SMS gateway is configured.
	NoEmail, NoSMS bool
}

var levels = []catalog.Level{catalog.LevelI, catalog.LevelII, catalog.LevelIII, catalog.LevelIV}

func officeFormOf(p office.Profile) officeForm {
	f := officeForm{Name: langText(p.Name), Contact: langText(p.Contact), PublicURL: p.PublicURL, HasLogo: len(p.Logo) > 0, LogoType: p.LogoType,
		CountryCode: p.CountryCode, Districts: formatDistricts(p.Districts), Version: p.Version}
	for i, l := range levels {
		f.Legend = append(f.Legend, legendRow{Level: l.String(), Colour: l.Colour(), Meaning: langText(p.Legend[i].Meaning), Action: langText(p.Legend[i].Action)})
	}
	return f
}

func text(r *http.Request, name string) langText {
	v := func(lang string) string { return strings.TrimSpace(r.PostFormValue(name + "." + lang)) }
	return langText{ZhHant: v(i18n.Languages[0]), ZhHans: v(i18n.Languages[1]), En: v(i18n.Languages[2])}
}

func officeFormFrom(r *http.Request) officeForm {
	f := officeForm{Name: text(r, "name"), Contact: text(r, "contact"), PublicURL: strings.TrimSpace(r.PostFormValue("public_url")),
		CountryCode: strings.TrimSpace(r.PostFormValue("country_code")), Districts: r.PostFormValue("districts"),
		Version: kit.FormInt(r, "version")}
	for _, l := range levels {
		f.Legend = append(f.Legend, legendRow{Level: l.String(), Colour: l.Colour(),
			Meaning: text(r, "legend."+l.String()+".meaning"), Action: text(r, "legend."+l.String()+".action")})
	}
	return f
}

// formatDistricts writes districts one a line; parseDistricts reads them
// back. Empty is the default list.
func formatDistricts(ds []office.District) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Code + " | " + d.Name.ZhHant + " | " + d.Name.ZhHans + " | " + d.Name.En + "\n")
	}
	return b.String()
}

func parseDistricts(s string) ([]office.District, error) {
	var out []office.District
	for line := range strings.Lines(s) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 4 {
			return nil, fault.Field("districts", "each line is code | 繁 | 简 | English")
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		out = append(out, office.District{Code: parts[0], Name: catalog.Text{ZhHant: parts[1], ZhHans: parts[2], En: parts[3]}})
	}
	return out, nil
}

func (h *Room) officePage(w http.ResponseWriter, r *http.Request) {
	p, err := h.Office.Profile(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	h.renderOffice(w, r, http.StatusOK, officeFormOf(p))
}

// saveOffice stores the form; the logo is replaced only by a new file,
// and removed only when asked.
func (h *Room) saveOffice(w http.ResponseWriter, r *http.Request) {
	f := officeFormFrom(r)
	p, err := h.Office.Profile(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	f.HasLogo, f.LogoType = len(p.Logo) > 0, p.LogoType
	p.Name, p.Contact, p.PublicURL, p.CountryCode, p.Version = catalog.Text(f.Name), catalog.Text(f.Contact), f.PublicURL, f.CountryCode, f.Version
	for i, row := range f.Legend {
		p.Legend[i] = office.LevelGuide{Meaning: catalog.Text(row.Meaning), Action: catalog.Text(row.Action)}
	}
	tr := h.Kit.T(r)
	ds, derr := parseDistricts(f.Districts)
	p.Districts = ds
	file, _, ferr := r.FormFile("logo")
	switch {
	case ferr == nil:
		defer file.Close()
		b, err := io.ReadAll(io.LimitReader(file, office.MaxLogo+1))
		if err != nil {
			h.Kit.ErrorPage(w, r, http.StatusBadRequest)
			return
		}
		if len(b) > 0 {
			p.Logo = b
		}
	case errors.Is(ferr, http.ErrMissingFile), errors.Is(ferr, http.ErrNotMultipart):
	default:
		h.Kit.ErrorPage(w, r, http.StatusBadRequest)
		return
	}
	if r.PostFormValue("remove_logo") == "on" {
		p.Logo = nil
	}
	if derr == nil {
		_, err = h.Office.Save(r.Context(), kit.Actor(r), p)
	} else {
		// Check the rest too, so that every mistake shows at once.
		p.Normalize()
		err = kit.MergeFields(kit.FieldsOf(derr), p.Validate())
	}
	switch {
	case err == nil:
		kit.Redirect(w, r, OfficePath+"?done=saved")
		return
	case fault.Is(err, fault.Conflict):
		f.Errors = kit.FieldErrors{"": tr.T("err.stale")}
		h.renderOffice(w, r, http.StatusConflict, f)
		return
	}
	if fe, ok := kit.InvalidFields(tr, err, officeRules); ok {
		f.Errors = fe
		h.renderOffice(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.Kit.Fail(w, r, err)
}

// officeLogo shows the stored logo to the admins editing it.
func (h *Room) officeLogo(w http.ResponseWriter, r *http.Request) {
	p, err := h.Office.Profile(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	if len(p.Logo) == 0 {
		h.Kit.ErrorPage(w, r, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", p.LogoType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(p.Logo)
}

func (h *Room) renderOffice(w http.ResponseWriter, r *http.Request, status int, f officeForm) {
	v := officeView{Form: f, Languages: i18n.Languages, Zone: "UTC"}
	if h.Location != nil {
		v.Zone = h.Location.String()
	}
	_, hasMail := h.Channels.Sender("email")
	_, hasSMS := h.Channels.Sender("sms")
	v.NoEmail, v.NoSMS = !hasMail, !hasSMS
	h.Kit.Render(w, r, status, "office", v)
}
