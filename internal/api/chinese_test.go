package api

import (
	"net/http"
	"strings"
	"testing"

	"crisisdesk/internal/hanzi"
)

func TestConvertChinese(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conv, err := hanzi.New("hk")
	if err != nil {
		t.Fatal(err)
	}
	body := `{"to":"zh-Hans","content":{"headline":"颱風警告","body":"請留在室內。","contact":"熱線 1823"}}`
	if w := e.do("editor", "POST", "/api/v1/notices/convert-chinese", body); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("without a converter: %d %s", w.Code, w.Body)
	}
	e.api.chinese = conv
	w := e.do("editor", "POST", "/api/v1/notices/convert-chinese", body)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "台风警告") || !strings.Contains(w.Body.String(), "请留在室内。") {
		t.Fatalf("convert: %d %s", w.Code, w.Body)
	}
	if w := e.do("observer", "POST", "/api/v1/notices/convert-chinese", body); w.Code != http.StatusForbidden {
		t.Fatalf("observer: %d", w.Code)
	}
	w = e.do("editor", "POST", "/api/v1/notices/convert-chinese", `{"to":"en","content":{"headline":"x"}}`)
	if w.Code != http.StatusUnprocessableEntity || !hasLocation(decodeProblem(t, w), "body.to") {
		t.Fatalf("to en: %d %s", w.Code, w.Body)
	}
}
