package subscriber

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
)

// big5 encodes s as Big5, as Excel saves a sheet on a Traditional Chinese
// Windows.
func big5(t *testing.T, s string) []byte {
	t.Helper()
	b, err := traditionalchinese.Big5.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode Big5: %v", err)
	}
	if bytes.Equal(b, []byte(s)) {
		t.Fatal("the Big5 fixture came out as UTF-8")
	}
	return b
}

func utf16LE(t *testing.T, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode UTF-16: %v", err)
	}
	return b
}

const chineseList = "channel,address,language,categories,point,district\n" +
	"email,陳大文@example.org,zh-Hant,natural_disaster;public_health,,灣仔區\n" +
	"sms,+852 9123 4567,en,,\"22.28,114.16\",中西區\n"

func TestParseCSV(t *testing.T) {
	t.Parallel()
	type row struct{ channel, address, district string }
	type reject struct {
		line  int
		field string
	}
	cases := []struct {
		name     string
		file     []byte
		want     []row
		rows     int
		rejected []reject
	}{
		{"UTF-8", []byte(chineseList),
			[]row{{"email", "陳大文@example.org", "灣仔區"}, {"sms", "+85291234567", "中西區"}}, 2, nil},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, chineseList...),
			[]row{{"email", "陳大文@example.org", "灣仔區"}, {"sms", "+85291234567", "中西區"}}, 2, nil},
		{"Big5", big5(t, chineseList),
			[]row{{"email", "陳大文@example.org", "灣仔區"}, {"sms", "+85291234567", "中西區"}}, 2, nil},
		{"UTF-16 tab-separated", utf16LE(t, "address\tdistrict\r\nann@example.org\t灣仔區\r\n"),
			[]row{{"email", "ann@example.org", "灣仔區"}}, 1, nil},
		{"semicolons, header in any case and order, unknown columns ignored",
			[]byte("Address;Note;CHANNEL;Categories\nann@Example.ORG;hi;email;accident|public_health\n"),
			[]row{{"email", "ann@example.org", ""}}, 1, nil},
		{"channel inferred from the address",
			[]byte("address,district\nann@example.org,\n+85291234567,\nhttps://hooks.example.org/x,\nnot an address,\n"),
			[]row{{"email", "ann@example.org", ""}, {"sms", "+85291234567", ""}}, 4,
			[]reject{{4, "channel"}, {5, "channel"}}},
		{"broken rows", []byte("channel,address,language,categories,point\n" +
			"email,ann@example.org,en,,\n" +
			"email,not-an-email,en,,\n" +
			"sms,91234567,en,,\n" +
			"sms,+85291234567,fr,,\n" +
			"email,bob@example.org,en,weather,\n" +
			"email,cy@example.org,en,,\"91,200\"\n" +
			"webhook,ftp://example.org/hook,en,,\n" +
			"pigeon,loft 3,en,,\n" +
			"email,ANN@example.org,en,,\n" +
			"email,ann@EXAMPLE.org,en,,\n" +
			"email,\"dee@example.org,en\n"),
			[]row{{"email", "ann@example.org", ""}, {"email", "ANN@example.org", ""}}, 11,
			[]reject{{3, "address"}, {4, "address"}, {5, "language"}, {6, "categories"}, {7, "point"},
				{8, "address"}, {9, "channel"}, {11, "address"}, {12, ""}}},
		{"a short row is read as far as it goes", []byte("address,language,district\nann@example.org\n"),
			[]row{{"email", "ann@example.org", ""}}, 1, nil},
		{"header only", []byte("channel,address\n"), nil, 0, nil},
		{"a district escaped by an export", []byte("address,district\nann@example.org,'=1+1\n"),
			[]row{{"email", "ann@example.org", "=1+1"}}, 1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			subs, rep, err := ParseCSV(bytes.NewReader(c.file), FromImport)
			if err != nil {
				t.Fatalf("ParseCSV: %v", err)
			}
			if len(subs) != len(c.want) {
				t.Fatalf("got %d subscribers %+v, want %d", len(subs), subs, len(c.want))
			}
			for i, w := range c.want {
				s := subs[i]
				if s.Channel != w.channel || s.Address != w.address || s.Area.District != w.district || s.Source != FromImport {
					t.Errorf("row %d = %s %q %q %s, want %+v", i, s.Channel, s.Address, s.Area.District, s.Source, w)
				}
			}
			if rep.Rows != c.rows || len(rep.Rejected) != len(c.rejected) {
				t.Fatalf("report %+v: want %d rows, %d rejected", rep, c.rows, len(c.rejected))
			}
			for i, w := range c.rejected {
				got := rep.Rejected[i]
				if got.Line != w.line || got.Field != w.field || got.Reason == "" {
					t.Errorf("rejected[%d] = %+v, want line %d field %q", i, got, w.line, w.field)
				}
			}
		})
	}
}

