package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/i18n"
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
	// Summary is the entry in the reader's words ("Published: Notice
	// 42"); the stored action code shows beside it for searching.
	Summary string
	// SourceWord is the surface in the reader's words.
	SourceWord string
	Before     string // "" when there was nothing before (a creation)
	After      string // "" when nothing is left (a deletion)
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
	tr := h.Kit.T(r)
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{
			Seq: e.Seq, At: e.At, Actor: e.Actor, Source: e.Source, Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
			Summary: auditSummary(tr, e), SourceWord: word(tr, "audit.source."+e.Source, e.Source),
			Before: indentJSON(e.Before), After: indentJSON(e.After),
		})
	}
	v.Pager = kit.NewPager(r, page, total)
	h.Kit.Render(w, r, http.StatusOK, "audit", v)
}

// auditSummary words an entry in tr's language from its stored codes:
// the verb of its action (the part after the last dot) and its record
// type. A code the catalogue has no words for shows as the code.
func auditSummary(tr i18n.Translator, e audit.Entry) string {
	verb := e.Action
	if i := strings.LastIndexByte(verb, '.'); i >= 0 {
		verb = verb[i+1:]
	}
	return tr.T("audit.summary", "Verb", word(tr, "audit.verb."+verb, e.Action),
		"Entity", word(tr, "audit.entity_name."+e.Entity, e.Entity), "ID", e.EntityID)
}

// word is key's message, or fallback when the catalogue lacks key.
func word(tr i18n.Translator, key, fallback string) string {
	if w := tr.T(key); w != key {
		return w
	}
	return fallback
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
