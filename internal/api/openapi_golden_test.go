package api_test

import (
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"crisisdesk/internal/app/apptest"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.golden from the running app")

// TestOpenAPIGolden holds the OpenAPI document to its operations — method,
// path, operation id and the permission each declares — and to the names
// of its schemas, so that moving operations between packages cannot add,
// drop or rename one unnoticed. After a deliberate change, run the test
// with -update and review the diff.
func TestOpenAPIGolden(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, apptest.Options{})
	res := e.API("", http.MethodGet, "/api/v1/openapi.json", nil)
	apptest.WantStatus(t, res, http.StatusOK)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Action      string `json:"x-crisisdesk-action"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatalf("decode the document: %v", err)
	}
	var ops, schemas []string
	for path, methods := range doc.Paths {
		for method, op := range methods {
			action := op.Action
			if action == "" {
				action = "-"
			}
			ops = append(ops, strings.Join([]string{strings.ToUpper(method), path, op.OperationID, action}, " "))
		}
	}
	for name := range doc.Components.Schemas {
		schemas = append(schemas, "schema "+name)
	}
	slices.Sort(ops)
	slices.Sort(schemas)
	got := strings.Join(append(ops, schemas...), "\n") + "\n"

	golden := filepath.Join("testdata", "openapi.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got != string(want) {
		wantLines, gotLines := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for _, l := range gotLines {
			if !slices.Contains(wantLines, l) {
				t.Errorf("new in the document: %s", l)
			}
		}
		for _, l := range wantLines {
			if !slices.Contains(gotLines, l) {
				t.Errorf("gone from the document: %s", l)
			}
		}
		t.Errorf("the OpenAPI document differs from %s; run with -update if the change is meant", golden)
	}
}