func TestParseCSVDetails(t *testing.T) {
	t.Parallel()
	subs, rep, err := ParseCSV(strings.NewReader(chineseList), FromImport)
	if err != nil || len(subs) != 2 || rep.Rejected == nil {
		t.Fatalf("ParseCSV: %v %+v %+v", err, subs, rep)
	}
	email, sms := subs[0], subs[1]
	if email.Language != "zh-Hant" || len(email.Categories) != 2 || email.Categories[1] != catalog.PublicHealth {
		t.Errorf("e-mail row %+v", email)
	}
	if sms.Area.Point == nil || sms.Area.Point.Lat != 22.28 || sms.Area.Point.Lon != 114.16 || sms.Language != "en" {
		t.Errorf("SMS row %+v", sms)
	}
	// A row with several bad fields names the first and tells them all.
	_, rep, _ = ParseCSV(strings.NewReader("channel,address,language\nemail,nobody,xx\n"), FromImport)
	if len(rep.Rejected) != 1 || rep.Rejected[0].Field != "address" || !strings.Contains(rep.Rejected[0].Reason, "language:") {
		t.Errorf("several bad fields: %+v", rep.Rejected)
	}
	// A duplicate names the line it repeats.
	_, rep, _ = ParseCSV(strings.NewReader("address\n+852 9123 4567\n+85291234567\n"), FromImport)
	if len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 || !strings.Contains(rep.Rejected[0].Reason, "line 2") {
		t.Errorf("duplicate: %+v", rep.Rejected)
	}
}

func TestParseCSVRefusesWhatIsNotAList(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, file, want string
	}{
		{"empty", "", "empty"},
		{"no address column", "name,phone\nAnn,+85291234567\n", "no address column"},
		{"a column twice", "address,Address\nann@example.org,x\n", "twice"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"},
		{"broken header", "\"address,channel\n", "not a CSV file"},
	}
	for _, c := range cases {
		_, _, err := ParseCSV(strings.NewReader(c.file), FromImport)
		if !fault.Is(err, fault.Invalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an invalid error saying %q", c.name, err, c.want)
		}
	}
}

func TestWriteCSVRoundTrips(t *testing.T) {
	t.Parallel()
	subs, _, err := ParseCSV(strings.NewReader(chineseList+"webhook,https://hooks.example.org/in,en,,,\"=HYPERLINK(\"\"x\"\")\"\n"), FromImport)
	if err != nil || len(subs) != 3 {
		t.Fatalf("ParseCSV: %v %d", err, len(subs))
	}
	created := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	for i := range subs {
		subs[i].Status, subs[i].CreatedAt = Active, created
	}
	subs[2].Secret = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"
	var buf bytes.Buffer
	if err := WriteCSV(&buf, subs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// An export is personal data handed around; a signing secret would let
	// anyone who holds it forge our webhooks.
	if strings.Contains(out, "whsec_") || strings.Contains(out, SecretColumn) {
		t.Errorf("the export holds a secret:\n%s", out)
	}
	if !strings.HasPrefix(out, "\uFEFFchannel,address,language,categories,point,district,status,source,created_at,confirmed_at\n") {
		t.Fatalf("export header: %q", out[:min(len(out), 120)])
	}
	for _, want := range []string{"陳大文@example.org", "natural_disaster;public_health", `"22.28,114.16"`, "灣仔區", `'=HYPERLINK`, "2026-07-01T08:00:00Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %s:\n%s", want, out)
		}
	}
	again, rep, err := ParseCSV(&buf, FromImport)
	if err != nil || len(again) != len(subs) || len(rep.Rejected) != 0 {
		t.Fatalf("re-import: %v %d %+v", err, len(again), rep)
	}
	for i := range subs {
		a, b := subs[i], again[i]
		if a.Channel != b.Channel || a.Address != b.Address || a.Language != b.Language || len(a.Categories) != len(b.Categories) ||
			a.Area.District != b.Area.District || (a.Area.Point == nil) != (b.Area.Point == nil) {
			t.Errorf("row %d changed on the way round: %+v → %+v", i, a, b)
		}
	}
}

