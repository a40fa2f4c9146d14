package notice

import (
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
	"crisisdesk/internal/catalog"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/plan"
)

var (
	now       = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	editor    = authz.Actor{UserID: 1, Name: "ed", Role: authz.Editor}
	approver  = authz.Actor{UserID: 2, Name: "ap", Role: authz.Approver}
	commander = authz.Actor{UserID: 3, Name: "cm", Role: authz.Commander}
	reviewer  = authz.Actor{UserID: 4, Name: "rv", Role: authz.Reviewer}
	observer  = authz.Actor{UserID: 5, Name: "ob", Role: authz.Observer}
)

// valid returns a public alert that passes Validate.
func valid() Notice {
	return Notice{
		ID: 10, CrisisID: 7, Kind: Alert, Audience: Public, Status: Draft, AuthorID: editor.UserID,
		Contents: []Content{
			{Language: "zh-Hant", Headline: "颱風警告", Body: "八號風球現正生效。", Instruction: "請留在室內。"},
			{Language: "en", Headline: "Typhoon warning", Body: "Signal No. 8 is in force.", Contact: "2123 4567"},
		},
		CAP: CAPInfo{
			Event: "Typhoon", Category: "Met", Urgency: "Immediate", Severity: "Severe", Certainty: "Observed",
			Effective: now, Expires: now.Add(6 * time.Hour),
			Area: Area{
				Description: "Harbour",
				Polygons:    []string{"22.5,114.0 22.6,114.1 22.5,114.2 22.5,114.0"},
				Circles:     []string{"22.3,114.2 5"},
				Geocodes:    []Geocode{{"district", "Wan Chai"}},
			},
		},
	}
}

func fieldOf(err error) string { return fault.As(err).Field }

