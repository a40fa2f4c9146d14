package notice

import (
	"strings"
	"unicode"
)

// OpKind says what a diff operation does.
type OpKind string

// The diff operations.
const (
	Equal  OpKind = "equal"
	Insert OpKind = "insert"
	Delete OpKind = "delete"
)

// DiffOp is one run of a diff: text kept, added or removed.
type DiffOp struct {
	Kind OpKind
	Text string
}

// maxEdits bounds the diff's work; past it the texts are shown as replaced
// whole, which is what a reader would make of so many changes anyway.
const maxEdits = 1000

// Diff returns a readable diff from old to new for "what changed" on a
// correction: words in alphabetic scripts, single characters in CJK ones.
// Whitespace alone between two changes joins them into one, and each
// changed region is one Delete followed by one Insert.
func Diff(old, new string) []DiffOp {
	a, b := tokens(old), tokens(new)
	// The common ends need no search, and trimming them keeps it small.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []DiffOp
	if pre > 0 {
		ops = append(ops, DiffOp{Equal, strings.Join(a[:pre], "")})
	}
	mid, ok := myers(a[pre:len(a)-suf], b[pre:len(b)-suf])
	if !ok {
		mid = []DiffOp{{Delete, strings.Join(a[pre:len(a)-suf], "")}, {Insert, strings.Join(b[pre:len(b)-suf], "")}}
	}
	ops = append(ops, mid...)
	if suf > 0 {
		ops = append(ops, DiffOp{Equal, strings.Join(a[len(a)-suf:], "")})
	}
	return tidy(ops)
}

// tokens splits s into runs of letters and digits, single CJK characters,
// runs of whitespace and single other characters (punctuation, symbols).
func tokens(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		switch r := rs[i]; {
		case isCJK(r):
		case isWord(r):
			for j < len(rs) && isWord(rs[j]) && !isCJK(rs[j]) {
				j++
			}
		case unicode.IsSpace(r):
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) }

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// myers is Myers' O(ND) diff on tokens. It keeps, for each edit distance d,
// only the diagonals -d-1…d+1 it can reach, so memory grows with the square
// of the number of edits, not with the length of the texts. It gives up
// (false) past maxEdits.
func myers(a, b []string) ([]DiffOp, bool) {
	n, m := len(a), len(b)
	if n == 0 && m == 0 {
		return nil, true
	}
	limit := min(n+m, maxEdits)
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace), true
			}
		}
	}
	return nil, false
}

func backtrack(a, b []string, trace [][]int) []DiffOp {
	var rev []DiffOp
	x, y := len(a), len(b)
	for d := len(trace) - 1; d >= 0; d-- {
		v, o := trace[d], d+1 // v[o+k] is diagonal k
		k := x - y
		var pk int
		if k == -d || (k != d && v[o+k-1] < v[o+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := v[o+pk]
		py := px - pk
		for x > px && y > py {
			rev = append(rev, DiffOp{Equal, a[x-1]})
			x, y = x-1, y-1
		}
		if d > 0 {
			if x == px {
				rev = append(rev, DiffOp{Insert, b[y-1]})
			} else {
				rev = append(rev, DiffOp{Delete, a[x-1]})
			}
		}
		x, y = px, py
	}
	out := make([]DiffOp, len(rev))
	for i, op := range rev {
		out[len(rev)-1-i] = op
	}
	return out
}

// tidy merges token operations into runs a reader can follow: each changed
// region, including whitespace-only equal runs between two changes,
// becomes one Delete then one Insert.
func tidy(ops []DiffOp) []DiffOp {
	var out []DiffOp
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, DiffOp{Delete, del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, DiffOp{Insert, ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	changed := func(i int) bool { return i < len(ops) && ops[i].Kind != Equal }
	for i := 0; i < len(ops); i++ {
		op := ops[i]
		switch {
		case op.Kind == Delete:
			del.WriteString(op.Text)
		case op.Kind == Insert:
			ins.WriteString(op.Text)
		case (del.Len() > 0 || ins.Len() > 0) && strings.TrimSpace(op.Text) == "" && changed(i+1):
			del.WriteString(op.Text)
			ins.WriteString(op.Text)
		default:
			flush()
			if n := len(out); n > 0 && out[n-1].Kind == Equal {
				out[n-1].Text += op.Text
			} else {
				out = append(out, op)
			}
		}
	}
	flush()
	return out
}

// ContentDiff is what changed in each field of one language.
type ContentDiff struct {
	Language    string
	Headline    []DiffOp
	Body        []DiffOp
	Instruction []DiffOp
	Contact     []DiffOp
}

// DiffNotices returns, per language of the correction, what changed from
// the original; a language the original lacked shows as all inserted.
func DiffNotices(orig, corr Notice) []ContentDiff {
	var out []ContentDiff
	for _, c := range corr.Contents {
		var o Content
		if p := orig.Content(c.Language); p != nil {
			o = *p
		}
		out = append(out, ContentDiff{
			Language:    c.Language,
			Headline:    Diff(o.Headline, c.Headline),
			Body:        Diff(o.Body, c.Body),
			Instruction: Diff(o.Instruction, c.Instruction),
			Contact:     Diff(o.Contact, c.Contact),
		})
	}
	return out
}
