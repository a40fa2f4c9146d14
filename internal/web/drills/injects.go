package drills

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/drill"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/sheet"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/web/kit"
)

// maxImport bounds an uploaded inject list; an MSEL has dozens of rows.
const maxImport = 2 << 20

// injectForm is the add-an-inject form on the drill page.
type injectForm struct {
	Offset, At, From, To, Channel, Message, Expected string
	Errors                                           kit.FieldErrors
}

var injectRules = kit.FieldKeys{
	"offset":   "drill.err.inject_time",
	"at":       "drill.err.inject_time",
	"from":     "drill.err.inject_from",
	"to":       "drill.err.inject_to",
	"channel":  "err.choose",
	"message":  "drill.err.inject_message",
	"expected": "err.invalid",
	"file":     "drill.err.import_file",
}

func injectFormFrom(r *http.Request) injectForm {
	return injectForm{Offset: strings.TrimSpace(r.PostFormValue("offset")), At: strings.TrimSpace(r.PostFormValue("at")),
		From: r.PostFormValue("from"), To: r.PostFormValue("to"), Channel: r.PostFormValue("channel"),
		Message: r.PostFormValue("message"), Expected: r.PostFormValue("expected")}
}

// inject reads the form; what does not parse is reported on its field.
func (h *Room) inject(f injectForm) (drill.Inject, fault.Fields) {
	var bad fault.Fields
	i := drill.Inject{From: f.From, To: f.To, Channel: f.Channel, Message: f.Message, Expected: f.Expected}
	switch {
	case f.Offset != "":
		d, err := drill.ParseOffset(f.Offset)
		if err != nil {
			bad.Add("offset", "%v", err)
		}
		i.Relative, i.Offset = true, d
	case f.At != "":
		t, err := time.ParseInLocation(datetimeLocal, f.At, h.Kit.Location())
		if err != nil {
			bad.Add("at", "not a time")
		}
		i.At = t.UTC()
	}
	return i, bad
}

func (h *Room) addInject(w http.ResponseWriter, r *http.Request) {
	d, ok := h.load(w, r)
	if !ok {
		return
	}
	f := injectFormFrom(r)
	in, bad := h.inject(f)
	err := kit.MergeFields(bad, nil)
	if err == nil {
		_, err = h.Drills.AddInject(r.Context(), kit.Actor(r), d.ID, in)
	}
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(d.ID)+"?done=drill_inject_added#drill-injects")
		return
	}
	fe, ok := kit.InvalidFields(h.Kit.T(r), err, injectRules)
	if !ok {
		h.Kit.Fail(w, r, err)
		return
	}
	f.Errors = fe
	h.renderDrillWith(w, r, http.StatusUnprocessableEntity, d, safetyFormOf(d), f)
}

func (h *Room) fireInject(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_inject_fired", func(int64) (drill.Drill, error) {
		_, err := h.Drills.FireInject(r.Context(), kit.Actor(r), kit.FormInt(r, "inject_id"))
		return drill.Drill{}, err
	})
}

func (h *Room) skipInject(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_inject_skipped", func(int64) (drill.Drill, error) {
		_, err := h.Drills.SkipInject(r.Context(), kit.Actor(r), kit.FormInt(r, "inject_id"))
		return drill.Drill{}, err
	})
}

func (h *Room) pause(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_paused", func(id int64) (drill.Drill, error) { return h.Drills.Pause(r.Context(), kit.Actor(r), id) })
}

func (h *Room) resume(w http.ResponseWriter, r *http.Request) {
	h.act(w, r, "drill_resumed", func(id int64) (drill.Drill, error) { return h.Drills.Resume(r.Context(), kit.Actor(r), id) })
}

// exportInjects sends the inject list as CSV or XLSX, in the columns an
// import reads.
func (h *Room) exportInjects(w http.ResponseWriter, r *http.Request) {
	d, ok := h.load(w, r)
	if !ok {
		return
	}
	list, err := h.Drills.Injects(r.Context(), d.ID)
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	format := kit.ExportFormat(r)
	var buf bytes.Buffer
	err = kit.WriteExport(&buf, format, "MSEL", func(sw sheet.Writer) error {
		if err := sw.Write(drill.MSELColumns...); err != nil {
			return err
		}
		for _, i := range list {
			if err := sw.Write(drill.MSELRow(i)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	kit.SendExport(w, format, "drill-"+kit.Itoa(d.ID)+"-injects", buf.Bytes())
}

// importInjects reads an uploaded CSV or XLSX inject list and adds every
// row, or none.
func (h *Room) importInjects(w http.ResponseWriter, r *http.Request) {
	d, ok := h.load(w, r)
	if !ok {
		return
	}
	tr := h.Kit.T(r)
	err := h.readImport(r, d)
	if err == nil {
		kit.Redirect(w, r, Path+"/"+kit.Itoa(d.ID)+"?done=drill_imported#drill-injects")
		return
	}
	if !fault.Is(err, fault.Invalid) && !fault.Is(err, fault.Conflict) {
		h.Kit.Fail(w, r, err)
		return
	}
	f := injectForm{Errors: importErrors(tr, err)}
	h.renderDrillWith(w, r, http.StatusUnprocessableEntity, d, safetyFormOf(d), f)
}

func (h *Room) readImport(r *http.Request, d drill.Drill) error {
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
	list, err := drill.ParseMSEL(rows, h.Kit.Location())
	if err == nil {
		_, err = h.Drills.ImportInjects(r.Context(), kit.Actor(r), d.ID, list)
	}
	return err
}

// importErrors explains a refused import: the rows at fault, each with
// its field, or the file as a whole.
func importErrors(tr i18n.Translator, err error) kit.FieldErrors {
	if fault.Is(err, fault.Conflict) {
		return kit.FieldErrors{"import": tr.T("drill.err.import_started")}
	}
	var lines []string
	for _, fe := range kit.FieldsOf(err) {
		if fe.Field == "file" {
			return kit.FieldErrors{"import": tr.T("drill.err.import_file")}
		}
		lines = append(lines, fe.Field)
	}
	return kit.FieldErrors{"import": tr.T("drill.err.import_rows", "Rows", strings.Join(lines, ", "))}
}