// hasField reports whether err names field among all its invalid fields.
func hasField(err error, field string) bool {
	if err == nil {
		return false
	}
	for _, f := range fault.FieldsOf(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestValidateAcceptsValid(t *testing.T) {
	t.Parallel()
	if err := Validate(valid()); err != nil {
		t.Fatal(err)
	}
	n := valid()
	n.Audience, n.CAP = Internal, CAPInfo{}
	n.Roles = []authz.Role{authz.Liaison}
	if err := Validate(n); err != nil {
		t.Fatalf("internal notice without CAP: %v", err)
	}
}

func TestValidateRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*Notice)
		field string
	}{
		{"no language", func(n *Notice) { n.Contents = nil }, "contents"},
		{"bad tag", func(n *Notice) { n.Contents[1].Language = "english!" }, "contents[1].language"},
		{"undetermined tag", func(n *Notice) { n.Contents[1].Language = "und" }, "contents[1].language"},
		{"duplicate language", func(n *Notice) { n.Contents[1].Language = "zh-hant" }, "contents[1].language"},
		{"empty headline", func(n *Notice) { n.Contents[1].Headline = "  " }, "contents[1].headline"},
		{"long headline", func(n *Notice) { n.Contents[0].Headline = strings.Repeat("颱", 161) }, "contents[0].headline"},
		{"empty body", func(n *Notice) { n.Contents[0].Body = "" }, "contents[0].body"},
		{"kind", func(n *Notice) { n.Kind = "rumour" }, "kind"},
		{"audience", func(n *Notice) { n.Audience = "everyone" }, "audience"},
		{"internal without recipients", func(n *Notice) { n.Audience = Internal }, "departments"},
		{"bad role", func(n *Notice) { n.Audience, n.Roles = Internal, []authz.Role{"chef"} }, "roles[0]"},
		{"event required for public", func(n *Notice) { n.CAP.Event = "" }, "cap.event"},
		{"urgency", func(n *Notice) { n.CAP.Urgency = "Now" }, "cap.urgency"},
		{"urgency required", func(n *Notice) { n.CAP.Urgency = "" }, "cap.urgency"},
		{"severity", func(n *Notice) { n.CAP.Severity = "severe" }, "cap.severity"},
		{"certainty", func(n *Notice) { n.CAP.Certainty = "Sure" }, "cap.certainty"},
		{"category", func(n *Notice) { n.CAP.Category = "Weather" }, "cap.category"},
		{"expires before effective", func(n *Notice) { n.CAP.Expires = now.Add(-time.Hour) }, "cap.expires"},
		{"area without description", func(n *Notice) { n.CAP.Area.Description = "" }, "cap.area.description"},
		{"open polygon", func(n *Notice) { n.CAP.Area.Polygons[0] = "22.5,114.0 22.6,114.1 22.5,114.2 22.7,114.0" }, "cap.area.polygons[0]"},
		{"short polygon", func(n *Notice) { n.CAP.Area.Polygons[0] = "22.5,114.0 22.6,114.1 22.5,114.0" }, "cap.area.polygons[0]"},
		{"polygon latitude", func(n *Notice) { n.CAP.Area.Polygons[0] = "92.5,114.0 22.6,114.1 22.5,114.2 92.5,114.0" }, "cap.area.polygons[0]"},
		{"polygon longitude", func(n *Notice) { n.CAP.Area.Polygons[0] = "22.5,194.0 22.6,114.1 22.5,114.2 22.5,194.0" }, "cap.area.polygons[0]"},
		{"polygon point", func(n *Notice) { n.CAP.Area.Polygons[0] = "22.5;114.0 22.6,114.1 22.5,114.2 22.5;114.0" }, "cap.area.polygons[0]"},
		{"circle radius", func(n *Notice) { n.CAP.Area.Circles[0] = "22.3,114.2 -5" }, "cap.area.circles[0]"},
		{"circle shape", func(n *Notice) { n.CAP.Area.Circles[0] = "22.3,114.2" }, "cap.area.circles[0]"},
		{"circle centre", func(n *Notice) { n.CAP.Area.Circles[0] = "22.3,514.2 5" }, "cap.area.circles[0]"},
		{"geocode", func(n *Notice) { n.CAP.Area.Geocodes[0].Value = "" }, "cap.area.geocodes[0]"},
		{"correction without reference", func(n *Notice) { n.Kind, n.CorrectionReason = Correction, Factual }, "references"},
		{"cancellation without reference", func(n *Notice) { n.Kind = Cancellation }, "references"},
		{"self reference", func(n *Notice) { n.Kind, n.References = Update, n.ID }, "references"},
		{"correction without reason", func(n *Notice) { n.Kind, n.References = Correction, 9 }, "correction_reason"},
		{"correction bad reason", func(n *Notice) { n.Kind, n.References, n.CorrectionReason = Correction, 9, "typo" }, "correction_reason"},
		{"reason on an alert", func(n *Notice) { n.CorrectionReason = Wording }, "correction_reason"},
		{"vertical tab in a headline", func(n *Notice) { n.Contents[1].Headline = "Typhoon\vwarning"; Normalize(n) }, "contents[1].headline"},
		{"line break in a headline", func(n *Notice) { n.Contents[1].Headline = "Typhoon\nwarning" }, "contents[1].headline"},
		{"vertical tab in a body", func(n *Notice) { n.Contents[1].Body = "Signal 8\vis in force." }, "contents[1].body"},
		{"nul in a body", func(n *Notice) { n.Contents[0].Body = "八號\x00風球" }, "contents[0].body"},
		{"escape in an instruction", func(n *Notice) { n.Contents[0].Instruction = "\x1b[31mstay in" }, "contents[0].instruction"},
		{"c1 control in a contact", func(n *Notice) { n.Contents[1].Contact = "2123\u00904567" }, "contents[1].contact"},
		{"invalid utf-8 in a body", func(n *Notice) { n.Contents[1].Body = "Signal \xff8" }, "contents[1].body"},
		{"control in the event", func(n *Notice) { n.CAP.Event = "Typh\x07oon" }, "cap.event"},
		{"control in the area", func(n *Notice) { n.CAP.Area.Description = "Harbour\x0b" }, "cap.area.description"},
		{"control in a geocode", func(n *Notice) { n.CAP.Area.Geocodes[0].Value = "Wan\x00Chai" }, "cap.area.geocodes[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := valid()
			tt.edit(&n)
			err := Validate(n)
			if !fault.Is(err, fault.Invalid) || !hasField(err, tt.field) {
				t.Fatalf("Validate = %v; want invalid %s", err, tt.field)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	n := valid()
	n.Contents = []Content{
		{Language: "fr", Headline: " Alerte ", Body: "x"},
		{Language: "EN", Headline: "Warning", Body: "x"},
		{Language: "zh-hans", Headline: "警告", Body: "x"},
		{Language: "zh-Hant", Headline: "警告", Body: "x"},
	}
	Normalize(&n)
	if got := strings.Join(n.Languages(), ","); got != "zh-Hant,zh-Hans,en,fr" {
		t.Fatalf("languages = %s", got)
	}
	if n.Contents[3].Headline != "Alerte" {
		t.Fatalf("not trimmed: %q", n.Contents[3].Headline)
	}
}

// TestNormalizePastedBreaks checks that every line break a paste can carry
// becomes "\n" before validation, so that a soft line break from a word
// processor (a vertical tab) is kept as a break in a text of several
// lines; in a headline, which is one line, it is refused (TestValidateRules).
func TestNormalizePastedBreaks(t *testing.T) {
	t.Parallel()
	n := valid()
	n.Contents[1] = Content{Language: "en", Headline: "Typhoon warning\v", Body: "Signal 8.\r\nStay in.\rAvoid\u2028the coast.\u2029Shelters\u0085open.\fEnd",
		Instruction: "Stay\r\nin", Contact: "Hotline\v2123 4567"}
	n.CAP.Event, n.CAP.Area.Description = "Typhoon\r\n", "Harbour\vand coast"
	n.CAP.Area.Geocodes = []Geocode{{"district\r", "Wan Chai\u2028"}}
	Normalize(&n)
	want := Content{Language: "en", Headline: "Typhoon warning", Body: "Signal 8.\nStay in.\nAvoid\nthe coast.\nShelters\nopen.\nEnd",
		Instruction: "Stay\nin", Contact: "Hotline\n2123 4567"}
	if got := *n.Content("en"); got != want {
		t.Errorf("normalised content = %+v\nwant %+v", got, want)
	}
	if n.CAP.Event != "Typhoon" || n.CAP.Area.Description != "Harbour\nand coast" || n.CAP.Area.Geocodes[0] != (Geocode{"district", "Wan Chai"}) {
		t.Errorf("normalised CAP = %+v", n.CAP)
	}
	if err := Validate(n); err != nil {
		t.Errorf("a notice with pasted breaks is refused after Normalize: %v", err)
	}
}

func TestWorkflow(t *testing.T) {
	t.Parallel()
	n := valid()
	if _, err := Submit(n, observer, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("observer submits: %v", err)
	}
	bad := valid()
	bad.Contents[0].Headline = ""
	if _, err := Submit(bad, editor, now, ""); !fault.Is(err, fault.Invalid) {
		t.Fatalf("submit invalid: %v", err)
	}
	if _, err := Approve(n, approver, now, ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("approve a draft: %v", err)
	}
	n, err := Submit(n, editor, now, "ready")
	if err != nil || n.Status != Submitted || !n.SubmittedAt.Equal(now) {
		t.Fatalf("submit: %v %+v", err, n)
	}
	selfApprover := authz.Actor{UserID: editor.UserID, Name: "ed", Role: authz.Commander}
	if _, err := Approve(n, selfApprover, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("author approves own notice: %v", err)
	}
	if _, err := Approve(n, editor, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("editor approves: %v", err)
	}
	if _, err := Return(n, approver, now, " "); fieldOf(err) != "reason" {
		t.Fatalf("return without reason: %v", err)
	}
	back, err := Return(n, approver, now, "check the signal number")
	if err != nil || back.Status != Draft || !back.SubmittedAt.IsZero() {
		t.Fatalf("return: %v %+v", err, back)
	}
	if _, err := Publish(n, commander, now, false); !fault.Is(err, fault.Conflict) {
		t.Fatalf("publish a submitted notice: %v", err)
	}
	later := now.Add(time.Minute)
	if n, err = Approve(n, approver, later, "ok"); err != nil || n.Status != Approved || n.ApproverID != approver.UserID {
		t.Fatalf("approve: %v %+v", err, n)
	}
	if _, err := Publish(n, editor, later, false); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("editor publishes: %v", err)
	}
	if n, err = Publish(n, approver, later, false); err != nil || n.Status != Published || n.FastPath || !n.PublishedAt.Equal(later) {
		t.Fatalf("publish: %v %+v", err, n)
	}
	if _, err := Publish(n, approver, later, false); !fault.Is(err, fault.Conflict) {
		t.Fatalf("double publish: %v", err)
	}
	if _, err := Edit(n, editor, later, Changes{Contents: n.Contents}); !fault.Is(err, fault.Conflict) || !strings.Contains(err.Error(), "correction") {
		t.Fatalf("edit published: %v", err)
	}
	var actions []string
	for _, s := range n.Steps {
		actions = append(actions, s.Action)
	}
	if got := strings.Join(actions, ","); got != "submit,approve,publish" {
		t.Fatalf("steps = %s", got)
	}
}

func TestEditSendsApprovedBackToDraft(t *testing.T) {
	t.Parallel()
	n := valid()
	n, _ = Submit(n, editor, now, "")
	n, _ = Approve(n, approver, now, "")
	c := Changes{Audience: Public, Contents: n.Contents, CAP: n.CAP}
	c.Contents = append([]Content(nil), n.Contents...)
	c.Contents[1].Headline = "Typhoon warning: signal 8"
	e, err := Edit(n, editor, now, c)
	if err != nil || e.Status != Draft || e.ApproverID != 0 || e.Contents[1].Headline != "Typhoon warning: signal 8" {
		t.Fatalf("edit approved: %v %+v", err, e)
	}
	if n.Contents[1].Headline == e.Contents[1].Headline {
		t.Fatal("edit changed the original's contents")
	}
}

func TestFastPath(t *testing.T) {
	t.Parallel()
	fromTemplate := valid()
	fromTemplate.TemplatePlanID = 42
	tests := []struct {
		name    string
		n       Notice
		actor   authz.Actor
		allowed bool
		want    fault.Code
	}{
		{"commander, allowed", fromTemplate, commander, true, ""},
		{"commander, not allowed", fromTemplate, commander, false, fault.Conflict},
		{"approver, allowed", fromTemplate, approver, true, fault.Forbidden},
		{"editor, allowed", fromTemplate, editor, true, fault.Forbidden},
		{"not from a template", valid(), commander, true, fault.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Publish(tt.n, tt.actor, now, tt.allowed)
			if fault.CodeOf(err) != tt.want {
				t.Fatalf("Publish = %v; want %q", err, tt.want)
			}
			if err == nil && (!got.FastPath || got.Status != Published || !got.NeedsReview()) {
				t.Fatalf("fast path not marked: %+v", got)
			}
		})
	}

	n, _ := Publish(fromTemplate, commander, now, true)
	if _, err := ReviewAfter(n, authz.Actor{UserID: commander.UserID, Role: authz.Approver}, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("publisher reviews own: %v", err)
	}
	if _, err := ReviewAfter(n, editor, now, ""); !fault.Is(err, fault.Forbidden) {
		t.Fatalf("editor reviews: %v", err)
	}
	r, err := ReviewAfter(n, reviewer, now.Add(time.Hour), "fine")
	if err != nil || r.NeedsReview() || r.ReviewerID != reviewer.UserID {
		t.Fatalf("review after: %v %+v", err, r)
	}
	if _, err := ReviewAfter(r, approver, now, ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("second review: %v", err)
	}
	normal, _ := Submit(valid(), editor, now, "")
	normal, _ = Approve(normal, approver, now, "")
	normal, _ = Publish(normal, approver, now, false)
	if _, err := ReviewAfter(normal, reviewer, now, ""); !fault.Is(err, fault.Conflict) {
		t.Fatalf("review of a normal notice: %v", err)
	}
}

