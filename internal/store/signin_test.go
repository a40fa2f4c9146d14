package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/account"
	"crisisdesk/internal/audit"
	"crisisdesk/internal/authz"
	"crisisdesk/internal/clock"
	"crisisdesk/internal/fault"
	"crisisdesk/internal/store"
	"crisisdesk/internal/store/storetest"
)

const firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"

func from(addr string) account.Client { return account.Client{Address: addr, UserAgent: firefox} }

// openSignIn opens a store on a fake clock, for the sign-in tests.
func openSignIn(t *testing.T, engine store.Engine) (*store.Store, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
	return storetest.OpenWith(t, engine, storetest.Options{Clock: clk}), clk
}

// actions lists the audit trail's actions, oldest first.
func actions(t *testing.T, st *store.Store) []string {
	t.Helper()
	entries, _, err := st.Audit().List(context.Background(), audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// The finding: five wrong passwords from anywhere used to block the right
// one for 15 minutes. Now a crowd of addresses trying the commander's
// account slows its sign-ins down, up to a cap, and the commander signs in
// all the same; the commander sees every attempt afterwards.
func TestLockoutFromOtherAddressesFails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, clk := openSignIn(t, engine)
		acc := st.Accounts()
		u := mustUser(t, st, "chief", authz.Commander)

		const attackers = 10
		for i := range attackers {
			// Each address stops short of its own limit for the account.
			for range account.MaxFailuresPerAccountAddress - 1 {
				if _, err := acc.SignIn(ctx, "chief", "guess-"+fmt.Sprint(i), from(fmt.Sprintf("198.51.100.%d", i))); !fault.Is(err, fault.Unauthenticated) {
					t.Fatalf("attacker %d: %v, want a wrong password", i, err)
				}
			}
		}
		before := len(clk.Slept())
		out, err := acc.SignIn(ctx, "chief", pw, from("203.0.113.7"))
		if err != nil || out.Session == "" {
			t.Fatalf("the owner was refused during the attack: %v", err)
		}
		slept := clk.Slept()[before:]
		if len(slept) != 1 || slept[0] != account.MaxDelay {
			t.Errorf("the owner waited %v, want one capped wait of %v", slept, account.MaxDelay)
		}
		// A wrong password is still only wrong, never a lockout.
		if _, err := acc.SignIn(ctx, "chief", "not it at all", from("203.0.113.7")); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("the owner's typo: %v", err)
		}

		// The owner sees the attempts since their previous sign-in.
		me, err := acc.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, total, err := acc.FailedSignIns(ctx, u.ID, me.PreviousSignInAt, 0, 10)
		if want := attackers*(account.MaxFailuresPerAccountAddress-1) + 1; err != nil || total != want || len(list) != 10 {
			t.Fatalf("failed sign-ins: %d listed of %d, %v; want 10 of %d", len(list), total, err, want)
		}
		if f := list[0]; f.Address != "203.0.113.7" || f.Agent != "firefox/windows" || f.Factor != account.FactorPassword {
			t.Errorf("newest failure %+v", f)
		}
		if list[1].At.After(list[0].At) {
			t.Error("failures are not newest first")
		}
		a := actions(t, st)
		if n := count(a, "session.signin_failed"); n != attackers*(account.MaxFailuresPerAccountAddress-1)+1 {
			t.Errorf("%d failed sign-ins audited", n)
		}
		if count(a, "session.signin") != 1 {
			t.Errorf("sign-ins audited: %v", a)
		}
	})
}

