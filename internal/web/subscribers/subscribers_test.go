package subscribers_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/channel"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/sheet/xlsx"
	"crisisdesk/internal/subscriber"
)

func TestSubscribersPagePermissions(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	e.AddSubscribers(channel.Email, "alice@example.org", "bob@example.org")
	e.AddSubscribers(channel.SMS, "+85291234567")
	c := e.ClientsFor(authz.Admin, authz.Editor, authz.Observer)
	cases := []struct {
		name string
		role authz.Role
		path string
		want int
	}{
		{"admin list", authz.Admin, "/desk/subscribers", http.StatusOK},
		{"editor list", authz.Editor, "/desk/subscribers", http.StatusOK},
		{"observer list", authz.Observer, "/desk/subscribers", http.StatusForbidden},
		{"editor export", authz.Editor, "/desk/subscribers/export.csv", http.StatusForbidden},
		{"editor import form", authz.Editor, "/desk/subscribers/import", http.StatusForbidden},
		{"admin import form", authz.Admin, "/desk/subscribers/import", http.StatusOK},
		{"admin export", authz.Admin, "/desk/subscribers/export.csv", http.StatusOK},
	}
	for _, tc := range cases {
		if res := c[tc.role].Get(tc.path); res.Status != tc.want {
			t.Errorf("%s: GET %s: status %d, want %d", tc.name, tc.path, res.Status, tc.want)
		}
	}

	// The editor sees counts and masked addresses, and cannot search by
	// address, delete, import or export.
	res := c[authz.Editor].Get("/desk/subscribers?q=alice")
	apptest.WantBody(t, res, `id="counts-email-active">2<`, `id="counts-sms-active">1<`, "a•••@example.org", "b•••@example.org",
		"&#43;852••••••67", "3 subscribers", "Addresses are partly hidden")
	for _, hidden := range []string{"alice@example.org", "85291234567", `id="subscribers-q"`, "/delete", `id="subscribers-import"`, `id="subscribers-export"`} {
		if strings.Contains(res.Body, hidden) {
			t.Errorf("the editor's list shows %q", hidden)
		}
	}
	apptest.WantStatus(t, c[authz.Editor].PostForm("/desk/subscribers/1/delete", nil), http.StatusForbidden)

	// The admin sees and searches full addresses and exports them.
	res = c[authz.Admin].Get("/desk/subscribers?q=alice")
	apptest.WantBody(t, res, "alice@example.org", "1 subscriber", `id="subscribers-import"`, `id="subscribers-export"`)
	if strings.Contains(res.Body, "bob@example.org") {
		t.Error("the search for alice shows bob")
	}
	res = c[authz.Admin].Get("/desk/subscribers/export.csv?channel=email")
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("export Content-Type %q", ct)
	}
	apptest.WantBody(t, res, "channel,address,language", "email,alice@example.org,en", "email,bob@example.org,en")
	if strings.Contains(res.Body, "+85291234567") {
		t.Error("the e-mail export holds the SMS subscriber")
	}
	apptest.WantBody(t, c[authz.Admin].Get("/desk/subscribers/export.csv?channel=sms"), "sms,'+85291234567,")
	// The same as a workbook, every cell a string, the phone number
	// neutralised.
	res = c[authz.Admin].Get("/desk/subscribers/export.xlsx")
	if ct := res.Header.Get("Content-Type"); ct != xlsx.ContentType {
		t.Errorf("workbook Content-Type %q", ct)
	}
	rows := apptest.XLSXRows(t, []byte(res.Body), "Subscribers")
	if len(rows) != 4 || !slices.ContainsFunc(rows, func(r []string) bool { return r[1] == "'+85291234567" }) {
		t.Errorf("workbook rows %q", rows)
	}
	apptest.WantStatus(t, c[authz.Editor].Get("/desk/subscribers/export.xlsx"), http.StatusForbidden)
}

