package subscribers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"crisisdesk/internal/api/admin"
	"crisisdesk/internal/api/kit"
	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// breakAuditTrail makes the database refuse every new audit row from now
// on, as a trail that cannot be written to would.
func breakAuditTrail(t *testing.T, st *store.Store) {
	t.Helper()
	stmts := []string{`CREATE TRIGGER audit_unavailable BEFORE INSERT ON audit_log
		BEGIN SELECT RAISE(ABORT, 'audit trail unavailable'); END`}
	if st.Engine() == store.Postgres {
		stmts = []string{`CREATE FUNCTION audit_unavailable() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'audit trail unavailable'; END $$`,
			`CREATE TRIGGER audit_unavailable BEFORE INSERT ON audit_log
			FOR EACH ROW EXECUTE FUNCTION audit_unavailable()`}
	}
	for _, q := range stmts {
		if _, err := st.Writer().ExecContext(context.Background(), q); err != nil {
			t.Fatalf("break the audit trail: %v", err)
		}
	}
}

func TestExportIsAudited(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		e := apptest.NewStaff(t, apptest.Options{Engine: engine, NoStart: true})
		for _, body := range []string{
			`{"channel":"email","address":"ann@example.org"}`,
			`{"channel":"email","address":"bo@example.org"}`,
			`{"channel":"sms","address":"+85291234567"}`,
		} {
			e.Do("admin", "POST", "/api/v1/subscribers", body)
		}
		exports := func() []admin.AuditEntry {
			t.Helper()
			list := apptest.Decode[kit.List[admin.AuditEntry]](t, e.Do("admin", "GET", "/api/v1/audit?entity=subscriber&limit=100", ""))
			var out []admin.AuditEntry
			for _, x := range list.Items {
				if x.Action == "subscriber.export" {
					out = append(out, x)
				}
			}
			return out
		}
		cases := []struct {
			name, query, who string
			want             int
			detail           string // compact JSON, keys sorted; "" when nothing is recorded
		}{
			{"everything", "", "admin", 200, `{"filter":{"channel":"","q":"","status":""},"rows":3}`},
			{"by channel and status", "?channel=email&status=active", "admin", 200, `{"filter":{"channel":"email","q":"","status":"active"},"rows":2}`},
			{"refused", "", "editor", 403, ""},
			{"bad filter", "?channel=pigeon", "admin", 422, ""},
		}
		for _, c := range cases {
			before := len(exports())
			w := e.Do(c.who, "GET", "/api/v1/subscribers/export"+c.query, "")
			if w.Status != c.want {
				t.Fatalf("%s: %d, want %d; %s", c.name, w.Status, c.want, w.Body)
			}
			got := exports()
			if c.detail == "" {
				if len(got) != before {
					t.Errorf("%s: %d export entries, want %d", c.name, len(got), before)
				}
				continue
			}
			if len(got) != before+1 {
				t.Fatalf("%s: %d export entries, want %d", c.name, len(got), before+1)
			}
			x := got[0] // newest first
			u := e.Users[authz.Admin]
			if x.ActorID != u.ID || x.Actor != u.Name || x.Source != string(authz.SourceAPI) ||
				x.Entity != "subscriber" || x.EntityID != "" || string(x.Before) != "null" {
				t.Errorf("%s: entry %+v", c.name, x)
			}
			var v any
			if err := json.Unmarshal(x.After, &v); err != nil {
				t.Fatalf("%s: detail %s: %v", c.name, x.After, err)
			}
			if d, _ := json.Marshal(v); string(d) != c.detail {
				t.Errorf("%s: detail %s, want %s", c.name, d, c.detail)
			}
		}
		if n, err := e.Store.Audit().Verify(context.Background()); err != nil {
			t.Fatalf("the chain does not verify after %d rows: %v", n, err)
		}

		// No entry, no file.
		before := len(exports())
		breakAuditTrail(t, e.Store)
		w := e.Do("admin", "GET", "/api/v1/subscribers/export", "")
		if w.Status != 500 || strings.Contains(w.Body, "ann@example.org") || w.Header.Get("Content-Disposition") != "" {
			t.Errorf("an unrecorded export: %d %v %s", w.Status, w.Header, w.Body)
		}
		if p := apptest.WantProblem(t, w); strings.Contains(p.Detail, "audit trail unavailable") {
			t.Errorf("the problem tells the cause: %+v", p)
		}
		if n := len(exports()); n != before {
			t.Errorf("%d export entries after a failed record, want %d", n, before)
		}
	})
}
