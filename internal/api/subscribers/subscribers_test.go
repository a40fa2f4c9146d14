package subscribers_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/traditionalchinese"

	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/api/subscribers"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
	"crisisdesk/internal/subscriber"
)

func TestStaffSubscribers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		create := []struct {
			name, who, body string
			want            int
			loc             string
		}{
			{"e-mail", "admin", `{"channel":"email","address":"john@example.org","language":"en","point":"22.28,114.16"}`, 201, ""},
			{"SMS", "admin", `{"channel":"sms","address":"+852 9123 5678","district":"灣仔區"}`, 201, ""},
			{"webhook inside the network", "admin", `{"channel":"webhook","address":"http://10.0.0.1:8080/partner/in?x=1"}`, 201, ""},
			{"taken address", "admin", `{"channel":"email","address":"john@example.org"}`, 422, "body.address"},
			{"invalid e-mail", "admin", `{"channel":"email","address":"john@"}`, 422, "body.address"},
			{"phone not in E.164", "admin", `{"channel":"sms","address":"0912345678"}`, 422, "body.address"},
			{"ftp webhook", "admin", `{"channel":"webhook","address":"ftp://10.0.0.1/in"}`, 422, "body.address"},
			{"bad district", "admin", `{"channel":"email","address":"x@example.org","district":"` + strings.Repeat("區", 101) + `"}`, 422, "body.district"},
			{"editor may not add", "editor", `{"channel":"email","address":"ed@example.org"}`, 403, ""},
			{"commander may not add", "commander", `{"channel":"email","address":"ed@example.org"}`, 403, ""},
		}
		ids := map[string]int64{}
		for _, c := range create {
			w := e.Do(c.who, "POST", "/api/v1/subscribers", c.body)
			if w.Status != c.want {
				t.Errorf("%s: %d, want %d; %s", c.name, w.Status, c.want, w.Body)
				continue
			}
			if w.Status >= 400 {
				if p := apptest.WantProblem(t, w); c.loc != "" && !p.Has(c.loc) {
					t.Errorf("%s: no error at %s in %s", c.name, c.loc, w.Body)
				}
				continue
			}
			s := apptest.Decode[subscribers.Subscriber](t, w)
			if s.Status != "active" || s.Source != "staff" || s.Masked || s.ConfirmedAt == nil ||
				w.Header.Get("Location") != fmt.Sprintf("/api/v1/subscribers/%d", s.ID) {
				t.Errorf("%s: %s", c.name, w.Body)
			}
			if (s.Channel == "webhook") != strings.HasPrefix(s.Secret, "whsec_") {
				t.Errorf("%s: secret %q", c.name, s.Secret)
			}
			ids[s.Channel] = s.ID
		}
		// One pending public subscriber too.
		e.Call(apptest.Anonymous, "POST", subscriptionsPath, `{"channel":"email","address":"pat@example.org"}`, 202)

		// The editor sees the list, masked; the admin in full.
		masked := apptest.Decode[subscribers.SubscriberPage](t, e.Call("editor", "GET", "/api/v1/subscribers", "", 200))
		full := apptest.Decode[subscribers.SubscriberPage](t, e.Call("admin", "GET", "/api/v1/subscribers", "", 200))
		if masked.Total != 4 || len(masked.Items) != 4 || full.Total != 4 || masked.NextAfter != 0 {
			t.Fatalf("lists: masked %+v, full %+v", masked, full)
		}
		wantMasked := []string{"j***@example.org", "+852****5678", "http://10.0.0.1:8080/…", "p***@example.org"}
		wantFull := []string{"john@example.org", "+85291235678", "http://10.0.0.1:8080/partner/in?x=1", "pat@example.org"}
		for i := range masked.Items {
			m, f := masked.Items[i], full.Items[i]
			if m.Address != wantMasked[i] || !m.Masked || m.Point != "" || m.Secret != "" {
				t.Errorf("masked item %d: %+v", i, m)
			}
			if f.Address != wantFull[i] || f.Masked || f.Secret != "" {
				t.Errorf("full item %d: %+v", i, f)
			}
		}
		if full.Items[0].Point != "22.28,114.16" || masked.Items[1].District != "灣仔區" || full.Items[3].Status != "pending" {
			t.Errorf("areas and status: %+v", full.Items)
		}
		if strings.Contains(e.Call("editor", "GET", "/api/v1/subscribers", "", 200).Body, "john@") {
			t.Error("the masked list holds a full address")
		}
		e.Call("observer", "GET", "/api/v1/subscribers", "", 403)
		e.Call("liaison", "GET", "/api/v1/subscribers/counts", "", 403)

		// Filters and keyset paging.
		if l := apptest.Decode[subscribers.SubscriberPage](t, e.Call("editor", "GET", "/api/v1/subscribers?channel=sms", "", 200)); l.Total != 1 || l.Items[0].Channel != "sms" {
			t.Errorf("channel filter: %+v", l)
		}
		if l := apptest.Decode[subscribers.SubscriberPage](t, e.Call("editor", "GET", "/api/v1/subscribers?status=pending", "", 200)); l.Total != 1 || l.Items[0].Address != "p***@example.org" {
			t.Errorf("status filter: %+v", l)
		}
		if l := apptest.Decode[subscribers.SubscriberPage](t, e.Call("admin", "GET", "/api/v1/subscribers?q=JOHN", "", 200)); l.Total != 1 || l.Items[0].Address != "john@example.org" {
			t.Errorf("search: %+v", l)
		}
		e.Call("editor", "GET", "/api/v1/subscribers?q=john", "", 403) // a search would unmask
		if p := apptest.WantProblem(t, e.Call("editor", "GET", "/api/v1/subscribers?channel=pigeon", "", 422)); !p.Has("query.channel") {
			t.Errorf("bad channel filter: %+v", p)
		}
		w := e.Call("editor", "GET", "/api/v1/subscribers?limit=3", "", 200)
		page := apptest.Decode[subscribers.SubscriberPage](t, w)
		if len(page.Items) != 3 || page.NextAfter != page.Items[2].ID || page.Total != 4 ||
			!strings.Contains(w.Header.Get("Link"), fmt.Sprintf("after=%d", page.NextAfter)) {
			t.Fatalf("first page: %+v, Link %q", page, w.Header.Get("Link"))
		}
		rest := apptest.Decode[subscribers.SubscriberPage](t, e.Call("editor", "GET", fmt.Sprintf("/api/v1/subscribers?limit=3&after=%d", page.NextAfter), "", 200))
		if len(rest.Items) != 1 || rest.NextAfter != 0 || rest.Items[0].Address != "p***@example.org" {
			t.Errorf("second page: %+v", rest)
		}

		// Counts, every channel listed.
		counts := apptest.Decode[subscribers.SubscriberCounts](t, e.Call("approver", "GET", "/api/v1/subscribers/counts", "", 200))
		want := subscribers.SubscriberCounts{Channels: []subscribers.ChannelCounts{
			{"email", subscribers.StatusCounts{Pending: 1, Active: 1, Total: 2}},
			{"sms", subscribers.StatusCounts{Active: 1, Total: 1}},
			{"webhook", subscribers.StatusCounts{Active: 1, Total: 1}},
		}, All: subscribers.StatusCounts{Pending: 1, Active: 3, Total: 4}}
		if fmt.Sprint(counts) != fmt.Sprint(want) {
			t.Errorf("counts %+v, want %+v", counts, want)
		}

		// One subscriber, then gone.
		one := apptest.Decode[subscribers.Subscriber](t, e.Call("editor", "GET", fmt.Sprintf("/api/v1/subscribers/%d", ids["sms"]), "", 200))
		if one.Address != "+852****5678" || !one.Masked {
			t.Errorf("one, masked: %+v", one)
		}
		e.Call("editor", "DELETE", fmt.Sprintf("/api/v1/subscribers/%d", ids["sms"]), "", 403)
		e.Call("admin", "DELETE", fmt.Sprintf("/api/v1/subscribers/%d", ids["sms"]), "", 204)
		e.Call("admin", "GET", fmt.Sprintf("/api/v1/subscribers/%d", ids["sms"]), "", 404)
		e.Call("admin", "DELETE", fmt.Sprintf("/api/v1/subscribers/%d", ids["sms"]), "", 404)
	})
}

