package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/plaintext"
)

// fixups are Go steps of migrations, keyed by the migration's name (not its
// number, which may change when branches merge). Each runs in its
// migration's transaction, after its SQL.
var fixups = map[string]func(context.Context, *Tx) error{
	"clean_text": cleanStoredText,
}

// textTable names the columns of one table that hold text crisisdesk may
// publish: plain text columns, and JSON columns whose strings are text.
// oneLine names the columns, and the keys of JSON objects, whose text is
// one line (a headline, a title, a name): there a line break becomes a
// space, as validation wants it.
type textTable struct {
	table, entity, key string
	text, json         []string
	oneLine            []string
}

// textTables are the tables cleanStoredText repairs. The timeline and the
// audit trail are append-only and stay as written: neither is published.
var textTables = []textTable{
	{table: "notices", entity: "notice", key: "id", json: []string{"contents", "cap", "steps"},
		oneLine: []string{"headline", "event", "name", "value"}},
	{table: "crises", entity: "crisis", key: "id", text: []string{"title", "location", "area", "summary", "closing_note"},
		oneLine: []string{"title", "location"}},
	{table: "plans", entity: "plan", key: "id", text: []string{"title"}, json: []string{"body", "signatures"},
		oneLine: []string{"title", "checklist", "headline", "name", "role", "phone", "email", "quantity", "location"}},
	{table: "crisis_types", entity: "crisis_type", key: "id", json: []string{"name", "indicators"}, oneLine: []string{"name"}},
	{table: "crisis_tasks", entity: "task", key: "id", text: []string{"title"}, json: []string{"checklist"},
		oneLine: []string{"title", "text"}},
	{table: "crisis_reviews", entity: "crisis", key: "crisis_id", text: []string{"lessons"}, json: []string{"action_items"}},
	{table: "departments", entity: "department", key: "id", text: []string{"name"}, oneLine: []string{"name"}},
}

// cleanStoredText repairs text stored before crisisdesk refused characters
// that cannot be published (package plaintext): pasted line breaks become
// "\n" and other control characters are removed, with plaintext.Clean.
// Each changed row is recorded in the audit trail as text.repair, with the
// columns before and after, and logged.
func cleanStoredText(ctx context.Context, tx *Tx) error {
	actor := authz.System(authz.SourceSystem, "migration")
	for _, t := range textTables {
		repairs, err := t.scan(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range repairs {
			sets := make([]string, 0, len(r.after))
			args := make([]any, 0, len(r.after)+1)
			for _, col := range r.columns {
				args = append(args, r.after[col])
				sets = append(sets, col+" = $"+strconv.Itoa(len(args)))
			}
			args = append(args, r.id)
			q := "UPDATE " + t.table + " SET " + strings.Join(sets, ", ") + " WHERE " + t.key + " = $" + strconv.Itoa(len(args))
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("repair text of %s %d: %w", t.table, r.id, err)
			}
			id := strconv.FormatInt(r.id, 10)
			if err := tx.Audit(ctx, actor, "text.repair", t.entity, id, r.detail(r.before), r.detail(r.after)); err != nil {
				return err
			}
			tx.store.log.Warn("repaired stored text that could not be published", "table", t.table, "id", r.id, "columns", r.columns)
		}
	}
	return nil
}

// repair is one row's changed columns.
type repair struct {
	id            int64
	columns       []string // in the table's order
	before, after map[string]string
	isJSON        map[string]bool
}

// detail is the audit snapshot of the changed columns: JSON columns as
// JSON, text as strings.
func (r repair) detail(values map[string]string) map[string]any {
	out := make(map[string]any, len(values))
	for col, v := range values {
		if r.isJSON[col] && json.Valid([]byte(v)) {
			out[col] = json.RawMessage(v)
		} else {
			out[col] = v
		}
	}
	return out
}

// scan reads every row of t and returns those whose text changes when
// cleaned. It reads everything before the caller writes, since SQLite's
// one writer connection cannot update while a query is open.
func (t textTable) scan(ctx context.Context, tx *Tx) ([]repair, error) {
	cols := append(append([]string{}, t.text...), t.json...)
	rows, err := tx.Query(ctx, "SELECT "+t.key+", "+strings.Join(cols, ", ")+" FROM "+t.table+" ORDER BY "+t.key)
	if err != nil {
		return nil, fmt.Errorf("read text of %s: %w", t.table, err)
	}
	defer rows.Close()
	var out []repair
	for rows.Next() {
		var id int64
		vals := make([]sql.NullString, len(cols))
		dest := []any{&id}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("read text of %s: %w", t.table, err)
		}
		r := repair{id: id, before: map[string]string{}, after: map[string]string{}, isJSON: map[string]bool{}}
		for i, col := range cols {
			old := vals[i].String
			isJSON := i >= len(t.text)
			var cleaned string
			var changed bool
			if isJSON {
				cleaned, changed = cleanJSON(old, t.lines(col))
			} else {
				cleaned = cleanText(old, slices.Contains(t.oneLine, col))
				changed = cleaned != old
			}
			if changed {
				r.columns = append(r.columns, col)
				r.before[col], r.after[col], r.isJSON[col] = old, cleaned, isJSON
			}
		}
		if len(r.columns) > 0 {
			out = append(out, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read text of %s: %w", t.table, err)
	}
	return out, nil
}

// lines says which strings of JSON column col are one line: all of them
// when the column is named in oneLine, else those under the keys named.
type lines struct {
	all  bool
	keys []string
}

func (t textTable) lines(col string) lines {
	if slices.Contains(t.oneLine, col) {
		return lines{all: true}
	}
	return lines{keys: t.oneLine}
}

// cleanText is plaintext.Clean, and for a text of one line its breaks
// written as spaces.
func cleanText(s string, oneLine bool) string {
	s = plaintext.Clean(s)
	if oneLine {
		s = plaintext.OneLine(s)
	}
	return s
}

// cleanJSON cleans every string value of the JSON document s (keys are
// crisisdesk's own). It reports whether anything changed; a document that
// does not parse is left alone.
func cleanJSON(s string, ls lines) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return s, false
	}
	v, changed := cleanValue(v, ls.all, ls.keys)
	if !changed {
		return s, false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return s, false
	}
	return string(b), true
}

// cleanValue cleans the strings of v; oneLine says v is under a key of
// oneLineKeys (or the whole column is one line).
func cleanValue(v any, oneLine bool, oneLineKeys []string) (any, bool) {
	switch x := v.(type) {
	case string:
		c := cleanText(x, oneLine)
		return c, c != x
	case []any:
		changed := false
		for i, e := range x {
			var ch bool
			if x[i], ch = cleanValue(e, oneLine, oneLineKeys); ch {
				changed = true
			}
		}
		return x, changed
	case map[string]any:
		changed := false
		for k, e := range x {
			var ch bool
			if x[k], ch = cleanValue(e, oneLine || slices.Contains(oneLineKeys, k), oneLineKeys); ch {
				changed = true
			}
		}
		return x, changed
	}
	return v, false
}
