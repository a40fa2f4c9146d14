package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
)

// plans implements plan.Service.
type plans struct{ s *Store }

const typeColumns = `id, code, category, name, indicators, notify, created_at, updated_at, version`

func scanType(r rowScanner) (catalog.Type, error) {
	var t catalog.Type
	var cat, name, ind, notify string
	if err := r.Scan(&t.ID, &t.Code, &cat, &name, &ind, &notify, &t.CreatedAt, &t.UpdatedAt, &t.Version); err != nil {
		return t, err
	}
	t.Category = catalog.Category(cat)
	t.CreatedAt, t.UpdatedAt = utc(t.CreatedAt), utc(t.UpdatedAt)
	if err := json.Unmarshal([]byte(name), &t.Name); err != nil {
		return t, fmt.Errorf("type %d name: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(ind), &t.Indicators); err != nil {
		return t, fmt.Errorf("type %d indicators: %w", t.ID, err)
	}
	if err := json.Unmarshal([]byte(notify), &t.Notify); err != nil {
		return t, fmt.Errorf("type %d notify: %w", t.ID, err)
	}
	return t, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("encode %T: %v", v, err)) // only our own plain types reach here
	}
	return string(b)
}

func normalizeType(t *catalog.Type) {
	t.Code = strings.ToLower(strings.TrimSpace(t.Code))
	if t.Indicators == nil {
		t.Indicators = []catalog.Text{}
	}
	if t.Notify == nil {
		t.Notify = []string{}
	}
}

func (p *plans) Types(ctx context.Context) ([]catalog.Type, error) {
	rows, err := p.s.reader.QueryContext(ctx, `SELECT `+typeColumns+` FROM crisis_types ORDER BY category, code`)
	if err != nil {
		return nil, fmt.Errorf("list crisis types: %w", err)
	}
	defer rows.Close()
	var out []catalog.Type
	for rows.Next() {
		t, err := scanType(rows)
		if err != nil {
			return nil, fmt.Errorf("list crisis types: %w", err)
		}
		out = append(out, t)
	}
	// Show categories in their defined order, not alphabetically.
	order := map[catalog.Category]int{}
	for i, c := range catalog.Categories {
		order[c] = i
	}
	slices.SortStableFunc(out, func(a, b catalog.Type) int { return order[a.Category] - order[b.Category] })
	return out, rows.Err()
}

func (p *plans) Type(ctx context.Context, id int64) (catalog.Type, error) {
	t, err := scanType(p.s.reader.QueryRowContext(ctx, `SELECT `+typeColumns+` FROM crisis_types WHERE id = $1`, id))
	if err != nil {
		return t, notFound(err, "crisis type", id)
	}
	return t, nil
}

func (p *plans) CreateType(ctx context.Context, a authz.Actor, t catalog.Type) (catalog.Type, error) {
	if err := authz.Require(a, authz.ManageCatalog); err != nil {
		return t, err
	}
	normalizeType(&t)
	if err := t.Validate(); err != nil {
		return t, err
	}
	var out catalog.Type
	err := p.s.InTx(ctx, func(tx *Tx) error {
		var err error
		out, err = insertType(ctx, tx, a, t)
		return err
	})
	return out, err
}

func insertType(ctx context.Context, tx *Tx, a authz.Actor, t catalog.Type) (catalog.Type, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO crisis_types (code, category, name, indicators, notify, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
		t.Code, string(t.Category), mustJSON(t.Name), mustJSON(t.Indicators), mustJSON(t.Notify), tx.Now).Scan(&id)
	if isUnique(err) {
		return t, fault.Field("code", "the code %q is taken", t.Code)
	}
	if err != nil {
		return t, fmt.Errorf("insert crisis type: %w", err)
	}
	out, err := scanType(tx.QueryRow(ctx, `SELECT `+typeColumns+` FROM crisis_types WHERE id = $1`, id))
	if err != nil {
		return out, fmt.Errorf("read crisis type: %w", err)
	}
	return out, tx.Audit(ctx, a, "crisis_type.create", "crisis_type", strconv.FormatInt(id, 10), nil, out)
}

func (p *plans) UpdateType(ctx context.Context, a authz.Actor, t catalog.Type) (catalog.Type, error) {
	if err := authz.Require(a, authz.ManageCatalog); err != nil {
		return t, err
	}
	normalizeType(&t)
	if err := t.Validate(); err != nil {
		return t, err
	}
	var out catalog.Type
	err := p.s.InTx(ctx, func(tx *Tx) error {
		before, err := scanType(tx.QueryRow(ctx, `SELECT `+typeColumns+` FROM crisis_types WHERE id = $1`, t.ID))
		if err != nil {
			return notFound(err, "crisis type", t.ID)
		}
		if before.Version != t.Version {
			return fault.New(fault.Conflict, "crisis type %s was changed by someone else: reload and try again", before.Code)
		}
		_, err = tx.Exec(ctx, `UPDATE crisis_types SET code = $1, category = $2, name = $3, indicators = $4, notify = $5,
			updated_at = $6, version = version + 1 WHERE id = $7`,
			t.Code, string(t.Category), mustJSON(t.Name), mustJSON(t.Indicators), mustJSON(t.Notify), tx.Now, t.ID)
		if isUnique(err) {
			return fault.Field("code", "the code %q is taken", t.Code)
		}
		if err != nil {
			return fmt.Errorf("update crisis type: %w", err)
		}
		if out, err = scanType(tx.QueryRow(ctx, `SELECT `+typeColumns+` FROM crisis_types WHERE id = $1`, t.ID)); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "crisis_type.update", "crisis_type", strconv.FormatInt(t.ID, 10), before, out)
	})
	return out, err
}

// SeedCatalog loads the default catalogue when there are no crisis types.
// It returns how many it loaded.
func (s *Store) SeedCatalog(ctx context.Context) (int, error) {
	n := 0
	err := s.InTx(ctx, func(tx *Tx) error {
		var count int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM crisis_types`).Scan(&count); err != nil {
			return fmt.Errorf("count crisis types: %w", err)
		}
		if count > 0 {
			return nil
		}
		a := authz.System(authz.SourceSystem, "crisisdesk")
		for _, t := range catalog.Defaults() {
			normalizeType(&t)
			if _, err := insertType(ctx, tx, a, t); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
