package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"crisisdesk/internal/crisis"
	"crisisdesk/internal/lessons"
	"crisisdesk/internal/notice"
)

// Lessons returns the lessons library.
func (s *Store) Lessons() lessons.Service { return &library{s} }

type library struct{ s *Store }

// librarySource copies one kind of document: its query reads the rows
// changed after $1, each with its updated_at last.
type librarySource struct {
	kind  lessons.Kind
	query string
	doc   func(r rowScanner) (lessons.Doc, time.Time, error)
}

func (l *library) sources() []librarySource {
	return []librarySource{
		{lessons.Crisis, `SELECT id, type_id, exercise, title, summary, closing_note, closed_at, updated_at FROM crises
			WHERE status = 'closed' AND updated_at > $1 ORDER BY updated_at`,
			func(r rowScanner) (lessons.Doc, time.Time, error) {
				var d lessons.Doc
				var summary, note string
				var up time.Time
				var closed sql.NullTime
				err := r.Scan(&d.RefID, &d.TypeID, &d.Exercise, &d.Title, &summary, &note, &closed, &up)
				d.CrisisID, d.Body, d.At = d.RefID, summary+"\n"+note, utcOrZero(timeOf(closed))
				return d, up, err
			}},
		{lessons.Review, `SELECT r.crisis_id, c.type_id, c.exercise, c.title, r.lessons, r.action_items, r.updated_at FROM crisis_reviews r
			JOIN crises c ON c.id = r.crisis_id WHERE r.updated_at > $1 ORDER BY r.updated_at`,
			func(r rowScanner) (lessons.Doc, time.Time, error) {
				var d lessons.Doc
				var text, items string
				var up time.Time
				if err := r.Scan(&d.RefID, &d.TypeID, &d.Exercise, &d.Title, &text, &items, &up); err != nil {
					return d, up, err
				}
				var its []crisis.ActionItem
				if err := jsonUnmarshal(items, &its); err != nil {
					return d, up, fmt.Errorf("review %d actions: %w", d.RefID, err)
				}
				parts := []string{text}
				for _, it := range its {
					parts = append(parts, it.Text)
				}
				d.CrisisID, d.Body, d.At = d.RefID, strings.Join(parts, "\n"), utc(up)
				return d, up, nil
			}},
		{lessons.Drill, `SELECT d.id, COALESCE(d.crisis_id, 0), d.type_id, d.title, r.summary, r.strengths, r.improvements, d.ended_at, r.updated_at
			FROM drill_reports r JOIN drills d ON d.id = r.drill_id WHERE r.updated_at > $1 ORDER BY r.updated_at`,
			func(r rowScanner) (lessons.Doc, time.Time, error) {
				var d lessons.Doc
				var summary, strengths, improvements string
				var up time.Time
				var ended sql.NullTime
				if err := r.Scan(&d.RefID, &d.CrisisID, &d.TypeID, &d.Title, &summary, &strengths, &improvements, &ended, &up); err != nil {
					return d, up, err
				}
				d.At = up
				if ended.Valid {
					d.At = ended.Time
				}
				var s, i []string
				if err := jsonUnmarshal(strengths, &s); err != nil {
					return d, up, fmt.Errorf("drill %d strengths: %w", d.RefID, err)
				}
				if err := jsonUnmarshal(improvements, &i); err != nil {
					return d, up, fmt.Errorf("drill %d improvements: %w", d.RefID, err)
				}
				d.Exercise, d.At = true, utc(d.At)
				d.Body = strings.Join(append(append([]string{summary}, s...), i...), "\n")
				return d, up, nil
			}},
		{lessons.Notice, `SELECT n.id, COALESCE(n.crisis_id, 0), COALESCE(c.type_id, 0), n.exercise, n.contents, n.published_at, n.updated_at
			FROM notices n LEFT JOIN crises c ON c.id = n.crisis_id
			WHERE n.status = 'published' AND n.audience = 'public' AND n.updated_at > $1 ORDER BY n.updated_at`,
			func(r rowScanner) (lessons.Doc, time.Time, error) {
				var d lessons.Doc
				var contents string
				var up time.Time
				var pub sql.NullTime
				if err := r.Scan(&d.RefID, &d.CrisisID, &d.TypeID, &d.Exercise, &contents, &pub, &up); err != nil {
					return d, up, err
				}
				var cs []notice.Content
				if err := jsonUnmarshal(contents, &cs); err != nil {
					return d, up, fmt.Errorf("notice %d contents: %w", d.RefID, err)
				}
				var heads, bodies []string
				for _, c := range cs {
					heads = append(heads, c.Headline)
					bodies = append(bodies, c.Body, c.Instruction)
				}
				d.Title, d.Body, d.At = strings.Join(heads, " / "), strings.Join(bodies, "\n"), utcOrZero(timeOf(pub))
				return d, up, nil
			}},
	}
}

