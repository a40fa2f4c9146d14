package kit

import (
	"slices"
	"testing"

	"crisisdesk/internal/i18n"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	body := `<form><input type="hidden" name="title" value="x">
<label for="t">Title</label><input id="t" name="title">
<label for="n-en">English</label><input id="n-en" name="name_en">
<label for="note-text">Note</label><textarea id="note-text" name="text" aria-describedby="note-error"></textarea>
<label for="lv">Level <abbr>*</abbr></label><select id="lv" name="level"></select>
<fieldset id="people"><legend>Observers</legend><input id="o-7" name="observers" type="checkbox" value="7"><label for="o-7">Ada</label></fieldset>
<label for="after">After</label><input id="after" name="after" type="checkbox"></form>`
	tests := []struct {
		name string
		lang string
		fe   FieldErrors
		want []summaryItem
	}{
		{"ordered as on the page, each named", "en", FieldErrors{"level": "Choose a level.", "title": "Required."},
			[]summaryItem{{Href: "#t", Text: "Title: Required."}, {Href: "#lv", Text: "Level: Choose a level."}}},
		{"the form's own message first", "en", FieldErrors{"title": "Required.", "": "Someone else changed this."},
			[]summaryItem{{ID: "form-error", Text: "Someone else changed this."}, {Href: "#t", Text: "Title: Required."}}},
		{"by the control that names the message", "en", FieldErrors{"note": "Write a note."},
			[]summaryItem{{Href: "#note-text", Text: "Note: Write a note."}}},
		{"a group of controls by its first", "en", FieldErrors{"name": "Give a name."},
			[]summaryItem{{Href: "#n-en", Text: "English: Give a name."}}},
		{"a message that names its field stays", "en", FieldErrors{"title": "Enter a Title."},
			[]summaryItem{{Href: "#t", Text: "Enter a Title."}}},
		{"no control: unlinked, last", "en", FieldErrors{"gone": "Lost.", "title": "Required."},
			[]summaryItem{{Href: "#t", Text: "Title: Required."}, {Text: "Lost."}}},
		{"a group of choices by its legend", "en", FieldErrors{"observers": "Name an observer."},
			[]summaryItem{{Href: "#o-7", Text: "Observers: Name an observer."}}},
		{"a checkbox of its own by its label", "en", FieldErrors{"after": "Tick it."},
			[]summaryItem{{Href: "#after", Text: "After: Tick it."}}},
		{"in Chinese", "zh-Hant", FieldErrors{"title": "必填。"},
			[]summaryItem{{Href: "#t", Text: "Title：必填。"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := summarize(cat.For(tc.lang), tc.fe, body)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