func TestThrottleByAddressAndAccount(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, clk := openSignIn(t, engine)
		acc := st.Accounts()
		mustUser(t, st, "mei", authz.Editor)
		mustUser(t, st, "lin", authz.Editor)

		// One address trying many names is stopped after
		// MaxFailuresPerAddress, whatever name comes next.
		for i := range account.MaxFailuresPerAddress {
			if _, err := acc.SignIn(ctx, fmt.Sprintf("nobody%d", i), "guess", from("192.0.2.66")); !fault.Is(err, fault.Unauthenticated) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, err := acc.SignIn(ctx, "mei", pw, from("192.0.2.66")); !fault.Is(err, fault.TooManyRequests) {
			t.Errorf("the address past its limit: %v", err)
		}
		if _, err := acc.SignIn(ctx, "mei", pw, from("192.0.2.1")); err != nil {
			t.Errorf("another address: %v", err)
		}

		// One account from one address: closed there, open elsewhere and
		// for other accounts there.
		for range account.MaxFailuresPerAccountAddress {
			if _, err := acc.SignIn(ctx, "lin", "guess", from("192.0.2.8")); !fault.Is(err, fault.Unauthenticated) {
				t.Fatal(err)
			}
		}
		cases := []struct {
			name, user, addr string
			want             fault.Code
		}{
			{"same account, same address", "lin", "192.0.2.8", fault.TooManyRequests},
			{"same account, another address", "lin", "192.0.2.9", ""},
			{"another account, same address", "mei", "192.0.2.8", ""},
		}
		for _, c := range cases {
			_, err := acc.SignIn(ctx, c.user, pw, from(c.addr))
			if fault.CodeOf(err) != c.want {
				t.Errorf("%s: %v, want %q", c.name, err, c.want)
			}
		}
		// A refused attempt is not counted against anyone: it is not
		// shown to the owner either.
		lin, _ := acc.UserByName(ctx, "lin")
		if _, n, _ := acc.FailedSignIns(ctx, lin.ID, time.Time{}, 0, 1); n != account.MaxFailuresPerAccountAddress {
			t.Errorf("%d failures recorded for lin, want %d", n, account.MaxFailuresPerAccountAddress)
		}
		clk.Advance(account.FailureWindow + time.Second)
		if _, err := acc.SignIn(ctx, "lin", pw, from("192.0.2.8")); err != nil {
			t.Errorf("after the window: %v", err)
		}
		if _, err := acc.SignIn(ctx, "mei", pw, from("192.0.2.66")); err != nil {
			t.Errorf("the address after the window: %v", err)
		}
	})
}

// An insider behind the office's one NAT address cannot lock colleagues
// out by failing from it: a browser that signed in before is judged on
// its own failures.
func TestKnownBrowserIsNotThrottledByOthers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, _ := openSignIn(t, engine)
		acc := st.Accounts()
		mustUser(t, st, "chief", authz.Editor)
		first, err := acc.SignIn(ctx, "chief", pw, from("10.1.1.1"))
		if err != nil || first.Device == "" {
			t.Fatalf("first sign-in gave no device: %+v %v", first, err)
		}
		mustUser(t, st, "other", authz.Editor)
		// The insider tries the chief and then anyone, until the office's
		// address is closed.
		for i := range account.MaxFailuresPerAddress {
			name := "chief"
			if i >= account.MaxFailuresPerAccountAddress {
				name = fmt.Sprintf("someone%d", i)
			}
			if _, err := acc.SignIn(ctx, name, "insider guess", from("10.1.1.1")); !fault.Is(err, fault.Unauthenticated) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		if _, err := acc.SignIn(ctx, "chief", pw, from("10.1.1.1")); !fault.Is(err, fault.TooManyRequests) {
			t.Fatalf("a browser without the cookie from the NAT address: %v", err)
		}
		known := from("10.1.1.1")
		known.Device = first.Device
		again, err := acc.SignIn(ctx, "chief", pw, known)
		if err != nil {
			t.Fatalf("the known browser was refused: %v", err)
		}
		if again.Device != "" {
			t.Error("a valid device cookie was replaced")
		}
		// Another user's device cookie is worth nothing for this one.
		if _, err := acc.SignIn(ctx, "other", pw, known); !fault.Is(err, fault.TooManyRequests) {
			t.Errorf("chief's device for another account: %v", err)
		}
		// The known browser has its own limit.
		for range account.MaxFailuresPerDevice {
			_, _ = acc.SignIn(ctx, "chief", "my own typo", known)
		}
		if _, err := acc.SignIn(ctx, "chief", pw, known); !fault.Is(err, fault.TooManyRequests) {
			t.Errorf("the known browser past its own limit: %v", err)
		}
	})
}

// Guesses sent all at once from one address cannot slip past the limit
// together: each is on the ledger before any is judged.
func TestParallelGuessesStayWithinTheLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, _ := openSignIn(t, engine)
		mustUser(t, st, "mei", authz.Editor)
		const n = 12
		var wg sync.WaitGroup
		results := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, results[i] = st.Accounts().SignIn(ctx, "mei", fmt.Sprintf("guess %d", i), from("192.0.2.99"))
			})
		}
		wg.Wait()
		judged := 0
		for _, err := range results {
			switch fault.CodeOf(err) {
			case fault.Unauthenticated:
				judged++
			case fault.TooManyRequests:
			default:
				t.Errorf("unexpected outcome %v", err)
			}
		}
		if judged > account.MaxFailuresPerAccountAddress || judged == 0 {
			t.Errorf("%d of %d parallel guesses were checked, want 1 to %d", judged, n, account.MaxFailuresPerAccountAddress)
		}
	})
}