// Keyset paging walks the list in id order without repeats.
func TestSubscribersPaging(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	var want []string
	for i := range 55 {
		a := fmt.Sprintf("p%02d@example.org", i)
		want = append(want, a)
		e.AddSubscribers(channel.Email, a)
	}
	admin, _ := e.SignedIn("root", authz.Admin)
	next := regexp.MustCompile(`href="([^"]+)" rel="next" id="subscribers-next"`)
	row := regexp.MustCompile(`<code>(p\d\d@example\.org)</code>`)
	var seen []string
	path := "/desk/subscribers"
	for range 5 {
		res := admin.Get(path)
		apptest.WantStatus(t, res, http.StatusOK)
		for _, m := range row.FindAllStringSubmatch(res.Body, -1) {
			seen = append(seen, m[1])
		}
		m := next.FindStringSubmatch(res.Body)
		if m == nil {
			break
		}
		path = strings.ReplaceAll(m[1], "&amp;", "&")
		apptest.WantBody(t, admin.Get(path), `id="subscribers-first"`)
	}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Fatalf("paged through %v\nwant %v", seen, want)
	}
}

func TestSubscriberImport(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	e.AddSubscribers(channel.Email, "known@example.org")
	admin, _ := e.SignedIn("root", authz.Admin)
	csv := "channel,address,language\n" +
		"email,new@example.org,en\n" +
		"email,not-an-address,en\n" +
		"email,known@example.org,zh-Hant\n"
	res := admin.Upload("/desk/subscribers/import", "file", "list.csv", []byte(csv), nil)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, `id="report-rows">3<`, `id="report-imported">1<`, `id="report-updated">1<`, `id="report-rejected">1<`,
		`<tr><td>3</td><td><code>address</code></td><td>&#34;not-an-address&#34; is not an e-mail address</td></tr>`)
	list, total, err := e.Store.Subscribers().List(context.Background(), subscriber.Filter{Query: "new@"})
	if err != nil || total != 1 || list[0].Status != subscriber.Active || list[0].Source != subscriber.FromImport {
		t.Fatalf("imported: %+v %d %v", list, total, err)
	}

	// No file, or a file that is no list, is named beside the field.
	res = admin.PostForm("/desk/subscribers/import", nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="file-error"`, "Choose a CSV file")
	res = admin.Upload("/desk/subscribers/import", "file", "list.csv", []byte("name,phone\nx,y\n"), nil)
	apptest.WantStatus(t, res, http.StatusUnprocessableEntity)
	apptest.WantBody(t, res, `id="file-error"`, `id="file-detail"`, "no address column")

	// An editor may not import.
	editor, _ := e.SignedIn("ed", authz.Editor)
	apptest.WantStatus(t, editor.Upload("/desk/subscribers/import", "file", "list.csv", []byte(csv), nil), http.StatusForbidden)
}

func TestSubscriberDelete(t *testing.T) {
	t.Parallel()
	e := apptest.NewWithoutJobs(t, apptest.Options{})
	e.AddSubscribers(channel.Email, "gone@example.org")
	list, _, err := e.Store.Subscribers().List(context.Background(), subscriber.Filter{})
	if err != nil || len(list) != 1 {
		t.Fatal(list, err)
	}
	id := list[0].ID
	admin, _ := e.SignedIn("root", authz.Admin)
	confirm := fmt.Sprintf("/desk/subscribers/%d/delete", id)
	apptest.WantBody(t, admin.Get("/desk/subscribers"), `href="`+confirm+`"`)
	res := admin.Get(confirm)
	apptest.WantStatus(t, res, http.StatusOK)
	apptest.WantBody(t, res, "gone@example.org", `id="subscriber-delete-form"`)
	if _, err := e.Store.Subscribers().Get(context.Background(), id); err != nil {
		t.Fatal("the confirmation page deleted the subscriber")
	}
	res = admin.PostForm(confirm, nil)
	apptest.WantStatus(t, res, http.StatusSeeOther)
	apptest.WantBody(t, admin.Get(res.Location()), "The subscriber and their personal data are deleted.", `id="subscribers-empty"`)
	if _, err := e.Store.Subscribers().Get(context.Background(), id); !fault.Is(err, fault.NotFound) {
		t.Fatalf("after delete: %v", err)
	}
	apptest.WantStatus(t, admin.PostForm(confirm, nil), http.StatusNotFound)
}
