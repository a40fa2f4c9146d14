package account

import (
	"strings"
	"testing"
	"time"

	"crisisdesk/internal/authz"
)

func TestJudge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		t    Tally
		want Verdict
	}{
		{"quiet", Tally{}, Verdict{}},
		{"address at its limit", Tally{FromAddress: MaxFailuresPerAddress}, Verdict{Refused: true}},
		{"address below its limit", Tally{FromAddress: MaxFailuresPerAddress - 1}, Verdict{}},
		{"account at this address", Tally{AccountAtAddress: MaxFailuresPerAccountAddress}, Verdict{Refused: true}},
		{"account elsewhere, a few", Tally{AccountElsewhere: SlowAfter - 1}, Verdict{}},
		{"account elsewhere, many", Tally{AccountElsewhere: SlowAfter}, Verdict{Delay: time.Second}},
		{"account elsewhere, a crowd", Tally{AccountElsewhere: 10_000}, Verdict{Delay: MaxDelay}},
		{"known browser ignores the address", Tally{Device: true, FromAddress: 999, AccountAtAddress: 999, AccountElsewhere: 999}, Verdict{}},
		{"known browser's own failures", Tally{Device: true, FromDevice: MaxFailuresPerDevice}, Verdict{Refused: true}},
	}
	for _, c := range cases {
		if got := Judge(c.t); got != c.want {
			t.Errorf("%s: Judge(%+v) = %+v, want %+v", c.name, c.t, got, c.want)
		}
	}
}

func TestDelayGrowsToItsCap(t *testing.T) {
	t.Parallel()
	want := map[int]time.Duration{0: 0, SlowAfter - 1: 0, SlowAfter: time.Second, SlowAfter + 1: 2 * time.Second,
		SlowAfter + 2: 4 * time.Second, SlowAfter + 3: 8 * time.Second, SlowAfter + 4: MaxDelay, 1 << 40: MaxDelay}
	prev := time.Duration(0)
	for n := 0; n < 40; n++ {
		d := Delay(n)
		if d < prev || d > MaxDelay {
			t.Fatalf("Delay(%d) = %v after %v", n, d, prev)
		}
		prev = d
	}
	for n, w := range want {
		if got := Delay(n); got != w {
			t.Errorf("Delay(%d) = %v, want %v", n, got, w)
		}
	}
}

