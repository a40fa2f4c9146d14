package api

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// failingTrail is the store's audit trail with Record failing while
// broken is set.
type failingTrail struct {
	audit.Service
	mu     sync.Mutex
	broken bool
}

func (f *failingTrail) Record(ctx context.Context, a authz.Actor, action, entity, id string, detail any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.broken {
		return errors.New("audit trail unavailable")
	}
	return f.Service.Record(ctx, a, action, entity, id, detail)
}

func TestExportIsAudited(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		trail := &failingTrail{}
		e := newEnvOn(t, engine, nil, func(o *Options) { trail.Service = o.Audit; o.Audit = trail })
		for _, body := range []string{
			`{"channel":"email","address":"ann@example.org"}`,
			`{"channel":"email","address":"bo@example.org"}`,
			`{"channel":"sms","address":"+85291234567"}`,
		} {
			e.do("admin", "POST", "/api/v1/subscribers", body)
		}
		exports := func() []AuditEntry {
			t.Helper()
			list := decode[List[AuditEntry]](t, e.do("admin", "GET", "/api/v1/audit?entity=subscriber&limit=100", "").Body)
			var out []AuditEntry
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
			w := e.do(c.who, "GET", "/api/v1/subscribers/export"+c.query, "")
			if w.Code != c.want {
				t.Fatalf("%s: %d, want %d; %s", c.name, w.Code, c.want, w.Body)
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
			admin := e.users[authz.Admin]
			if x.ActorID != admin.ID || x.Actor != admin.Name || x.Source != string(authz.SourceAPI) ||
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
		if n, err := e.st.Audit().Verify(context.Background()); err != nil {
			t.Fatalf("the chain does not verify after %d rows: %v", n, err)
		}

		// No entry, no file.
		before := len(exports())
		trail.mu.Lock()
		trail.broken = true
		trail.mu.Unlock()
		w := e.do("admin", "GET", "/api/v1/subscribers/export", "")
		if w.Code != 500 || strings.Contains(w.Body.String(), "ann@example.org") || w.Header().Get("Content-Disposition") != "" {
			t.Errorf("an unrecorded export: %d %v %s", w.Code, w.Header(), w.Body)
		}
		if p := decodeProblem(t, w); strings.Contains(p.Detail, "audit trail unavailable") {
			t.Errorf("the problem tells the cause: %+v", p)
		}
		if n := len(exports()); n != before {
			t.Errorf("%d export entries after a failed record, want %d", n, before)
		}
	})
}
