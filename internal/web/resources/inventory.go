package resources

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/resource"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/web/kit"
)

// inventoryView is the inventory page.
type inventoryView struct {
	Items     []resource.Item
	People    []resource.Person
	Soon      map[int64]bool // ends within the review's window
	CanManage bool
	Errors    kit.FieldErrors // of the import
}

// FormErrors implements kit.Form.
func (v inventoryView) FormErrors() kit.FieldErrors { return v.Errors }

func (h *Room) inventoryPage(w http.ResponseWriter, r *http.Request) {
	h.renderInventory(w, r, http.StatusOK, nil)
}

func (h *Room) renderInventory(w http.ResponseWriter, r *http.Request, status int, fe kit.FieldErrors) {
	ctx := r.Context()
	items, err := h.Resources.Items(ctx)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	people, err := h.People.Available(ctx, h.Kit.Now())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	v := inventoryView{Items: items, People: people, Soon: map[int64]bool{}, CanManage: authz.Can(kit.Role(r), authz.ManageResources), Errors: fe}
	for _, it := range resource.FindShortfalls(items, nil, h.Kit.Now()).Expiring {
		v.Soon[it.ID] = true
	}
	h.Kit.Render(w, r, status, "resources", v)
}

// exportItems sends the inventory as CSV or XLSX, in the columns an
// import reads.
func (h *Room) exportItems(w http.ResponseWriter, r *http.Request) {
	items, err := h.Resources.Items(r.Context())
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "Inventory", func(sw sheet.Writer) error {
		if err := sw.Write(resource.ItemColumns...); err != nil {
			return err
		}
		for _, it := range items {
			if err := sw.Write(resource.ItemRow(it)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "inventory", buf.Bytes())
}

// importItems reads an uploaded inventory sheet (CSV or XLSX) and adds or
// updates every row, or none.
func (h *Room) importItems(w http.ResponseWriter, r *http.Request) {
	err := h.readImport(r)
	if err == nil {
		kit.Redirect(w, r, Path+"?done=resource_imported")
		return
	}
	if !fault.Is(err, fault.Invalid) {
		h.Kit.Fail(w, r, err)
		return
	}
	tr := h.Kit.T(r)
	var cells []string
	for _, fe := range kit.FieldsOf(err) {
		if fe.Field == "file" {
			h.renderInventory(w, r, http.StatusUnprocessableEntity, kit.FieldErrors{"file": tr.T("resource.err.import_file")})
			return
		}
		cells = append(cells, fe.Field)
	}
	h.renderInventory(w, r, http.StatusUnprocessableEntity, kit.FieldErrors{"file": tr.T("resource.err.import_rows", "Rows", strings.Join(cells, ", "))})
}

func (h *Room) readImport(r *http.Request) error {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fault.Field("file", "choose a CSV or XLSX file")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxImport+1))
	if err != nil || len(data) > maxImport {
		return fault.Field("file", "the file is too large")
	}
	var rows [][]string
	if strings.HasSuffix(strings.ToLower(hdr.Filename), ".xlsx") {
		rows, err = xlsx.Read(bytes.NewReader(data))
	} else {
		rows, err = sheet.ReadCSV(bytes.NewReader(data))
	}
	if err != nil {
		return fault.Field("file", "%v", err)
	}
	list, err := resource.ParseItems(rows)
	if err == nil {
		_, err = h.Resources.ImportItems(r.Context(), kit.Actor(r), list)
	}
	return err
}
