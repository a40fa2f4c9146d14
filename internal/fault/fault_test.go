package fault

import (
	"errors"
	"fmt"
	"testing"
)

func TestFieldsOf(t *testing.T) {
	t.Parallel()
	var two Fields
	two.Add("title", "is required")
	two.Add("level", "must be I–IV")
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"nil", nil, nil},
		{"plain error", errors.New("boom"), nil},
		{"coded without field", New(Conflict, "stale"), nil},
		{"one field, wrapped", fmt.Errorf("save: %w", Field("name", "taken")), []string{"name"}},
		{"a list, wrapped", fmt.Errorf("save: %w", two.Err()), []string{"title", "level"}},
	}
	for _, tt := range tests {
		got := FieldsOf(tt.err)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %d fields, want %v", tt.name, len(got), tt.want)
			continue
		}
		for i, f := range got {
			if f.Field != tt.want[i] || f.Code != Invalid {
				t.Errorf("%s: field %d = %s %s, want %s", tt.name, i, f.Code, f.Field, tt.want[i])
			}
		}
	}
	if CodeOf(two.Err()) != Invalid || CodeOf(nil) != "" || CodeOf(errors.New("x")) != Internal {
		t.Error("CodeOf")
	}
}
