package subscriber

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/medium"
	"crisisdesk/internal/sheet"
)

// CSVColumns are the columns an import reads and an export writes first.
// Only address is required; channel may be left out when every address is
// an e-mail address or a phone number.
var CSVColumns = []string{"channel", "address", "language", "categories", "point", "district"}

// SecretColumn is an optional import column: the signing secret of a
// webhook row. An export never writes it, so it is not in CSVColumns.
const SecretColumn = "secret"

// exportColumns follow CSVColumns in an export; an import ignores them, so
// an export can be imported again.
var exportColumns = []string{"status", "source", "created_at", "confirmed_at"}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// ParseCSV reads an admin's list of subscribers. The file may be UTF-8
// (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's
// "Unicode text") or Big5, and comma-, semicolon- or tab-separated; its
// first row names the columns (CSVColumns, in any order and case; others are
// ignored; SecretColumn may give a webhook row's signing secret, for
// WebhookSecrets to check). Categories are separated by ";" or "|". Every
// cell goes through sheet.Restore, which removes the apostrophe an export
// puts before a value a spreadsheet could run (+85291234567 is exported as
// '+85291234567), and one typed in a spreadsheet to keep a value text.
//
// Each row is checked with Request.Validate; a refused row, and a repeat of
// an address already read, goes to the report's Rejected with its line
// number and field, and the others are returned for Service.Import with
// the report's Rows and Rejected filled in. A file that cannot be read as
// CSV, or has no address column, is an invalid error.
func ParseCSV(r io.Reader, source Source) ([]Subscriber, ImportReport, error) {
	rep := ImportReport{Rejected: []RejectRow{}}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, rep, fmt.Errorf("read the CSV file: %w", err)
	}
	text, err := decodeText(raw)
	if err != nil {
		return nil, rep, err
	}
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = sniffComma(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, rep, fault.New(fault.Invalid, "the file is empty: its first row must name the columns, e.g. %s", strings.Join(CSVColumns, ","))
	case err != nil:
		return nil, rep, fault.New(fault.Invalid, "not a CSV file: %v", err)
	}
	cols, err := columns(header)
	if err != nil {
		return nil, rep, err
	}
	var out []Subscriber
	seen := map[string]int{} // channel + address → first line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rep.Rows++
			rep.Rejected = append(rep.Rejected, RejectRow{Line: pe.StartLine, Reason: "not valid CSV: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, rep, fmt.Errorf("read the CSV file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rep.Rows++
		s, reject := parseRow(rec, cols, source)
		if reject != nil {
			reject.Line = line
			rep.Rejected = append(rep.Rejected, *reject)
			continue
		}
		key := s.Channel + " " + s.Address
		if first, ok := seen[key]; ok {
			rep.Rejected = append(rep.Rejected, RejectRow{Line: line, Field: "address",
				Reason: fmt.Sprintf("%s is already on line %d", s.Address, first)})
			continue
		}
		seen[key] = line
		out = append(out, s)
		rep.lines = append(rep.lines, line)
	}
	return out, rep, nil
}

// decodeText returns the file as UTF-8: a byte-order mark decides, then
// valid UTF-8 is taken as it is and anything else is read as Big5.
func decodeText(raw []byte) ([]byte, error) {
	var err error
	switch {
	case bytes.HasPrefix(raw, bomUTF8):
		raw = raw[len(bomUTF8):]
	case bytes.HasPrefix(raw, bomUTF16LE), bytes.HasPrefix(raw, bomUTF16BE):
		raw, err = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return nil, fault.New(fault.Invalid, "the file starts as UTF-16 but is not: %v", err)
		}
	case utf8.Valid(raw):
	default:
		raw, err = traditionalchinese.Big5.NewDecoder().Bytes(raw)
		if err != nil {
			return nil, fault.New(fault.Invalid, "the file is neither UTF-8 nor Big5: %v", err)
		}
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return nil, fault.New(fault.Invalid, "not a CSV file: it holds binary data (save the sheet as CSV UTF-8)")
	}
	return raw, nil
}

// sniffComma picks the separator the header row uses most: a comma, a
// semicolon (Excel in many European locales) or a tab (Excel's "Unicode
// text").
func sniffComma(text []byte) rune {
	first, _, _ := bytes.Cut(text, []byte("\n"))
	comma, best := ',', bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if n := bytes.Count(first, []byte(string(c))); n > best {
			comma, best = c, n
		}
	}
	return comma
}

// columns maps each known column to its index in the header.
func columns(header []string) (map[string]int, error) {
	cols := map[string]int{}
	var names []string
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		names = append(names, name)
		if name == "" {
			continue
		}
		if _, dup := cols[name]; dup {
			return nil, fault.New(fault.Invalid, "the header names the column %q twice", name)
		}
		cols[name] = i
	}
	if _, ok := cols["address"]; !ok {
		return nil, fault.New(fault.Invalid, "the header has no address column (it has %q); the first row must name the columns, e.g. %s",
			strings.Join(names, ","), strings.Join(CSVColumns, ","))
	}
	return cols, nil
}

// csvField is the column a Validate field comes from.
var csvField = map[string]string{"area.point": "point", "area.district": "district"}