func TestSecondFactorSignIn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, clk := openSignIn(t, engine)
		acc := st.Accounts()
		u := mustUser(t, st, "chief", authz.Commander)
		if !account.MustEnrol(u, account.MethodPassword) || account.MustEnrol(u, account.MethodOIDC) {
			t.Fatal("a commander signing in with a password must enrol, through the provider need not")
		}
		f := storetest.EnrolTOTP(t, st, u)
		if len(f.Recovery) != account.RecoveryCodeCount {
			t.Fatalf("%d recovery codes", len(f.Recovery))
		}
		if u, _ = acc.User(ctx, u.ID); !u.SecondFactor {
			t.Fatal("the user has no second factor after enrolment")
		}
		if _, err := acc.BeginEnrolment(ctx, u.Actor(authz.SourceUI)); !fault.Is(err, fault.Conflict) {
			t.Errorf("enrolling twice: %v", err)
		}

		c := from("203.0.113.5")
		out, err := acc.SignIn(ctx, "chief", pw, c)
		if err != nil || out.Challenge == "" || out.Session != "" {
			t.Fatalf("password step: %+v %v", out, err)
		}
		if cu, err := acc.ChallengeUser(ctx, out.Challenge); err != nil || cu.ID != u.ID {
			t.Fatalf("challenge user: %v", err)
		}
		if _, _, err := acc.SessionUser(ctx, out.Challenge); err == nil {
			t.Fatal("a pending sign-in works as a session")
		}
		if _, err := acc.CompleteSignIn(ctx, out.Challenge, "000000", c); fault.As(err).Field != "code" {
			t.Fatalf("wrong code: %v", err)
		}
		code := f.Code(t)
		done, err := acc.CompleteSignIn(ctx, out.Challenge, code, c)
		if err != nil || done.Session == "" || done.UsedRecovery {
			t.Fatalf("right code: %+v %v", done, err)
		}
		if _, err := acc.CompleteSignIn(ctx, out.Challenge, f.Code(t), c); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("a finished challenge used again: %v", err)
		}
		// The same code, within its step, is refused on a new sign-in.
		next, _ := acc.SignIn(ctx, "chief", pw, c)
		if _, err := acc.CompleteSignIn(ctx, next.Challenge, code, c); fault.As(err).Field != "code" {
			t.Errorf("a replayed code: %v", err)
		}
		// A recovery code works once, typed loosely.
		rc := strings.ToUpper(strings.ReplaceAll(f.Recovery[3], "-", " "))
		done, err = acc.CompleteSignIn(ctx, next.Challenge, rc, c)
		if err != nil || !done.UsedRecovery || done.RecoveryLeft != account.RecoveryCodeCount-1 {
			t.Fatalf("recovery code: %+v %v", done, err)
		}
		again, _ := acc.SignIn(ctx, "chief", pw, c)
		if _, err := acc.CompleteSignIn(ctx, again.Challenge, f.Recovery[3], c); fault.As(err).Field != "code" {
			t.Errorf("a used recovery code: %v", err)
		}
		// Wrong codes end the pending sign-in.
		for range account.MaxChallengeFailures - 1 { // the used recovery code was one
			_, _ = acc.CompleteSignIn(ctx, again.Challenge, "111111", c)
		}
		if _, err := acc.CompleteSignIn(ctx, again.Challenge, f.Code(t), c); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("a challenge after %d wrong codes: %v", account.MaxChallengeFailures, err)
		}
		// Too many wrong codes refuse codes for a while.
		for range account.MaxCodeFailures {
			ch, err := acc.SignIn(ctx, "chief", pw, c)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = acc.CompleteSignIn(ctx, ch.Challenge, "222222", c)
		}
		ch, _ := acc.SignIn(ctx, "chief", pw, c)
		if _, err := acc.CompleteSignIn(ctx, ch.Challenge, f.Code(t), c); !fault.Is(err, fault.TooManyRequests) {
			t.Errorf("codes after %d wrong ones: %v", account.MaxCodeFailures, err)
		}
		// A pending sign-in does not wait for ever.
		clk.Advance(account.FailureWindow + time.Second)
		ch, _ = acc.SignIn(ctx, "chief", pw, c)
		clk.Advance(account.ChallengeTTL)
		if _, err := acc.CompleteSignIn(ctx, ch.Challenge, f.Code(t), c); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("an expired challenge: %v", err)
		}

		a := actions(t, st)
		for _, want := range []string{"mfa.enrol", "session.signin", "mfa.recovery_used", "session.signin_failed"} {
			if !slices.Contains(a, want) {
				t.Errorf("no %s in the audit trail %v", want, a)
			}
		}
		if _, err := st.Audit().Verify(ctx); err != nil {
			t.Errorf("audit chain: %v", err)
		}
		// The owner sees the wrong codes as such.
		list, _, err := acc.FailedSignIns(ctx, u.ID, time.Time{}, 0, 1)
		if err != nil || len(list) != 1 || list[0].Factor != account.FactorCode {
			t.Errorf("newest failure %+v %v, want a code", list, err)
		}
	})
}

