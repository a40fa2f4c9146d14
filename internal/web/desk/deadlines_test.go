package desk_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/app/apptest"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/deadline"
	"crisisdesk/internal/store"
)

// A deadline's alert shows on its owner's dashboard in their language,
// linking to what is owed, until they mark it read.
func TestDashboardDeadlineAlerts(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	ctx := context.Background()
	editor, u := e.SignedIn("dora", authz.Editor)
	other, _ := e.SignedIn("olga", authz.Editor)
	var d deadline.Deadline
	if err := e.Store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		d, err = tx.StartDeadline(ctx, deadline.Deadline{Kind: "test", Subject: deadline.Subject{Kind: "feedback", ID: 7},
			OwnerID: u.ID, Link: "/desk/crises", Args: map[string]string{"ref": "FB-7"}, DueAt: tx.Now.Add(time.Hour)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	alerts, err := e.Store.AlertDeadline(ctx, d.ID, deadline.ExpiredStage, false)
	if err != nil || len(alerts) != 1 {
		t.Fatalf("alerts %+v %v", alerts, err)
	}
	for _, tc := range []struct{ lang, want string }{
		{"en", "Test deadline FB-7 ran out at"},
		{"zh-Hant", "測試期限 FB-7已於"},
		{"zh-Hans", "测试期限 FB-7已于"},
	} {
		apptest.WantStatus(t, editor.PostForm("/desk/account/language", url.Values{"language": {tc.lang}, "next": {"/desk"}}), http.StatusSeeOther)
		res := editor.Get("/desk")
		apptest.WantStatus(t, res, http.StatusOK)
		apptest.WantBody(t, res, `id="deadline-alerts"`, tc.want, `href="/desk/crises"`)
	}
	if strings.Contains(other.Get("/desk").Body, `id="deadline-alerts"`) {
		t.Error("another editor sees the owner's deadline alert")
	}
	res := editor.PostForm("/desk/alerts/read", url.Values{"deadline_alert": {fmt.Sprint(alerts[0].ID)}})
	apptest.WantStatus(t, res, http.StatusSeeOther)
	if strings.Contains(editor.Get("/desk").Body, `id="deadline-alerts"`) {
		t.Error("a read deadline alert still shows")
	}
}
