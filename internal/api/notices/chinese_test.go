package notices_test

import (
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
)

func TestConvertChinese(t *testing.T) {
	t.Parallel()
	e := apptest.NewStaff(t, apptest.Options{})
	body := `{"to":"zh-Hans","content":{"headline":"颱風警告","body":"請留在室內。","contact":"熱線 1823"}}`
	w := e.Do("editor", "POST", "/api/v1/notices/convert-chinese", body)
	if w.Status != http.StatusOK || !strings.Contains(w.Body, "台风警告") || !strings.Contains(w.Body, "请留在室内。") {
		t.Fatalf("convert: %d %s", w.Status, w.Body)
	}
	if w := e.Do("observer", "POST", "/api/v1/notices/convert-chinese", body); w.Status != http.StatusForbidden {
		t.Fatalf("observer: %d", w.Status)
	}
	w = e.Do("editor", "POST", "/api/v1/notices/convert-chinese", `{"to":"en","content":{"headline":"x"}}`)
	if w.Status != http.StatusUnprocessableEntity || !apptest.WantProblem(t, w).Has("body.to") {
		t.Fatalf("to en: %d %s", w.Status, w.Body)
	}
}
