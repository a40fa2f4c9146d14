package store

import (
	"context"
	"fmt"
)

// JobCounts returns how many River jobs are in each state, for metrics.
func (s *Store) JobCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("count jobs: %w", err)
		}
		out[state] = n
	}
	return out, rows.Err()
}

// JobState returns the state of the job with the given id, for tests and
// the admin pages.
func (s *Store) JobState(ctx context.Context, id int64) (string, error) {
	var state string
	if err := s.reader.QueryRowContext(ctx, `SELECT state FROM river_job WHERE id = $1`, id).Scan(&state); err != nil {
		return "", notFound(err, "job", id)
	}
	return state, nil
}