func TestManageSecondFactor(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, clk := openSignIn(t, engine)
		acc := st.Accounts()
		chief := mustUser(t, st, "chief", authz.Commander)
		reader := mustUser(t, st, "reader", authz.Observer)
		admin := mustUser(t, st, "root", authz.Admin)
		cf, rf := storetest.EnrolTOTP(t, st, chief), storetest.EnrolTOTP(t, st, reader)

		clk.Advance(time.Minute) // a fresh time step for each of the codes below
		if err := acc.DisableSecondFactor(ctx, chief.Actor(authz.SourceUI), cf.Code(t)); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a commander turning the factor off: %v", err)
		}
		if err := acc.DisableSecondFactor(ctx, reader.Actor(authz.SourceUI), "123"); fault.As(err).Field != "code" {
			t.Errorf("turning off with a bad code: %v", err)
		}
		if err := acc.DisableSecondFactor(ctx, reader.Actor(authz.SourceUI), rf.Recovery[0]); fault.As(err).Field != "code" {
			t.Errorf("turning off with a recovery code: %v", err)
		}
		if err := acc.DisableSecondFactor(ctx, reader.Actor(authz.SourceUI), rf.Code(t)); err != nil {
			t.Fatalf("an observer turning the factor off: %v", err)
		}
		if sf, _ := acc.SecondFactorOf(ctx, reader.ID); sf.Enabled {
			t.Error("still on after turning off")
		}

		codes, err := acc.RegenerateRecoveryCodes(ctx, chief.Actor(authz.SourceUI), cf.Code(t))
		if err != nil || len(codes) != account.RecoveryCodeCount || slices.Contains(codes, cf.Recovery[0]) {
			t.Fatalf("regenerate: %v %v", codes, err)
		}
		ch, _ := acc.SignIn(ctx, "chief", pw, from("192.0.2.1"))
		if _, err := acc.CompleteSignIn(ctx, ch.Challenge, cf.Recovery[0], from("192.0.2.1")); fault.As(err).Field != "code" {
			t.Errorf("an old recovery code after regenerating: %v", err)
		}
		done, err := acc.CompleteSignIn(ctx, ch.Challenge, codes[0], from("192.0.2.1"))
		if err != nil {
			t.Fatalf("a new recovery code: %v", err)
		}

		if err := acc.ResetSecondFactor(ctx, chief.Actor(authz.SourceUI), reader.ID); !fault.Is(err, fault.Forbidden) {
			t.Errorf("a commander resetting: %v", err)
		}
		if err := acc.ResetSecondFactor(ctx, admin.Actor(authz.SourceUI), chief.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := acc.SessionUser(ctx, done.Session); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("a session after the reset: %v", err)
		}
		u, _ := acc.User(ctx, chief.ID)
		if u.SecondFactor || !account.MustEnrol(u, account.MethodPassword) {
			t.Error("the commander keeps a factor after the reset")
		}
		out, err := acc.SignIn(ctx, "chief", pw, from("192.0.2.1"))
		if err != nil || out.Session == "" {
			t.Errorf("signing in after the reset gives a session to enrol with: %+v %v", out, err)
		}
		a := actions(t, st)
		for _, want := range []string{"mfa.disable", "mfa.recovery_regenerate", "mfa.reset"} {
			if !slices.Contains(a, want) {
				t.Errorf("no %s in the audit trail", want)
			}
		}
	})
}