func TestParseCSVSecretColumn(t *testing.T) {
	t.Parallel()
	const given = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"
	cases := []struct {
		name, file string
		secret     string // of the one row read, if any
		field      string // of the one row refused, if any
	}{
		{"a webhook row gives its secret", "channel,address,secret\nwebhook,https://hooks.example.org/a, " + given + " \n", given, ""},
		{"a webhook row without one", "channel,address,secret\nwebhook,https://hooks.example.org/a,\n", "", ""},
		{"no secret column", "channel,address\nwebhook,https://hooks.example.org/a\n", "", ""},
		{"an e-mail row with an empty secret", "channel,address,secret\nemail,ann@example.org,\n", "", ""},
		{"an e-mail row with a secret", "channel,address,secret\nemail,ann@example.org," + given + "\n", "", "secret"},
		{"an inferred SMS row with a secret", "Secret,address\n" + given + ",+85291234567\n", "", "secret"},
		{"a bad address wins over a misplaced secret", "channel,address,secret\nemail,nobody," + given + "\n", "", "address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			subs, rep, err := ParseCSV(strings.NewReader(c.file), FromImport)
			if err != nil || rep.Rows != 1 {
				t.Fatalf("ParseCSV: %v %+v", err, rep)
			}
			if c.field != "" {
				if len(subs) != 0 || len(rep.Rejected) != 1 || rep.Rejected[0].Field != c.field || rep.Rejected[0].Line != 2 {
					t.Fatalf("got %+v, rejected %+v; want line 2 refused for %s", subs, rep.Rejected, c.field)
				}
				if c.field == "secret" && !strings.Contains(rep.Rejected[0].Reason, "webhook") {
					t.Errorf("reason %q does not say only a webhook takes a secret", rep.Rejected[0].Reason)
				}
				return
			}
			if len(subs) != 1 || len(rep.Rejected) != 0 || subs[0].Secret != c.secret {
				t.Fatalf("got %+v, rejected %+v; want one row with secret %q", subs, rep.Rejected, c.secret)
			}
		})
	}
}

