package plaintext

import (
	"errors"
	"testing"

	"crisisdesk/internal/fault"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Typhoon 颱風 🌀", "Typhoon 颱風 🌀"},
		{"crlf", "a\r\nb", "a\nb"},
		{"cr", "a\rb", "a\nb"},
		{"crlf twice", "a\r\n\r\nb", "a\n\nb"},
		{"vertical tab", "line one\vline two", "line one\nline two"},
		{"form feed", "page\fnext", "page\nnext"},
		{"nel", "a\u0085b", "a\nb"},
		{"line separator", "a\u2028b", "a\nb"},
		{"paragraph separator", "a\u2029b", "a\nb"},
		{"tab stays", "a\tb", "a\tb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDisallowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		in   string
		want rune
		bad  bool
	}{
		{"empty", "", 0, false},
		{"text", "Stay indoors.\n\tAvoid the coast. 留在室內。", 0, false},
		{"supplementary", "𠀋 and 🌀", 0, false},
		{"replacement char", "\uFFFD", 0, false},
		{"private use", "\uE000", 0, false},
		{"vertical tab", "a\vb", '\v', true},
		{"nul", "a\x00b", 0, true},
		{"escape", "\x1b[31m", 0x1b, true},
		{"carriage return", "a\rb", '\r', true},
		{"delete", "a\x7fb", 0x7f, true},
		{"c1 control", "a\u0080b", 0x80, true},
		{"nel unnormalised", "a\u0085b", 0x85, true},
		{"fffe", "a\uFFFEb", 0xFFFE, true},
		{"ffff", "a\uFFFFb", 0xFFFF, true},
		{"invalid utf-8", "a\xffb", '\uFFFD', true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, bad := Disallowed(tc.in)
			if got != tc.want || bad != tc.bad {
				t.Errorf("Disallowed(%q) = %U, %v; want %U, %v", tc.in, got, bad, tc.want, tc.bad)
			}
		})
	}
}

func TestProblemNamesTheField(t *testing.T) {
	t.Parallel()
	var f fault.Fields
	Check(&f, "contents[0].body", "fine")
	Check(&f, "contents[1].body", "soft\vbreak")
	Check(&f, "cap.event", "bad\xff")
	if len(f) != 2 {
		t.Fatalf("got %d errors, want 2: %v", len(f), f)
	}
	for i, want := range []string{"contents[1].body", "cap.event"} {
		if f[i].Field != want || f[i].Code != fault.Invalid || !errors.Is(f[i], ErrDisallowed) {
			t.Errorf("error %d = %+v, want invalid %s caused by ErrDisallowed", i, f[i], want)
		}
	}
	if f[0].Message != "contains the control character U+000B, which cannot be published: remove it" {
		t.Errorf("message = %q", f[0].Message)
	}
	if Problem("x", "ok") != nil {
		t.Error("Problem on good text is not nil")
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"good", "Stay indoors.", "Stay indoors."},
		{"breaks normalised", "a\vb\r\nc\u2028d", "a\nb\nc\nd"},
		{"controls stripped", "a\x00b\x1bc\x7fd\u0080e", "abcde"},
		{"noncharacters stripped", "a\uFFFEb\uFFFF", "ab"},
		{"invalid utf-8 dropped", "a\xffb\xc3", "ab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Clean(tc.in)
			if got != tc.want {
				t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if _, bad := Disallowed(got); bad {
				t.Errorf("Clean(%q) = %q still has a disallowed character", tc.in, got)
			}
		})
	}
}

func TestLineProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in  string
		lineBreak bool // refused for its line break
		control   bool // refused for a control character
	}{
		{"one line", "Typhoon warning", false, false},
		{"tab", "Typhoon\twarning", false, false},
		{"line break", "Typhoon\nwarning", true, false},
		{"pasted soft break, normalised", Normalize("Typhoon\vwarning"), true, false},
		{"control", "Typhoon\x00", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := LineProblem("headline", tc.in)
			ce, isChar := errors.AsType[*CharError](err)
			switch {
			case !tc.lineBreak && !tc.control:
				if err != nil {
					t.Errorf("LineProblem(%q) = %v", tc.in, err)
				}
			case !isChar || fault.As(err).Field != "headline" || !errors.Is(err, ErrDisallowed) || ce.LineBreak != tc.lineBreak:
				t.Errorf("LineProblem(%q) = %v; want a line break %v", tc.in, err, tc.lineBreak)
			}
			if tc.lineBreak && Problem("body", tc.in) != nil {
				t.Errorf("Problem refuses a line break in %q, which a text of several lines may hold", tc.in)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Typhoon warning":              "Typhoon warning",
		"Typhoon\vwarning":             "Typhoon warning",
		"Typhoon\r\n\r\nwarning\u2028": "Typhoon warning",
		"\nTyphoon":                    "Typhoon",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