func TestSignInExternal(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, engine store.Engine) {
		ctx := context.Background()
		st, clk := openSignIn(t, engine)
		acc := st.Accounts()
		dep, err := acc.CreateDepartment(ctx, cli, account.DepartmentInput{Code: "health", Name: "Health"})
		if err != nil {
			t.Fatal(err)
		}
		mustUser(t, st, "mei", authz.Editor) // a local account with the name the provider suggests
		id := account.ExternalIdentity{Issuer: "https://idp.example", Subject: "s-1", PreferredName: "Mei",
			DisplayName: "Mei Chan", Email: "mei@example.org", Role: authz.Commander, Department: "health", DepartmentMapped: true}
		out, err := acc.SignInExternal(ctx, id, from("192.0.2.4"))
		if err != nil || out.Session == "" || out.Method != account.MethodOIDC {
			t.Fatalf("first sign-in: %+v %v", out, err)
		}
		u := out.User
		if u.Name != "mei-2" || u.Role != authz.Commander || u.DepartmentID != dep.ID || !u.External || u.Email != "mei@example.org" {
			t.Fatalf("created %+v", u)
		}
		if account.MustEnrol(u, account.MethodOIDC) {
			t.Error("a commander from the provider is sent to enrol")
		}
		if _, sess, err := acc.SessionUser(ctx, out.Session); err != nil || sess.Method != account.MethodOIDC {
			t.Errorf("session %+v %v", sess, err)
		}
		// The linked user has no password to sign in with locally.
		if _, err := acc.SignIn(ctx, "mei-2", "", from("192.0.2.4")); fault.As(err).Field != "password" {
			t.Errorf("empty password: %v", err)
		}
		if _, err := acc.SignIn(ctx, "mei-2", "anything at all", from("192.0.2.4")); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("a password for a provider-only user: %v", err)
		}

		// The provider decides again at each sign-in.
		clk.Advance(time.Hour)
		id.Role, id.Department = authz.Observer, "nowhere"
		out, err = acc.SignInExternal(ctx, id, from("192.0.2.4"))
		if err != nil || out.User.ID != u.ID || out.User.Role != authz.Observer || out.User.DepartmentID != 0 {
			t.Fatalf("second sign-in: %+v %v", out.User, err)
		}

		// No role: no account, a clear refusal, on the record.
		before, _ := acc.CountUsers(ctx)
		stranger := account.ExternalIdentity{Issuer: "https://idp.example", Subject: "s-2", PreferredName: "visitor", Values: []string{"guests"}}
		if _, err := acc.SignInExternal(ctx, stranger, from("192.0.2.5")); !fault.Is(err, fault.Forbidden) {
			t.Errorf("no role: %v", err)
		}
		if after, _ := acc.CountUsers(ctx); after != before {
			t.Errorf("a user was made for a person with no role: %d → %d", before, after)
		}
		// A disabled user stays out.
		if err := acc.SetDisabled(ctx, cli, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := acc.SignInExternal(ctx, id, from("192.0.2.4")); !fault.Is(err, fault.Forbidden) {
			t.Errorf("disabled: %v", err)
		}
		a := actions(t, st)
		for _, want := range []string{"user.create", "user.update", "session.signin", "session.oidc_refused"} {
			if !slices.Contains(a, want) {
				t.Errorf("no %s in the audit trail %v", want, a)
			}
		}

		// Authorisation requests are taken once, and not too late.
		l := account.ExternalLogin{State: "state-1", Nonce: "n", Verifier: "v", Next: "/desk"}
		if err := acc.SaveExternalLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
		if got, err := acc.TakeExternalLogin(ctx, "state-1"); err != nil || got != l {
			t.Fatalf("take: %+v %v", got, err)
		}
		if _, err := acc.TakeExternalLogin(ctx, "state-1"); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("taken twice: %v", err)
		}
		l.State = "state-2"
		if err := acc.SaveExternalLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
		clk.Advance(account.ExternalLoginTTL)
		if _, err := acc.TakeExternalLogin(ctx, "state-2"); !fault.Is(err, fault.Unauthenticated) {
			t.Errorf("taken too late: %v", err)
		}
		l.State = "state-3" // never comes back
		if err := acc.SaveExternalLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
		clk.Advance(account.ExternalLoginTTL)
		if n, err := st.PurgeExpired(ctx); err != nil || n == 0 {
			t.Errorf("purge: %d %v", n, err)
		}
	})
}