// parseRow validates one record; a refused one comes back as a RejectRow
// without its line.
func parseRow(rec []string, cols map[string]int, source Source) (Subscriber, *RejectRow) {
	// Every cell is restored (sheet.Restore): an export writes a value a
	// spreadsheet could take for a formula, such as +85291234567, with a
	// leading apostrophe.
	cell := func(name string) string {
		i, ok := cols[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return sheet.Restore(strings.TrimSpace(rec[i]))
	}
	req := Request{Channel: strings.ToLower(cell("channel")), Address: cell("address"), Language: cell("language"),
		Point: cell("point"), District: cell("district")}
	req.Categories = append(req.Categories, strings.FieldsFunc(cell("categories"), func(r rune) bool { return r == ';' || r == '|' })...)
	if req.Channel == "" {
		ch, ok := inferChannel(req.Address)
		if !ok {
			return Subscriber{}, &RejectRow{Field: "channel", Reason: fmt.Sprintf(
				"cannot tell the channel of %q: add a channel column (email, sms or webhook)", req.Address)}
		}
		req.Channel = ch
	}
	s, err := req.Validate(source)
	if err == nil {
		if secret := cell(SecretColumn); secret != "" {
			if s.Channel != medium.Webhook {
				return Subscriber{}, &RejectRow{Field: SecretColumn, Reason: fmt.Sprintf(
					"only a webhook row takes a secret, and this one is %s: leave the cell empty", s.Channel)}
			}
			s.Secret = secret
		}
		return s, nil
	}
	fields := fault.FieldsOf(err)
	if len(fields) == 0 {
		return Subscriber{}, &RejectRow{Reason: err.Error()}
	}
	name := func(f *fault.Error) string {
		if c, ok := csvField[f.Field]; ok {
			return c
		}
		return f.Field
	}
	rej := &RejectRow{Field: name(fields[0]), Reason: fields[0].Message}
	for _, f := range fields[1:] {
		rej.Reason += "; " + name(f) + ": " + f.Message
	}
	return Subscriber{}, rej
}

// WebhookSecrets gives each webhook row that ParseCSV returned its signing
// secret, before Import. A secret the file gave is checked with check, which
// returns it as it is to be stored; a refused one rejects its row with the
// field "secret". A row without one gets one from generate, listed in the
// report's Secrets so that it can be handed to the receiver. The format of
// a secret belongs to the webhook channel, which the caller knows and this
// package does not import.
func WebhookSecrets(rows []Subscriber, rep ImportReport, check func(string) (string, error),
	generate func() (string, error)) ([]Subscriber, ImportReport, error) {
	out := make([]Subscriber, 0, len(rows))
	lines := make([]int, 0, len(rows))
	refused := false
	for i, s := range rows {
		line := 0
		if i < len(rep.lines) {
			line = rep.lines[i]
		}
		if s.Channel == medium.Webhook {
			if s.Secret != "" {
				secret, err := check(s.Secret)
				if err != nil {
					rep.Rejected = append(rep.Rejected, RejectRow{Line: line, Field: SecretColumn, Reason: err.Error()})
					refused = true
					continue
				}
				s.Secret = secret
			} else {
				secret, err := generate()
				if err != nil {
					return nil, rep, err
				}
				s.Secret = secret
				rep.Secrets = append(rep.Secrets, GeneratedSecret{Line: line, Address: s.Address, Secret: secret})
			}
		}
		out = append(out, s)
		lines = append(lines, line)
	}
	if refused {
		// The refused rows read in the order of the file.
		slices.SortStableFunc(rep.Rejected, func(a, b RejectRow) int { return a.Line - b.Line })
	}
	rep.lines = lines
	return out, rep, nil
}

// inferChannel tells an e-mail address or a phone number by its look.
func inferChannel(addr string) (string, bool) {
	switch {
	case addr == "":
		return "", false
	case strings.Contains(addr, "@"):
		return medium.Email, true
	}
	if _, err := NormalizePhone(addr); err == nil {
		return medium.SMS, true
	}
	return "", false
}

// WriteCSV writes subscribers for an export as CSV (sheet.CSVWriter: UTF-8
// with a byte-order mark, formulas neutralised); see WriteExport.
func WriteCSV(w io.Writer, subs []Subscriber) error {
	cw, err := sheet.NewCSV(w)
	if err != nil {
		return err
	}
	if err := WriteExport(cw, subs); err != nil {
		return err
	}
	return cw.Close()
}

// WriteExport writes subscribers for an export to w, a writer of package
// sheet (CSV or XLSX), which neutralises every cell a spreadsheet could
// take for a formula: CSVColumns then status, source and dates. ParseCSV
// restores such cells (sheet.Restore), so an export can be imported again:
// a phone number exported as '+85291234567 comes back as +85291234567.
// The writer is not closed.
func WriteExport(w sheet.Writer, subs []Subscriber) error {
	if err := w.Write(append(append([]string(nil), CSVColumns...), exportColumns...)...); err != nil {
		return err
	}
	for _, s := range subs {
		cats := make([]string, len(s.Categories))
		for i, c := range s.Categories {
			cats[i] = string(c)
		}
		point := ""
		if s.Area.Point != nil {
			point = s.Area.Point.String()
		}
		confirmed := ""
		if !s.ConfirmedAt.IsZero() {
			confirmed = s.ConfirmedAt.UTC().Format("2006-01-02T15:04:05Z")
		}
		if err := w.Write(s.Channel, s.Address, s.Language, strings.Join(cats, ";"), point,
			s.Area.District, string(s.Status), string(s.Source),
			s.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), confirmed); err != nil {
			return err
		}
	}
	return nil
}
