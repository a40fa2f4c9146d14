// Package crisisview is how the desk's rooms show crises to a reader:
// crisis types and clocks named in the reader's language, and a crisis as
// a row of a list with its most urgent clock. The dashboard (web/desk) and
// the crisis room (web/crises) share it.
package crisisview

import (
	"context"

	"crisisdesk/internal/catalog"
	"crisisdesk/internal/plan"
)

// TypeNames names every crisis type in lang, by id, and returns the types.
func TypeNames(ctx context.Context, plans plan.Service, lang string) (map[int64]string, []catalog.Type, error) {
	types, err := plans.Types(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(types))
	for _, t := range types {
		names[t.ID] = t.Name.For(lang)
	}
	return names, types, nil
}
