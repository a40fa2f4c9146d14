package app_test

import (
	"context"
	"strings"
	"testing"

	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

// Office settings that are wrong in the database (an unknown country
// code, a logo that is not an image or is too large) stop the start with
// one line naming the setting.
func TestBadOfficeSettingsStopTheStart(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		logo       []byte
		want       string
	}{
		{"country code", `{"country_code":"999"}`, nil, "country_code"},
		{"logo not an image", `{}`, []byte("<svg onload=alert(1)>"), "logo"},
		{"logo too large", `{}`, append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 201<<10)...), "logo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dsn := storetest.DSN(t, store.SQLite)
			a, err := newAt(t, dsn, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Store.Writer().ExecContext(context.Background(), `INSERT INTO office_profile (id, body, logo, logo_type, version, updated_at)
				VALUES (1, $1, $2, 'image/png', 1, CURRENT_TIMESTAMP)`, c.body, c.logo); err != nil {
				t.Fatal(err)
			}
			a.Stop(context.Background())
			_, err = newAt(t, dsn, "")
			if err == nil || !strings.Contains(err.Error(), "office settings") || !strings.Contains(err.Error(), c.want) ||
				strings.Contains(err.Error(), "\n") {
				t.Fatalf("start: %v", err)
			}
		})
	}
}
