package kit_test

import (
	"errors"
	"net/http"
	"testing"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/web/kit"
)

// CheckAndSave: the domain's verdict first, without saving; then the
// store's answer, each turned into what the form shows.
func TestCheckAndSave(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tr := cat.For("en")
	boom := errors.New("disk on fire")
	rules := kit.FieldKeys{"name": "err.required"}
	for _, tc := range []struct {
		name       string
		invalid    error
		saveErr    error
		wantSaved  bool
		wantStatus int
		wantField  string
		wantErr    error
	}{
		{name: "valid and saved", wantSaved: true},
		{name: "invalid: not saved", invalid: fault.Field("name", "is empty"), wantStatus: http.StatusUnprocessableEntity, wantField: "name"},
		{name: "stale version", saveErr: fault.New(fault.Conflict, "moved on"), wantSaved: true, wantStatus: http.StatusConflict, wantField: ""},
		{name: "refused by the store", saveErr: fault.Field("name", "taken"), wantSaved: true, wantStatus: http.StatusUnprocessableEntity, wantField: "name"},
		{name: "other failure", saveErr: boom, wantSaved: true, wantErr: boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved := false
			fe, status, err := kit.CheckAndSave(tr, tc.invalid, rules, rules, func() error { saved = true; return tc.saveErr })
			if saved != tc.wantSaved {
				t.Errorf("saved = %v, want %v", saved, tc.wantSaved)
			}
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d", status, tc.wantStatus)
			}
			if tc.wantStatus == 0 {
				if fe != nil {
					t.Errorf("field errors %v, want none", fe)
				}
				return
			}
			if _, ok := fe[tc.wantField]; !ok || fe[tc.wantField] == "" {
				t.Errorf("field errors %v, want a message for %q", fe, tc.wantField)
			}
		})
	}
}