// Sync copies each source's changes since its mark into the library, in
// one transaction per source.
func (l *library) Sync(ctx context.Context) (int, error) {
	total := 0
	for _, src := range l.sources() {
		err := l.s.InTx(ctx, func(tx *Tx) error {
			var mark time.Time
			err := tx.QueryRow(ctx, `SELECT synced_to FROM library_sync WHERE source = $1`, string(src.kind)).Scan(&mark)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("library mark: %w", err)
			}
			rows, err := tx.tx.QueryContext(ctx, src.query, mark)
			if err != nil {
				return fmt.Errorf("library %s: %w", src.kind, err)
			}
			var docs []lessons.Doc
			for rows.Next() {
				d, up, err := src.doc(rows)
				if err != nil {
					rows.Close()
					return fmt.Errorf("library %s: %w", src.kind, err)
				}
				d.Kind = src.kind
				docs = append(docs, d)
				if up.After(mark) {
					mark = up
				}
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("library %s: %w", src.kind, err)
			}
			for _, d := range docs {
				if err := tx.putDoc(ctx, d); err != nil {
					return err
				}
			}
			total += len(docs)
			if len(docs) == 0 {
				return nil
			}
			_, err = tx.Exec(ctx, `INSERT INTO library_sync (source, synced_to) VALUES ($1, $2)
				ON CONFLICT (source) DO UPDATE SET synced_to = excluded.synced_to`, string(src.kind), mark)
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// putDoc writes a document and, on SQLite, its trigram index row.
func (tx *Tx) putDoc(ctx context.Context, d lessons.Doc) error {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO library_docs (kind, ref_id, crisis_id, type_id, exercise, title, body, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (kind, ref_id) DO UPDATE SET crisis_id = excluded.crisis_id, type_id = excluded.type_id,
			exercise = excluded.exercise, title = excluded.title, body = excluded.body, at = excluded.at
		RETURNING id`, string(d.Kind), d.RefID, nullInt(d.CrisisID), d.TypeID, d.Exercise, d.Title, d.Body, d.At).Scan(&id); err != nil {
		return fmt.Errorf("library document: %w", err)
	}
	if tx.store.engine != SQLite {
		return nil // PostgreSQL indexes library_docs itself (pg_trgm)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM library_fts WHERE rowid = $1`, id); err != nil {
		return fmt.Errorf("library index: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO library_fts (rowid, text) VALUES ($1, $2)`, id, d.Title+"\n"+d.Body); err != nil {
		return fmt.Errorf("library index: %w", err)
	}
	return nil
}

const docColumns = `d.id, d.kind, d.ref_id, COALESCE(d.crisis_id, 0), d.type_id, d.exercise, d.title, d.body, d.at`

func scanDoc(r rowScanner) (lessons.Doc, error) {
	var d lessons.Doc
	var kind string
	err := r.Scan(&d.ID, &kind, &d.RefID, &d.CrisisID, &d.TypeID, &d.Exercise, &d.Title, &d.Body, &d.At)
	d.Kind, d.At = lessons.Kind(kind), utc(d.At)
	return d, err
}

// Search matches each term as a substring: on SQLite through the FTS5
// trigram index (LIKE on its column uses the index for terms of three
// characters or more), on PostgreSQL through the pg_trgm GIN index.
func (l *library) Search(ctx context.Context, q lessons.Query) ([]lessons.Hit, error) {
	terms, err := lessons.Terms(q.Text)
	if err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if l.s.engine == SQLite {
		var in []string
		for _, t := range terms {
			in = append(in, "text LIKE "+arg("%"+t+"%"))
		}
		conds = append(conds, "d.id IN (SELECT rowid FROM library_fts WHERE "+strings.Join(in, " AND ")+")")
	} else {
		for _, t := range terms {
			conds = append(conds, "lower(d.title || ' ' || d.body) LIKE "+arg("%"+strings.ToLower(t)+"%"))
		}
	}
	if q.TypeID != 0 {
		conds = append(conds, "d.type_id = "+arg(q.TypeID))
	}
	if q.Kind != "" {
		conds = append(conds, "d.kind = "+arg(string(q.Kind)))
	}
	limit := q.Limit
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	docs, err := queryAll(ctx, l.s.reader, "library", scanDoc, `SELECT `+docColumns+` FROM library_docs d WHERE `+
		strings.Join(conds, " AND ")+` ORDER BY d.at DESC, d.id DESC LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	out := make([]lessons.Hit, len(docs))
	for i, d := range docs {
		out[i] = lessons.Hit{Doc: d, Snippet: lessons.SnippetOf(d.Body, terms, 160)}
	}
	return out, nil
}

// ForType lists a type's reviews and drill reports that say something,
// reviews of real crises first, then newest first.
func (l *library) ForType(ctx context.Context, typeID int64, limit int) ([]lessons.Hit, error) {
	if limit <= 0 || limit > 20 {
		limit = 5
	}
	docs, err := queryAll(ctx, l.s.reader, "library", scanDoc, `SELECT `+docColumns+` FROM library_docs d
		WHERE d.type_id = $1 AND d.kind IN ('review', 'drill') AND length(trim(d.body)) > 0
		ORDER BY CASE WHEN d.kind = 'review' AND NOT d.exercise THEN 0 ELSE 1 END, d.at DESC, d.id DESC LIMIT `+strconv.Itoa(limit), typeID)
	if err != nil {
		return nil, err
	}
	out := make([]lessons.Hit, len(docs))
	for i, d := range docs {
		out[i] = lessons.Hit{Doc: d, Snippet: lessons.SnippetOf(d.Body, nil, 200)}
	}
	return out, nil
}