// csvForm wraps a file as the field file of a multipart form.
func csvForm(t *testing.T, file []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("note", "from the district office"); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", "subscribers.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

func TestImportAndExportSubscribers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		ctx := context.Background()
		// An address that left is never revived by an import.
		e.Call("admin", "POST", "/api/v1/subscribers", `{"channel":"email","address":"gone@example.org"}`, 201)
		gone := e.SubscriberAt("email", "gone@example.org")
		if _, err := e.Store.Subscribers().Unsubscribe(ctx, gone.Token); err != nil {
			t.Fatal(err)
		}

		file := "channel,address,language,categories,point,district\n" +
			"email,ann@example.org,en,natural_disaster;public_health,,\n" +
			"sms,+85291234567,zh-Hant,,\"22.28,114.16\",灣仔區\n" +
			"webhook,http://10.1.2.3/partner,en,,,\n" +
			"email,not-an-email,en,,,\n" +
			"sms,91234567,en,,,\n" +
			"email,ann@example.org,en,,,\n" +
			"email,gone@example.org,en,,,\n" +
			"webhook,ftp://10.1.2.3/x,en,,,\n"
		w := e.Send("admin", "POST", "/api/v1/subscribers/import", "text/csv", []byte(file))
		if w.Status != http.StatusOK {
			t.Fatalf("import: %d %s", w.Status, w.Body)
		}
		rep := apptest.Decode[subscriber.ImportReport](t, w)
		if rep.Rows != 8 || rep.Imported != 3 || rep.Updated != 0 || rep.Skipped != 1 || len(rep.Rejected) != 4 {
			t.Fatalf("report %s", w.Body)
		}
		for i, want := range []subscriber.RejectRow{{Line: 5, Field: "address"}, {Line: 6, Field: "address"}, {Line: 7, Field: "address"}, {Line: 9, Field: "address"}} {
			if got := rep.Rejected[i]; got.Line != want.Line || got.Field != want.Field || got.Reason == "" {
				t.Errorf("rejected[%d] = %+v, want %+v", i, got, want)
			}
		}
		if keys := apptest.JSONKeys(t, w); strings.Join(keys, ",") != "imported,rejected,rows,secrets,skipped,updated" {
			t.Errorf("report keys %v", keys)
		}
		if s := e.SubscriberAt("webhook", "http://10.1.2.3/partner"); s.Status != subscriber.Active || s.Source != subscriber.FromImport ||
			!strings.HasPrefix(s.Secret, "whsec_") || len(rep.Secrets) != 1 || rep.Secrets[0] != (subscriber.GeneratedSecret{Line: 4, Address: s.Address, Secret: s.Secret}) {
			t.Errorf("imported webhook %+v, secrets %+v", s, rep.Secrets)
		}
		if s := e.SubscriberAt("email", "gone@example.org"); s.Status != subscriber.Unsubscribed {
			t.Errorf("an import revived %+v", s)
		}

		// Big5, as a multipart upload: the known address is updated.
		big5, err := traditionalchinese.Big5.NewEncoder().Bytes([]byte("address,district\n+85291234567,中西區\nbo@example.org,灣仔區\n"))
		if err != nil {
			t.Fatal(err)
		}
		ct, form := csvForm(t, big5)
		rep = apptest.Decode[subscriber.ImportReport](t, e.Send("admin", "POST", "/api/v1/subscribers/import", ct, form))
		if rep.Rows != 2 || rep.Imported != 1 || rep.Updated != 1 || len(rep.Rejected) != 0 {
			t.Errorf("Big5 report %+v", rep)
		}
		if s := e.SubscriberAt("sms", "+85291234567"); s.Area.District != "中西區" {
			t.Errorf("Big5 district %q", s.Area.District)
		}

		refused := []struct {
			name, who, contentType string
			body                   []byte
			want                   int
			detail                 string
		}{
			{"JSON", "admin", "application/json", []byte(`{}`), 415, ""},
			{"no address column", "admin", "text/csv", []byte("name,phone\nAnn,+85291234567\n"), 422, "no address column"},
			{"binary", "admin", "text/csv", []byte("\x89PNG\r\n\x1a\n\x00\x00"), 422, "not a CSV file"},
			{"a form without a file", "admin", "multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--x--\r\n"), 422, ""},
			{"observer", "observer", "text/csv", []byte(file), 403, ""},
			{"commander", "commander", "text/csv", []byte(file), 403, ""},
		}
		for _, c := range refused {
			w := e.Send(c.who, "POST", "/api/v1/subscribers/import", c.contentType, c.body)
			if w.Status != c.want {
				t.Errorf("%s: %d, want %d; %s", c.name, w.Status, c.want, w.Body)
				continue
			}
			if p := apptest.WantProblem(t, w); !strings.Contains(p.Detail, c.detail) && !strings.Contains(w.Body, c.detail) {
				t.Errorf("%s: %s does not say %q", c.name, w.Body, c.detail)
			}
		}

		// The export: every address in full, readable again by the import.
		w = e.Call("admin", "GET", "/api/v1/subscribers/export", "", 200)
		out := []byte(w.Body)
		if !strings.HasPrefix(w.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(w.Header.Get("Content-Disposition"), "attachment") || !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
			t.Fatalf("export headers %v, starts %q", w.Header, out[:min(len(out), 10)])
		}
		for _, want := range []string{"ann@example.org", "+85291234567", "http://10.1.2.3/partner", "gone@example.org", "中西區", "natural_disaster;public_health"} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("export lacks %s:\n%s", want, out)
			}
		}
		if bytes.Contains(out, []byte("whsec_")) {
			t.Error("the export holds a webhook secret")
		}
		sms := e.Call("admin", "GET", "/api/v1/subscribers/export?channel=sms", "", 200).Body
		if strings.Count(sms, "\n") != 2 || !strings.Contains(sms, "+85291234567") {
			t.Errorf("SMS export:\n%s", sms)
		}
		e.Call("editor", "GET", "/api/v1/subscribers/export", "", 403)
		e.Call("commander", "GET", "/api/v1/subscribers/export", "", 403)
		rep = apptest.Decode[subscriber.ImportReport](t, e.Send("admin", "POST", "/api/v1/subscribers/import", "text/csv", out))
		if rep.Rows != 5 || rep.Updated != 4 || rep.Skipped != 1 || len(rep.Rejected) != 0 || len(rep.Secrets) != 0 {
			t.Errorf("re-import of the export: %+v", rep)
		}
	})
}

func TestImportTakesLargeFiles(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{NoStart: true})
	// Over 1 MiB, mostly in a column the import ignores.
	file := "address,note\nann@example.org," + strings.Repeat("n", kit.MaxBodyBytes) + "\nbo@example.org,short\n"
	w := e.Send("admin", "POST", "/api/v1/subscribers/import", "text/csv", []byte(file))
	if w.Status != http.StatusOK {
		t.Fatalf("import over 1 MiB: %d %.300s", w.Status, w.Body)
	}
	if rep := apptest.Decode[subscriber.ImportReport](t, w); rep.Rows != 2 || rep.Imported != 2 {
		t.Errorf("report %+v", rep)
	}
	// Other operations keep the 1 MiB bound.
	big := `{"channel":"email","address":"` + strings.Repeat("a", kit.MaxBodyBytes) + `@example.org"}`
	if w := e.Do("admin", "POST", "/api/v1/subscribers", big); w.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a large create: %d", w.Status)
	}
	huge := "address\n" + strings.Repeat("x", subscribers.MaxImportBytes)
	if w := e.Send("admin", "POST", "/api/v1/subscribers/import", "text/csv", []byte(huge)); w.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("an import over %d bytes: %d", subscribers.MaxImportBytes, w.Status)
	}
}
