package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// queryAll runs q and scans every row with scan. what names the rows in
// errors.
func queryAll[T any](ctx context.Context, db querier, what string, scan func(rowScanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return out, nil
}

// QueryContext lets a transaction serve as a querier.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, q, args...)
}

// col is one column and the value to write to it.
type col struct {
	name  string
	value any
}

// setClause writes cols as "a = $1, b = $2, …" and returns it with their
// values, so that an UPDATE of many columns reads as a list a reviewer can
// check line by line. Placeholders after it start at len(args)+1.
func setClause(cols ...col) (set string, args []any) {
	var b strings.Builder
	args = make([]any, 0, len(cols)+4)
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s = $%d", c.name, i+1)
		args = append(args, c.value)
	}
	return b.String(), args
}
