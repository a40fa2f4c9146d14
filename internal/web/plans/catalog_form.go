package plans

import (
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
)

// typeForm is the new-type and edit-type form.
type typeForm struct {
	ID         int64
	Code       string
	Category   catalog.Category
	Name       catalog.Text
	Indicators []catalog.Text
	Notify     string // comma-separated roles and department codes
	Version    int64
	Errors     kit.FieldErrors
}

// typeView is the page around the form.
type typeView struct {
	Form       typeForm
	Categories []catalog.Category
	IsNew      bool
	CanManage  bool
	CanAudit   bool
}

var (
	typeRules = kit.FieldKeys{
		"code":     "err.type_code",
		"category": "err.choose",
		"name":     "err.type_name",
	}
	typeRefusals = kit.FieldKeys{
		"code": "err.type_code_taken",
	}
)

func typeFormOf(t catalog.Type) typeForm {
	return typeForm{ID: t.ID, Code: t.Code, Category: t.Category, Name: t.Name, Indicators: t.Indicators,
		Notify: strings.Join(t.Notify, ", "), Version: t.Version}
}

// typeFormFrom reads the form; rows left blank are dropped, and add
// asks for one more blank row.
func typeFormFrom(r *http.Request) typeForm {
	f := typeForm{
		Code:     strings.TrimSpace(r.PostFormValue("code")),
		Category: catalog.Category(r.PostFormValue("category")),
		Name: catalog.Text{ZhHant: strings.TrimSpace(r.PostFormValue("name_hant")),
			ZhHans: strings.TrimSpace(r.PostFormValue("name_hans")), En: strings.TrimSpace(r.PostFormValue("name_en"))},
		Notify:  strings.TrimSpace(r.PostFormValue("notify")),
		Version: kit.FormInt(r, "version"),
	}
	for i := range kit.RowCount(r, "indicators") {
		t := catalog.Text{ZhHant: kit.RowField(r, "indicators", i, "hant"), ZhHans: kit.RowField(r, "indicators", i, "hans"), En: kit.RowField(r, "indicators", i, "en")}
		if !t.Empty() && kit.RowField(r, "indicators", i, "remove") == "" {
			f.Indicators = append(f.Indicators, t)
		}
	}
	return f
}

func (f typeForm) toType() catalog.Type {
	return catalog.Type{ID: f.ID, Code: strings.ToLower(f.Code), Category: f.Category, Name: f.Name,
		Indicators: f.Indicators, Notify: kit.SplitList(f.Notify), Version: f.Version}
}

func (h *Room) renderType(w http.ResponseWriter, r *http.Request, status int, f typeForm, isNew bool) {
	if kit.AddRow(r) == "indicators" || len(f.Indicators) == 0 {
		f.Indicators = append(f.Indicators, catalog.Text{})
	}
	h.Kit.Render(w, r, status, "catalog_edit", typeView{
		Form: f, Categories: catalog.Categories, IsNew: isNew,
		CanManage: authz.Can(kit.Role(r), authz.ManageCatalog), CanAudit: authz.Can(kit.Role(r), authz.ViewAudit),
	})
}

// saveType checks the form by the domain's rules, then lets save store
// it; see saveDepartment.
func saveType(tr i18n.Translator, t catalog.Type, save func(catalog.Type) error) (fe kit.FieldErrors, status int, err error) {
	return kit.CheckAndSave(tr, t.Validate(), typeRules, typeRefusals, func() error { return save(t) })
}
