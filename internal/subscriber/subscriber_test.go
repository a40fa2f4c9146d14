package subscriber

import (
	"testing"
	"time"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/notice"
)

func TestRequestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		req       Request
		wantAddr  string
		badFields []string
	}{
		{"e-mail", Request{Channel: "email", Address: " Chan.TaiMan@Example.ORG ", Language: "zh-Hant"}, "Chan.TaiMan@example.org", nil},
		{"phone with spaces", Request{Channel: "sms", Address: "+852 9123-4567"}, "+85291234567", nil},
		{"webhook", Request{Channel: "webhook", Address: "https://partner.example/hook#x"}, "https://partner.example/hook", nil},
		{"no channel", Request{Address: "a@b.org"}, "", []string{"channel"}},
		{"bad e-mail", Request{Channel: "email", Address: "Tai Man <tm@example.org>"}, "", []string{"address"}},
		{"e-mail without a dot", Request{Channel: "email", Address: "root@localhost"}, "", []string{"address"}},
		{"local phone", Request{Channel: "sms", Address: "91234567"}, "", []string{"address"}},
		{"letters in phone", Request{Channel: "sms", Address: "+852 CALL ME"}, "", []string{"address"}},
		{"ftp webhook", Request{Channel: "webhook", Address: "ftp://partner.example/"}, "", []string{"address"}},
		{"webhook with password", Request{Channel: "webhook", Address: "https://u:p@partner.example/"}, "", []string{"address"}},
		{"everything wrong", Request{Channel: "email", Address: "x", Language: "fr", Categories: []string{"weather"}, Point: "95,200", District: string(make([]byte, 101))},
			"", []string{"address", "language", "categories", "area.point", "area.district"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := tt.req.Validate(FromPublic)
			fs := fault.FieldsOf(err)
			if len(fs) != len(tt.badFields) {
				t.Fatalf("errors %v, want fields %v", err, tt.badFields)
			}
			for i, f := range tt.badFields {
				if fs[i].Field != f {
					t.Errorf("error %d names %q, want %q", i, fs[i].Field, f)
				}
			}
			if err == nil && (s.Address != tt.wantAddr || s.Status != Pending || s.Source != FromPublic || s.Language == "") {
				t.Errorf("subscriber %+v, want address %q pending", s, tt.wantAddr)
			}
		})
	}
}

func TestAreaCovers(t *testing.T) {
	t.Parallel()
	harbour := notice.Area{Description: "Harbour district", Polygons: []string{"22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"}}
	circle := notice.Area{Circles: []string{"22.3,114.2 5"}}
	named := notice.Area{Description: "Shelters open", Geocodes: []notice.Geocode{{Name: "district", Value: "Sha Tin"}}}
	pt := func(lat, lon float64) Area { return Area{Point: &Point{lat, lon}} }
	tests := []struct {
		name string
		sub  Area
		n    notice.Area
		want bool
	}{
		{"no area wants everything", Area{}, harbour, true},
		{"a notice without an area reaches everyone", pt(40, 116), notice.Area{}, true},
		{"point inside the polygon", pt(22.55, 114.1), harbour, true},
		{"point outside the polygon", pt(22.7, 114.1), harbour, false},
		{"point inside the circle", pt(22.32, 114.21), circle, true},
		{"point 50 km away", pt(22.75, 114.2), circle, false},
		{"district in the description", Area{District: "harbour"}, harbour, true},
		{"district as a geocode", Area{District: "sha tin"}, named, true},
		{"another district", Area{District: "Tuen Mun"}, named, false},
		{"a point against a notice with only names", pt(22.3, 114.2), named, true},
		{"a listed district by its English name", Area{District: "sha-tin|沙田區|沙田区|Sha Tin"}, named, true},
		{"a listed district by its Chinese name", Area{District: "sha-tin|沙田區|沙田区|Sha Tin"}, notice.Area{Description: "沙田、大埔"}, true},
		{"a listed district by its code", Area{District: "sha-tin|沙田區|沙田区|Sha Tin"},
			notice.Area{Description: "x", Geocodes: []notice.Geocode{{Name: "district", Value: "sha-tin"}}}, true},
		{"another listed district", Area{District: "tuen-mun|屯門區|屯门区|Tuen Mun"}, notice.Area{Description: "沙田、大埔"}, false},
	}
	for _, tt := range tests {
		if got := tt.sub.Covers(tt.n); got != tt.want {
			t.Errorf("%s: Covers = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEndpointRules(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	e, err := EndpointRequest{URL: "http://10.0.0.5/hook", Audiences: []string{"media", "public", "media"}}.Validate()
	if err != nil || e.Name != e.URL || len(e.Audiences) != 2 || e.Status != EndpointActive {
		t.Fatalf("endpoint %+v %v", e, err)
	}
	if !e.Receives("media", false) || e.Receives("internal", false) || e.Receives("public", true) {
		t.Fatal("audiences or exercises wrong")
	}
	if _, err := (EndpointRequest{URL: "mailto:x@y", Audiences: []string{"everyone"}}).Validate(); len(fault.FieldsOf(err)) != 2 {
		t.Fatalf("bad endpoint: %v", err)
	}
	e.Secret, e.PreviousSecret, e.PreviousUntil = "new", "old", now.Add(time.Hour)
	if s := e.Secrets(now); len(s) != 2 || s[0] != "new" {
		t.Fatalf("secrets during rotation %v", s)
	}
	if s := e.Secrets(now.Add(2 * time.Hour)); len(s) != 1 {
		t.Fatalf("secrets after the grace %v", s)
	}
	e.FailingSince = now
	if e.ShouldPause(now.Add(PauseAfter-time.Second)) || !e.ShouldPause(now.Add(PauseAfter)) {
		t.Fatal("pause rule")
	}
}