func TestFastPathAllowed(t *testing.T) {
	t.Parallel()
	p := plan.Plan{Status: plan.Approved, Body: plan.Body{FastPathLevels: []catalog.Level{catalog.LevelI, catalog.LevelII, catalog.LevelIII}}}
	tests := []struct {
		name  string
		p     plan.Plan
		level catalog.Level
		want  bool
	}{
		{"level I", p, catalog.LevelI, true},
		{"level II", p, catalog.LevelII, true},
		{"level III never", p, catalog.LevelIII, false},
		{"plan does not list it", plan.Plan{Status: plan.Approved, Body: plan.Body{FastPathLevels: []catalog.Level{catalog.LevelI}}}, catalog.LevelII, false},
		{"plan not in force", plan.Plan{Status: plan.Draft, Body: p.Body}, catalog.LevelI, false},
	}
	for _, tt := range tests {
		if got := FastPathAllowed(tt.p, tt.level); got != tt.want {
			t.Errorf("%s: FastPathAllowed = %v", tt.name, got)
		}
	}
}

func published(n Notice) Notice {
	n.Status, n.PublishedAt = Published, now
	return n
}

func TestFollowUps(t *testing.T) {
	t.Parallel()
	orig := published(valid())
	orig.Exercise = true
	fixed := []Content{{Language: "en", Headline: "Typhoon warning", Body: "Signal No. 9 is in force."}}

	c, err := NewCorrection(orig, Factual, fixed, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != Correction || c.References != orig.ID || c.CrisisID != orig.CrisisID || c.Audience != orig.Audience ||
		!c.Exercise || c.CAP.Event != "Typhoon" || c.CorrectionReason != Factual || c.Status != Draft || c.ID != 0 {
		t.Fatalf("correction: %+v", c)
	}
	c.CAP.Area.Polygons[0] = "changed"
	if orig.CAP.Area.Polygons[0] == "changed" {
		t.Fatal("correction shares the original's area")
	}
	c.ID = 11
	if err := Validate(c); err == nil || !hasField(err, "cap.area.polygons[0]") {
		t.Fatalf("expected only the polygon I broke: %v", err)
	}

	if _, err := NewCorrection(orig, "typo", fixed, now); fieldOf(err) != "reason" {
		t.Fatalf("bad reason: %v", err)
	}
	if _, err := NewCorrection(valid(), Wording, fixed, now); !fault.Is(err, fault.Conflict) {
		t.Fatalf("correct a draft: %v", err)
	}
	same, _ := NewCorrection(orig, Wording, nil, now)
	if len(same.Contents) != 2 {
		t.Fatalf("correction without contents starts from the original: %+v", same.Contents)
	}

	x, err := NewCancellation(orig, fixed, now)
	if err != nil || x.Kind != Cancellation || x.References != orig.ID || x.CAP.Severity != "Severe" {
		t.Fatalf("cancellation: %v %+v", err, x)
	}
	x.ID = 12
	if err := Validate(x); err != nil {
		t.Fatalf("cancellation invalid: %v", err)
	}
	if _, err := NewCancellation(published(x), fixed, now); !fault.Is(err, fault.Conflict) {
		t.Fatalf("cancel a cancellation: %v", err)
	}
	ac, err := NewAllClear(orig, fixed, now)
	if err != nil || ac.Kind != AllClear || ac.References != orig.ID || ac.CAP.Urgency != "Past" || !ac.Exercise {
		t.Fatalf("all clear: %v %+v", err, ac)
	}
}

func TestAccuracy(t *testing.T) {
	t.Parallel()
	pub := func(id int64, k Kind, aud Audience, ref int64, r Reason) Notice {
		return Notice{ID: id, Kind: k, Audience: aud, Status: Published, References: ref, CorrectionReason: r}
	}
	list := []Notice{
		pub(1, Alert, Public, 0, ""),
		pub(2, Update, Public, 0, ""),
		pub(3, Correction, Public, 1, Factual),
		pub(4, Correction, Public, 3, Factual), // corrects the correction: still notice 1
		pub(5, Correction, Public, 2, Wording),
		pub(6, AllClear, Public, 1, ""),
		pub(7, Alert, Internal, 0, ""),
		pub(8, Correction, Internal, 7, Factual),
		{ID: 9, Kind: Alert, Audience: Public, Status: Draft},
	}
	factual, total := Accuracy(list)
	if factual != 1 || total != 3 {
		t.Fatalf("Accuracy = %d of %d; want 1 of 3", factual, total)
	}
	if f, n := Accuracy(nil); f != 0 || n != 0 {
		t.Fatalf("empty: %d %d", f, n)
	}
}

func TestOfficeLanguage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ tag, want string }{
		{"zh-TW", "zh-Hant"}, {"zh-HK", "zh-Hant"}, {"zh-MO", "zh-Hant"}, {"zh-Hant-TW", "zh-Hant"}, {"zh-hant", "zh-Hant"},
		{"zh-CN", "zh-Hans"}, {"zh-SG", "zh-Hans"}, {"zh-Hans", "zh-Hans"},
		{"en-US", "en"}, {"en-GB", "en"}, {"EN", "en"}, {"en", "en"},
		{"zh", "zh"}, {"ja-JP", "ja-JP"}, {"fr", "fr"},
	} {
		got, err := OfficeLanguage(tt.tag)
		if err != nil || got != tt.want {
			t.Errorf("OfficeLanguage(%q) = %q, %v; want %q", tt.tag, got, err, tt.want)
		}
	}
	if _, err := OfficeLanguage("!!"); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("OfficeLanguage(!!) = %v, want invalid", err)
	}
}
