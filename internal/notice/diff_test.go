package notice

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new string
		want     []DiffOp
	}{
		{"same", "Signal 8 is up.", "Signal 8 is up.", []DiffOp{{Equal, "Signal 8 is up."}}},
		{"empty", "", "", nil},
		{"all new", "", "Stay indoors.", []DiffOp{{Insert, "Stay indoors."}}},
		{"one word", "Signal No. 8 is in force.", "Signal No. 9 is in force.",
			[]DiffOp{{Equal, "Signal No. "}, {Delete, "8"}, {Insert, "9"}, {Equal, " is in force."}}},
		{"words joined across spaces", "Schools close at noon today.", "Schools stay open all day today.",
			[]DiffOp{{Equal, "Schools "}, {Delete, "close at noon"}, {Insert, "stay open all day"}, {Equal, " today."}}},
		{"insertion", "Avoid the harbour.", "Avoid the harbour and the beaches.",
			[]DiffOp{{Equal, "Avoid the harbour"}, {Insert, " and the beaches"}, {Equal, "."}}},
		{"chinese characters", "八號風球現正生效。", "九號風球現正生效。",
			[]DiffOp{{Delete, "八"}, {Insert, "九"}, {Equal, "號風球現正生效。"}}},
		{"chinese deletion", "請市民留在室內，遠離窗戶。", "請市民留在室內。",
			[]DiffOp{{Equal, "請市民留在室內"}, {Delete, "，遠離窗戶"}, {Equal, "。"}}},
		{"mixed scripts", "颱風 Mangkhut 將於下午3時登陸", "颱風 Mangkhut 將於下午5時登陸",
			[]DiffOp{{Equal, "颱風 Mangkhut 將於下午"}, {Delete, "3"}, {Insert, "5"}, {Equal, "時登陸"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Diff(tt.old, tt.new)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Diff(%q, %q)\n got %q\nwant %q", tt.old, tt.new, got, tt.want)
			}
			checkDiff(t, tt.old, tt.new, got)
		})
	}
}

// checkDiff checks that ops rebuild both texts.
func checkDiff(t *testing.T, old, new string, ops []DiffOp) {
	t.Helper()
	var a, b strings.Builder
	for _, op := range ops {
		if op.Kind != Insert {
			a.WriteString(op.Text)
		}
		if op.Kind != Delete {
			b.WriteString(op.Text)
		}
	}
	if a.String() != old || b.String() != new {
		t.Fatalf("ops %q rebuild %q → %q; want %q → %q", ops, a.String(), b.String(), old, new)
	}
}

func TestDiffRebuildsRandomTexts(t *testing.T) {
	t.Parallel()
	words := []string{"the", "signal", "8", "九", "號", "風", " ", "  ", ".", "，", "stay", "home", "\n"}
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	for range 500 {
		old, new := text(), text()
		checkDiff(t, old, new, Diff(old, new))
	}
}

func TestDiffGivesUpGracefully(t *testing.T) {
	t.Parallel()
	var a, b strings.Builder
	for i := range 3000 {
		a.WriteString("a ")
		if i%2 == 0 {
			b.WriteString("b ")
		} else {
			b.WriteString("c ")
		}
	}
	ops := Diff(a.String(), b.String())
	checkDiff(t, a.String(), b.String(), ops)
}

func TestDiffNotices(t *testing.T) {
	t.Parallel()
	orig := valid()
	corr := valid()
	corr.Contents[1].Body = "Signal No. 9 is in force."
	corr.Contents = append(corr.Contents, Content{Language: "zh-Hans", Headline: "台风警告", Body: "九号风球"})
	d := DiffNotices(orig, corr)
	if len(d) != 3 || d[0].Changed() || !d[1].Changed() || d[2].Headline[0].Kind != Insert {
		t.Fatalf("DiffNotices = %+v", d)
	}
}

// Changed reports whether any field changed.
func (d ContentDiff) Changed() bool {
	for _, ops := range [][]DiffOp{d.Headline, d.Body, d.Instruction, d.Contact} {
		for _, op := range ops {
			if op.Kind != Equal {
				return true
			}
		}
	}
	return false
}
