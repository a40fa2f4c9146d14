package apptest

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/session"
	"crisisdesk/internal/store/storetest"

	"github.com/xuri/excelize/v2"
)

// What the staff UI's tests need beyond New: the app without its job
// runner, browsers that upload files and talk as the pages' script does,
// and the audit trail.

// NewWithoutJobs boots the real app as New does but serves it without its
// job runner: the jobs the app enqueues (a notice's fan-out and sends,
// clock alerts, e-mails) wait in the queue, so that a test can work them
// by hand (Deliveries().FanoutBatch, Claim, Finish) without racing the
// runner. The app answers on a loopback server of its own; Env.URL is it.
func NewWithoutJobs(tb testing.TB, o Options) *Env {
	tb.Helper()
	o.NoStart = true
	e := New(tb, o)
	srv := httptest.NewServer(e.App.Handler())
	tb.Cleanup(srv.Close) // before the app stops: cleanups run last-first
	e.URL = srv.URL
	return e
}

// Entries returns the audit trail's entries with action, oldest first.
func (e *Env) Entries(action string) []audit.Entry {
	e.T.Helper()
	all, _, err := e.Store.Audit().List(context.Background(), audit.Filter{Limit: 500})
	if err != nil {
		e.T.Fatal(err)
	}
	var out []audit.Entry
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Action == action {
			out = append(out, all[i])
		}
	}
	return out
}

// ClientsFor signs in one user per role, each named "as-" and the role.
func (e *Env) ClientsFor(roles ...authz.Role) map[authz.Role]*Browser {
	e.T.Helper()
	out := map[authz.Role]*Browser{}
	for _, r := range roles {
		out[r], _ = e.SignedIn("as-"+string(r), r)
	}
	return out
}

// SignInAs posts the sign-in form with name and password and fails the
// test unless it answered with a redirect (to the desk, the code page or
// a page that must come first).
func (b *Browser) SignInAs(name, password string) Response {
	b.T.Helper()
	res := b.PostForm("/signin", url.Values{"name": {name}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		b.T.Fatalf("sign in %s: status %d\n%s", name, res.Status, Snippet(res.Body))
	}
	return res
}

// SignInWithCode signs in with the password and then a code from f, and
// fails the test unless both steps worked.
func (b *Browser) SignInWithCode(name, password string, f *storetest.TOTP) Response {
	b.T.Helper()
	res := b.PostForm("/signin", url.Values{"name": {name}, "password": {password}})
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/signin/code") {
		b.T.Fatalf("sign in %s: status %d to %q, want the code page\n%s", name, res.Status, res.Location(), Snippet(res.Body))
	}
	res = b.PostForm("/signin/code", url.Values{"code": {f.Code(b.T)}})
	if res.Status != http.StatusSeeOther {
		b.T.Fatalf("code for %s: status %d\n%s", name, res.Status, Snippet(res.Body))
	}
	return res
}

// Cookie returns the value of the browser's cookie name for the app, ""
// when it has none.
func (b *Browser) Cookie(name string) string {
	base, _ := url.Parse(b.Base)
	for _, ck := range b.HTTP.Jar.Cookies(base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Upload posts a multipart form as a browser does: the CSRF token, the
// fields, and content as the file name in field.
func (b *Browser) Upload(path, field, name string, content []byte, fields url.Values) Response {
	b.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	err := mw.WriteField(session.CSRFField, b.CSRF())
	for k, vs := range fields {
		for _, v := range vs {
			if err == nil {
				err = mw.WriteField(k, v)
			}
		}
	}
	if err == nil {
		var fw interface{ Write([]byte) (int, error) }
		if fw, err = mw.CreateFormFile(field, name); err == nil {
			_, err = fw.Write(content)
		}
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		b.T.Fatal(err)
	}
	return b.Post(path, mw.FormDataContentType(), &body)
}

// Scripted sends a request the way the pages' script (htmx) does: with
// the HX-Request header and, for a post, form with the CSRF token in a
// header.
func (b *Browser) Scripted(method, path string, form url.Values) Response {
	b.T.Helper()
	req, err := http.NewRequest(method, b.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.T.Fatal(err)
	}
	req.Header.Set("HX-Request", "true")
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(session.CSRFHeader, b.CSRF())
	}
	return b.Do(req)
}

// Stream opens an event stream, which never ends by itself, and answers
// its status and headers with what the body brings within d of them.
func (b *Browser) Stream(path string, d time.Duration) Response {
	b.T.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.Base+path, nil)
	if err != nil {
		b.T.Fatal(err)
	}
	if b.Accept != "" {
		req.Header.Set("Accept-Language", b.Accept)
	}
	res, err := b.HTTP.Do(req)
	if err != nil {
		b.T.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	stop := time.AfterFunc(d, cancel)
	defer stop.Stop()
	body, _ := io.ReadAll(res.Body) // ends with the context
	return Response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// XLSXRows reads the worksheet name of a workbook, failing the test if
// any cell of it is a formula.
func XLSXRows(t testing.TB, book []byte, name string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if formula, _ := f.GetCellFormula(name, ref); formula != "" {
				t.Errorf("%s holds the formula %q", ref, formula)
			}
		}
	}
	return rows
}
