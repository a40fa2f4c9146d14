package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/web/kit"
)

// auditView is a page of the audit trail, newest first.
type auditView struct {
	Entity   string
	EntityID string
	Entries  []auditRow
	Pager    kit.Pager
}

// auditRow is an entry with its snapshots indented for reading.
type auditRow struct {
	Seq      int64
	At       time.Time
	Actor    string
	Source   string
	Action   string
	Entity   string
	EntityID string
	Before   string // "" when there was nothing before (a creation)
	After    string // "" when nothing is left (a deletion)
}

func (h *Room) auditTrail(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := auditView{Entity: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("entity_id"))}
	page := kit.PageParam(r)
	entries, total, err := h.Audit.List(r.Context(), audit.Filter{Entity: v.Entity, EntityID: v.EntityID, Offset: kit.Offset(page), Limit: kit.PerPage})
	if err != nil {
		h.Kit.Fail(w, r, err)
		return
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{
			Seq: e.Seq, At: e.At, Actor: e.Actor, Source: e.Source, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
			Before: indentJSON(e.Before), After: indentJSON(e.After),
		})
	}
	v.Pager = kit.NewPager(r, page, total)
	h.Kit.Render(w, r, http.StatusOK, "audit", v)
}

// indentJSON formats a snapshot for a <pre>; JSON null is blank.
func indentJSON(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return s
	}
	return buf.String()
}
