package expert

import (
	"slices"
	"testing"

	"crisisdesk/internal/fault"
)

func TestInputValidate(t *testing.T) {
	t.Parallel()
	ok := Input{Name: "Dr Chan", Email: "chan@example.org", Languages: []string{"en"}}
	for _, c := range []struct {
		name   string
		change func(*Input)
		field  string // "" when valid
	}{
		{"valid", func(*Input) {}, ""},
		{"phone only", func(in *Input) { in.Email, in.Phone = "", "+85291234567" }, ""},
		{"no name", func(in *Input) { in.Name = "" }, "name"},
		{"two lines", func(in *Input) { in.Field = "Meteorology\nHydrology" }, "field"},
		{"neither address", func(in *Input) { in.Email = "" }, "email"},
		{"bad e-mail", func(in *Input) { in.Email = "Chan <chan@example.org>" }, "email"},
		{"bad phone", func(in *Input) { in.Phone = "91234567" }, "phone"},
		{"no language", func(in *Input) { in.Languages = nil }, "languages"},
		{"foreign language", func(in *Input) { in.Languages = []string{"en", "fr"} }, "languages"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := ok
			in.Languages = slices.Clone(ok.Languages)
			c.change(&in)
			in.Normalize()
			err := in.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if fs := fault.FieldsOf(err); len(fs) == 0 || fs[0].Field != c.field {
				t.Fatalf("%v, want the field %s named", err, c.field)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	in := Input{Name: "  Dr Chan ", Phone: "+852 9123-4567", Languages: []string{" en", "zh-Hant", "en", ""}}
	in.Normalize()
	if in.Name != "Dr Chan" || in.Phone != "+85291234567" || !slices.Equal(in.Languages, []string{"en", "zh-Hant"}) {
		t.Fatalf("%+v", in)
	}
	if got := (Expert{Languages: in.Languages}).Language(); got != "en" {
		t.Fatalf("language %s, want en", got)
	}
}