func TestMatchTOTP(t *testing.T) {
	t.Parallel()
	en, err := NewTOTP("mei")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(en.URI, "otpauth://totp/crisisdesk:mei?") || !strings.Contains(en.URI, "secret="+en.Secret) {
		t.Fatalf("URI %q", en.URI)
	}
	if got := TOTPURI("mei", en.Secret); got != en.URI {
		t.Errorf("TOTPURI = %q, want %q", got, en.URI)
	}
	now := time.Date(2026, 11, 25, 8, 0, 10, 0, time.UTC)
	cur := TOTPCounter(now)
	code := func(step int64) string {
		c, err := TOTPCode(en.Secret, step)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cases := []struct {
		name     string
		code     string
		last     int64
		want     int64
		accepted bool
	}{
		{"current", code(cur), 0, cur, true},
		{"spaced", code(cur)[:3] + " " + code(cur)[3:], 0, cur, true},
		{"previous step", code(cur - 1), 0, cur - 1, true},
		{"next step", code(cur + 1), 0, cur + 1, true},
		{"too old", code(cur - 2), 0, 0, false},
		{"too new", code(cur + 2), 0, 0, false},
		{"replayed", code(cur), cur, 0, false},
		{"older than the last", code(cur - 1), cur, 0, false},
		{"newer than the last", code(cur + 1), cur, cur + 1, true},
		{"letters", "abcdef", 0, 0, false},
		{"short", "12345", 0, 0, false},
		{"empty", "", 0, 0, false},
	}
	for _, c := range cases {
		got, ok := MatchTOTP(en.Secret, c.code, now, c.last)
		if ok != c.accepted || got != c.want {
			t.Errorf("%s: MatchTOTP = %d, %v; want %d, %v", c.name, got, ok, c.want, c.accepted)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	codes := NewRecoveryCodes(RecoveryCodeCount)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 || IsTOTPCode(c) || seen[c] {
			t.Errorf("recovery code %q", c)
		}
		seen[c] = true
	}
	h := HashRecoveryCode(7, codes[0])
	if HashRecoveryCode(7, strings.ToUpper(strings.ReplaceAll(codes[0], "-", " "))) != h {
		t.Error("a code typed in capitals with spaces hashes differently")
	}
	if HashRecoveryCode(8, codes[0]) == h {
		t.Error("two users' equal codes hash alike")
	}
}

func TestSecondFactorPolicy(t *testing.T) {
	t.Parallel()
	for _, r := range authz.Roles {
		want := r == authz.Admin || r == authz.Commander || r == authz.Approver
		if SecondFactorRequired(r) != want {
			t.Errorf("SecondFactorRequired(%s) = %v", r, !want)
		}
		u := User{Role: r}
		if MustEnrol(u, MethodPassword) != want || MustEnrol(u, MethodOIDC) {
			t.Errorf("MustEnrol for %s", r)
		}
		u.SecondFactor = true
		if MustEnrol(u, MethodPassword) {
			t.Errorf("an enrolled %s must enrol", r)
		}
	}
}

func TestParseRoleMap(t *testing.T) {
	t.Parallel()
	good, err := ParseRoleMap("crisis-chiefs=commander, press=editor ,, staff=observer")
	if err != nil || len(good) != 3 || good[1] != (RoleRule{"press", authz.Editor}) {
		t.Fatalf("rules %+v %v", good, err)
	}
	if FormatRoleMap(good) != "crisis-chiefs=commander,press=editor,staff=observer" {
		t.Errorf("FormatRoleMap = %q", FormatRoleMap(good))
	}
	// A value may hold "=": the role is after the last one.
	if r, err := ParseRoleMap("cn=chiefs=commander"); err != nil || r[0] != (RoleRule{"cn=chiefs", authz.Commander}) {
		t.Errorf("a value with =: %+v %v", r, err)
	}
	if r, err := ParseRoleMap(""); err != nil || len(r) != 0 {
		t.Errorf("empty: %+v %v", r, err)
	}
	for _, bad := range []string{"chiefs", "=commander", "chiefs=king", "chiefs="} {
		if _, err := ParseRoleMap(bad); err == nil {
			t.Errorf("ParseRoleMap(%q) accepted", bad)
		}
	}
}

func TestClaimMap(t *testing.T) {
	t.Parallel()
	m := ClaimMap{RolesClaim: "groups", DepartmentClaim: "dept",
		Rules: []RoleRule{{"chiefs", authz.Commander}, {"press", authz.Editor}, {"staff", authz.Observer}}}
	cases := []struct {
		name     string
		m        ClaimMap
		claims   map[string]any
		wantRole authz.Role
		wantDept string
	}{
		{"first rule wins", m, map[string]any{"groups": []any{"staff", "press"}, "dept": "health"}, authz.Editor, "health"},
		{"a string claim", m, map[string]any{"groups": "chiefs"}, authz.Commander, ""},
		{"no match", m, map[string]any{"groups": []any{"visitors"}}, "", ""},
		{"no claim", m, map[string]any{}, "", ""},
		{"claim of another type", m, map[string]any{"groups": 42.0}, "", ""},
		{"non-strings skipped", m, map[string]any{"groups": []any{7.0, "staff"}}, authz.Observer, ""},
		{"nested claim", ClaimMap{RolesClaim: "realm_access.roles", Rules: m.Rules},
			map[string]any{"realm_access": map[string]any{"roles": []any{"chiefs"}}}, authz.Commander, ""},
		{"dotted name first", ClaimMap{RolesClaim: "https://example.org/roles", Rules: m.Rules},
			map[string]any{"https://example.org/roles": []any{"press"}}, authz.Editor, ""},
		{"department list", m, map[string]any{"groups": "staff", "dept": []any{"fire", "police"}}, authz.Observer, "fire"},
	}
	for _, c := range cases {
		role, dept, _ := c.m.Map(c.claims)
		if role != c.wantRole || dept != c.wantDept {
			t.Errorf("%s: Map = %q, %q; want %q, %q", c.name, role, dept, c.wantRole, c.wantDept)
		}
	}
}

func TestSuggestName(t *testing.T) {
	t.Parallel()
	cases := []struct{ preferred, email, want string }{
		{"Mei.Chan", "", "mei.chan"},
		{"陳大文", "tai.man@example.org", "tai.man"},
		{"mei chan", "", "mei-chan"},
		{"", "", ""}, // from the subject
		{"x", "", ""},
	}
	for _, c := range cases {
		got := SuggestName(c.preferred, c.email, "https://idp", "subject-1")
		want := c.want
		if want == "" {
			want = SuggestName("", "", "https://idp", "subject-1")
			if !strings.HasPrefix(want, "sso-") {
				t.Fatalf("a name from the subject: %q", want)
			}
		}
		if got != want || !nameRe.MatchString(got) {
			t.Errorf("SuggestName(%q, %q) = %q, want %q", c.preferred, c.email, got, want)
		}
	}
	if SuggestName("", "", "https://idp", "a") == SuggestName("", "", "https://idp", "b") {
		t.Error("two subjects get one name")
	}
}

func TestAgentKind(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0":                   "edge/windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1": "safari/ios",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0":                                                                  "firefox/linux",
		"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36":                                "chrome/android",
		"curl/8.5.0":                "curl/other",
		"<script>alert(1)</script>": "other/other",
		"":                          "none",
	}
	for ua, want := range cases {
		if got := AgentKind(ua); got != want {
			t.Errorf("AgentKind(%q) = %q, want %q", ua, got, want)
		}
	}
}
