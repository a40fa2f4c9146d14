package subscribers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/subscriber"
)

// The subscriber list in and out as CSV: the import staff send and the
// export that hands out personal data, audited first.

// MaxImportBytes bounds a subscriber import: some 200,000 rows.
const MaxImportBytes = 16 << 20

type importSubscribersInput struct {
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"text/csv"`
}

type importReportOutput struct {
	Body subscriber.ImportReport
}

// documentImportForm documents the multipart form of an import. It is
// added once the operation is registered: a form schema known to huma at
// registration would make it decode every body, a CSV one too, as a form.
func documentImportForm(doc *huma.OpenAPI) {
	item := doc.Paths["/subscribers/import"]
	if item == nil || item.Post == nil || item.Post.RequestBody == nil {
		return
	}
	if mt := item.Post.RequestBody.Content["multipart/form-data"]; mt != nil {
		mt.Schema = &huma.Schema{Type: huma.TypeObject, Required: []string{"file"}, Properties: map[string]*huma.Schema{
			"file": {Type: huma.TypeString, Format: "binary", Description: "The CSV file"},
		}}
	}
}

// importSubscribers adds or updates active subscribers from a CSV file.
// An imported webhook subscriber takes the secret its row gives, checked as
// a registered endpoint's is, or gets one made, as a staff-made one does;
// the made ones are in the report, once, for the receivers.
func (r *Room) importSubscribers(ctx context.Context, in *importSubscribersInput) (*importReportOutput, error) {
	file, err := csvFile(in.ContentType, in.RawBody)
	if err != nil {
		return nil, err
	}
	rows, rep, err := subscriber.ParseCSV(file, subscriber.FromImport)
	if err != nil {
		return nil, err
	}
	rows, rep, err = subscriber.WebhookSecrets(rows, rep, r.importSecret, r.newSecret)
	if err != nil {
		return nil, err
	}
	rep, err = r.Signup.Service.Import(ctx, kit.Actor(ctx), rows, rep)
	if err != nil {
		return nil, err
	}
	return &importReportOutput{Body: rep}, nil
}

// importSecret checks a secret given in an import file as a registered
// endpoint's is; the reason goes to the row's rejection, which names the
// column itself.
func (r *Room) importSecret(given string) (string, error) {
	s, err := r.secret(given)
	var fe *fault.Error
	if errors.As(err, &fe) && fe.Field != "" {
		return "", errors.New(fe.Message)
	}
	return s, err
}

// csvFile finds the CSV file in a request body: the body itself, or the
// first file of a multipart form.
func csvFile(contentType string, body []byte) (io.Reader, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/csv", "application/csv", "text/plain":
		return bytes.NewReader(body), nil
	case "multipart/form-data":
	default:
		return nil, huma.Error415UnsupportedMediaType("send the CSV file as text/csv, or as the field file of a multipart/form-data form")
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, fault.Field("body.file", "the form has no file: send the CSV as the field file")
		}
		if err != nil {
			return nil, fault.New(fault.Invalid, "not a multipart form: %v", err)
		}
		if part.FormName() == "file" || part.FileName() != "" {
			data, err := io.ReadAll(part)
			if err != nil {
				return nil, fault.Field("body.file", "cannot read the file: %v", err)
			}
			return bytes.NewReader(data), nil
		}
	}
}

type exportSubscribersInput struct {
	Channel kit.ChannelName  `query:"channel"`
	Status  subscriberStatus `query:"status"`
}

type csvOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// csvResponse documents a CSV answer in the OpenAPI document.
func csvResponse() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {
		Description: "CSV, UTF-8 with a byte-order mark; the columns an import reads first",
		Content:     map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: huma.TypeString}}},
	}}
}

// exportBatch is how many subscribers an export reads at a time.
const exportBatch = 1000

// exportDetail is what the audit trail keeps of an export, as the staff
// UI records it.
type exportDetail struct {
	Filter exportFilter `json:"filter"`
	Rows   int          `json:"rows"`
}

// exportFilter is the filter an export used; "" is no filter. The API's
// export has no search.
type exportFilter struct {
	Query   string `json:"q"`
	Channel string `json:"channel"`
	Status  string `json:"status"`
}

// exportSubscribers records the export in the audit trail before it hands
// out the file; if that fails, there is no file.
func (r *Room) exportSubscribers(ctx context.Context, in *exportSubscribersInput) (*csvOutput, error) {
	var all []subscriber.Subscriber
	for after := int64(0); ; {
		subs, _, err := r.Signup.Service.List(ctx, subscriber.Filter{Channel: string(in.Channel), Status: subscriber.Status(in.Status),
			AfterID: after, Limit: exportBatch})
		if err != nil {
			return nil, err
		}
		all = append(all, subs...)
		if len(subs) < exportBatch {
			break
		}
		after = subs[len(subs)-1].ID
	}
	var buf bytes.Buffer
	if err := subscriber.WriteCSV(&buf, all); err != nil {
		return nil, err
	}
	// Personal data leaves only once the trail says who took it.
	if err := r.Audit.Record(ctx, kit.Actor(ctx), "subscriber.export", "subscriber", "", exportDetail{
		Filter: exportFilter{Channel: string(in.Channel), Status: string(in.Status)}, Rows: len(all)}); err != nil {
		return nil, fmt.Errorf("record subscriber export: %w", err)
	}
	name := "subscribers-" + r.Clock.Now().UTC().Format("20060102") + ".csv"
	return &csvOutput{ContentType: "text/csv; charset=utf-8", ContentDisposition: `attachment; filename="` + name + `"`,
		Body: buf.Bytes()}, nil
}