func TestWebhookSecrets(t *testing.T) {
	t.Parallel()
	file := "channel,address,secret\n" +
		"email,ann@example.org,\n" + // line 2
		"webhook,https://hooks.example.org/given,whsec_good\n" + // 3
		"email,nobody,\n" + // 4: refused by ParseCSV
		"webhook,https://hooks.example.org/made,\n" + // 5
		"webhook,https://hooks.example.org/bad,whsec_bad\n" + // 6
		"webhook,https://hooks.example.org/also-made,\n" // 7
	rows, rep, err := ParseCSV(strings.NewReader(file), FromImport)
	if err != nil || len(rows) != 5 || len(rep.Rejected) != 1 {
		t.Fatalf("ParseCSV: %v %d %+v", err, len(rows), rep)
	}
	var checked []string
	check := func(s string) (string, error) {
		checked = append(checked, s)
		if s == "whsec_bad" {
			return "", errors.New("webhook secret: 3 bytes is too short")
		}
		return s + "=", nil // the caller may store a secret in its own form
	}
	made := 0
	generate := func() (string, error) {
		made++
		return "whsec_made" + strconv.Itoa(made), nil
	}
	rows, rep, err = WebhookSecrets(rows, rep, check, generate)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(checked, " ") != "whsec_good whsec_bad" {
		t.Errorf("checked %v, want only the given secrets", checked)
	}
	want := []struct{ address, secret string }{
		{"ann@example.org", ""},
		{"https://hooks.example.org/given", "whsec_good="},
		{"https://hooks.example.org/made", "whsec_made1"},
		{"https://hooks.example.org/also-made", "whsec_made2"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %+v", rows)
	}
	for i, w := range want {
		if rows[i].Address != w.address || rows[i].Secret != w.secret {
			t.Errorf("row %d = %s %q, want %+v", i, rows[i].Address, rows[i].Secret, w)
		}
	}
	if rep.Rows != 6 || len(rep.Rejected) != 2 || rep.Rejected[0].Line != 4 ||
		rep.Rejected[1].Line != 6 || rep.Rejected[1].Field != "secret" || !strings.Contains(rep.Rejected[1].Reason, "too short") {
		t.Errorf("report %+v", rep)
	}
	wantSecrets := []GeneratedSecret{{5, "https://hooks.example.org/made", "whsec_made1"}, {7, "https://hooks.example.org/also-made", "whsec_made2"}}
	if !slices.Equal(rep.Secrets, wantSecrets) {
		t.Errorf("secrets %+v, want %+v", rep.Secrets, wantSecrets)
	}
	// The report's JSON lists the made secrets only, and none when none
	// was made.
	b, err := json.Marshal(rep)
	if err != nil || strings.Contains(string(b), "whsec_good") || !strings.Contains(string(b), `"secrets":[{"line":5,`) {
		t.Errorf("JSON %s %v", b, err)
	}
	if b, _ := json.Marshal(ImportReport{Rejected: []RejectRow{}}); strings.Contains(string(b), "secrets") {
		t.Errorf("an import without made secrets: %s", b)
	}

	// A secret that cannot be made stops the import.
	rows, rep, _ = ParseCSV(strings.NewReader(file), FromImport)
	if _, _, err := WebhookSecrets(rows, rep, check, func() (string, error) { return "", errors.New("no entropy") }); err == nil {
		t.Error("a failed secret is not an error")
	}
}

// TestExportNeutralisesFormulasAndRoundTrips exports subscribers whose
// every kind of cell a spreadsheet would run: a sign-up address that is a
// DDE formula, a phone number (+), a southern latitude (-), a district
// typed as a formula. Each is written with a leading apostrophe, and the
// import reads each back as it was.
func TestExportNeutralisesFormulasAndRoundTrips(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	var subs []Subscriber
	for _, r := range []Request{
		{Channel: "email", Address: "=cmd|'/Ccalc'!A0@example.com", Language: "en"},
		{Channel: "sms", Address: "+85291234567", Language: "en", District: "@SUM(1+1)*cmd|' /C calc'!A0"},
		{Channel: "email", Address: "-rain@example.org", Language: "en", Point: "-33.87,151.21"},
		{Channel: "email", Address: "ann@example.org", Language: "en", District: "'=quoted"},
	} {
		s, err := r.Validate(FromPublic)
		if err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		s.Status, s.CreatedAt = Active, created
		subs = append(subs, s)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, subs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), bomUTF8))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{ // address, then district or point
		{"'=cmd|'/Ccalc'!A0@example.com", ""},
		{"'+85291234567", "'@SUM(1+1)*cmd|' /C calc'!A0"},
		{"'-rain@example.org", "'-33.87,151.21"},
		{"ann@example.org", "''=quoted"},
	}
	for i, w := range want {
		row := rows[i+1]
		other := row[5]
		if i == 2 {
			other = row[4]
		}
		if row[1] != w[0] || other != w[1] {
			t.Errorf("row %d: %q / %q, want %q / %q", i+1, row[1], other, w[0], w[1])
		}
		for j, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("row %d column %d would run as a formula: %q", i+1, j, c)
			}
		}
	}
	again, rep, err := ParseCSV(&buf, FromImport)
	if err != nil || len(again) != len(subs) || len(rep.Rejected) != 0 {
		t.Fatalf("re-import: %v %d %+v", err, len(again), rep)
	}
	for i := range subs {
		a, b := subs[i], again[i]
		pt := func(s Subscriber) string {
			if s.Area.Point == nil {
				return ""
			}
			return s.Area.Point.String()
		}
		if a.Address != b.Address || a.Area.District != b.Area.District || pt(a) != pt(b) {
			t.Errorf("row %d changed on the way round: %q %q %v → %q %q %v", i, a.Address, a.Area.District, a.Area.Point,
				b.Address, b.Area.District, b.Area.Point)
		}
	}
}
