package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"crisisdesk/internal/account"
	"crisisdesk/internal/account/accounttest"
	"crisisdesk/internal/app"
	"crisisdesk/internal/config"
	"crisisdesk/internal/i18n"
	"crisisdesk/internal/testenv"
)

// browserTimeout bounds the whole scenario in the browser.
const browserTimeout = 60 * time.Second

// findChromium returns the path of a Chromium or Chrome. Without one the
// test skips on a developer machine and fails under CI.
func findChromium(t *testing.T) string {
	t.Helper()
	return testenv.Command(t, "apt-get install chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell")
}

// startApp boots the real app (bootApp) with adminPassword for its first
// admin, and returns its base URL and the app.
func startApp(t *testing.T, adminPassword string) (string, *app.App) {
	t.Helper()
	out := &syncBuffer{}
	base, a := bootApp(t, app.Options{Config: config.Config{AdminPassword: adminPassword}, Out: out})
	if !strings.Contains(out.String(), `"admin"`) {
		t.Errorf("app did not report creating the admin account; out: %q", out)
	}
	return base, a
}

// bootApp boots the real app in-process with o, on a temporary SQLite file
// and a free loopback port with the public fast path, and returns its base
// URL and the app. Its log is shown when the test fails.
func bootApp(t *testing.T, o app.Options) (string, *app.App) {
	t.Helper()
	logs := &syncBuffer{}
	o.Config.DB = "sqlite:" + filepath.Join(t.TempDir(), "crisisdesk.db")
	o.Config.Addr = "127.0.0.1:0"
	o.Config.LogFormat, o.Config.LogLevel = "text", "info"
	o.Config.ShutdownTimeout = 10 * time.Second
	o.Config.FastPath = true
	o.Logger, o.Version = slog.New(slog.NewTextHandler(logs, nil)), "e2e"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	o.Passwords = accounttest.WeakHashing()
	a, err := app.New(ctx, o)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	// The app's background work lives until Stop, not until ctx ends.
	if err := a.Start(context.Background()); err != nil {
		a.Stop(context.Background())
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := a.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if t.Failed() {
			t.Logf("app log:\n%s", logs)
		}
	})
	if !strings.HasPrefix(a.Addr(), "127.0.0.1:") {
		t.Fatalf("app listens on %s, want 127.0.0.1:PORT", a.Addr())
	}
	return "http://" + a.Addr(), a
}

// scriptOff turns the page's JavaScript off, as some offices' locked-down
// browsers have it.
var scriptOff = chromedp.Flag("blink-settings", "scriptEnabled=false")

// newBrowser starts a headless Chromium with a fresh temporary profile and
// extra options, and returns a context for it. The browser exits at the end
// of the test.
func newBrowser(t *testing.T, execPath string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	// Bounds the browser's whole life, start-up included.
	life, cancelLife := context.WithTimeout(context.Background(), browserTimeout+30*time.Second)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate"),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(1280, 900),
		// No UserDataDir: the allocator makes a fresh temporary profile and
		// removes it when the browser has exited.
	}
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc() // waits for the browser process to exit
		cancelLife()
	})
	// The first call starts the browser; it must not carry a per-step
	// timeout, or the timeout would end the browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", execPath, err)
	}
	return ctx
}

// saveArtifacts keeps a screenshot and the HTML of the page for a failed
// test, in $CRISISDESK_E2E_ARTIFACTS or else a directory that outlives the
// test (t.TempDir would be deleted with it).
func saveArtifacts(t *testing.T, browser context.Context) {
	t.Helper()
	dir := os.Getenv("CRISISDESK_E2E_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "crisisdesk-e2e-artifacts-"); err != nil {
			t.Logf("no artifacts: %v", err)
			return
		}
	}
	ctx, cancel := context.WithTimeout(browser, 10*time.Second)
	defer cancel()
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90)); err == nil {
		p := filepath.Join(dir, name+".png")
		if err := os.WriteFile(p, png, 0o644); err == nil {
			t.Logf("screenshot: %s", p)
		}
	} else {
		t.Logf("screenshot failed: %v", err)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		p := filepath.Join(dir, name+".html")
		if err := os.WriteFile(p, []byte(html), 0o644); err == nil {
			t.Logf("page HTML: %s", p)
		}
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		t.Logf("page at failure: %s", loc)
	}
}

// openPage returns the page of a new browser for one scenario, within
// browserTimeout; a failed test keeps its screenshot and HTML. A test
// fails when the browser reports that the Content-Security-Policy refused
// anything on the way (watchPolicy).
func openPage(t *testing.T, browser context.Context) *page {
	t.Helper()
	ctx, cancel := context.WithTimeout(browser, browserTimeout)
	// Cleanups run last first: this one before the browser's, which
	// newBrowser registered earlier, so the page is still there.
	t.Cleanup(func() {
		if t.Failed() {
			saveArtifacts(t, browser)
		}
		cancel()
	})
	watchPolicy(t, ctx)
	return &page{t: t, ctx: ctx}
}

// watchPolicy fails t, at its end, for every message in which the browser
// says the Content-Security-Policy refused a script, a style, a frame or a
// form: what a page needs must come from the site's static files.
func watchPolicy(t *testing.T, ctx context.Context) {
	t.Helper()
	refused, err := policyRefusals(ctx)
	if err != nil {
		t.Fatalf("listen to the browser's log: %v", err)
	}
	// Registered after openPage's own cleanup, so it runs first and a
	// failure keeps the page's screenshot.
	t.Cleanup(func() {
		for _, msg := range refused() {
			t.Errorf("the Content-Security-Policy refused something: %s", msg)
		}
	})
}

// policyRefusals listens to the log of ctx's tab and returns a func that
// lists the refusals of the Content-Security-Policy it has seen so far.
func policyRefusals(ctx context.Context) (func() []string, error) {
	var mu sync.Mutex
	var refused []string
	err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*cdplog.EventEntryAdded)
		if !ok || e.Entry == nil {
			return
		}
		if e.Entry.Source == cdplog.EntrySourceViolation || strings.Contains(e.Entry.Text, "Content Security Policy") {
			mu.Lock()
			refused = append(refused, e.Entry.URL+": "+e.Entry.Text)
			mu.Unlock()
		}
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), refused...)
	}, err
}

// page drives one tab within the scenario's deadline and fails the test
// with the step's name.
type page struct {
	t   *testing.T
	ctx context.Context // carries the scenario deadline
}

func (p *page) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", step, err)
	}
}

func (p *page) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// oldPage marks the current document, so that a wait after a form
// submission matches only the next document and never the one being left.
const oldPage = "data-e2e-old"

// submit runs the actions, which must load a new page, and waits until the
// new page shows sel. lang, when set, is the language the new page must be
// in.
func (p *page) submit(step, lang, sel string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	mark := chromedp.Evaluate[chromedp.Void](`document.documentElement.setAttribute("` + oldPage + `", "")`)
	newPage := "html:not([" + oldPage + "])"
	if lang != "" {
		newPage += `[lang="` + lang + `"]`
	}
	steps := append([]chromedp.Action[chromedp.Void]{mark}, actions...)
	steps = append(steps, chromedp.WaitVisible(chromedp.CSS(newPage+" "+sel)))
	p.do(step, steps...)
}

// signIn opens the sign-in page at base and signs in as name, ending on
// the desk. A user with a second factor (enrolFactor) gives the next code
// from it when the code page asks.
func (p *page) signIn(base, name, password string) {
	p.t.Helper()
	p.do("open sign-in as "+name, chromedp.Navigate(base+"/signin"), chromedp.WaitVisible(chromedp.CSS("#signin-form")))
	p.submit("sign in as "+name, "", "#page-title",
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="name"]`), name),
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`#signin-form button[type="submit"]`)))
	if p.path() != "/signin/code" {
		return
	}
	f := factorOf(base, name)
	if f == nil {
		p.t.Fatalf("sign in as %s: a code is asked for and the test set up no second factor", name)
	}
	p.submit("give the code as "+name, "", "#page-title",
		chromedp.SendKeys(chromedp.ID("signin-code"), f.Code(p.t)),
		chromedp.Click(chromedp.ID("code-submit")))
}

// path returns the path of the page's URL.
func (p *page) path() string {
	p.t.Helper()
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		p.t.Fatalf("location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		p.t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

// expectPath fails unless the page is at path.
func (p *page) expectPath(want string) {
	p.t.Helper()
	if got := p.path(); got != want {
		p.t.Fatalf("page is at %s, want %s", got, want)
	}
}

// langShown is what a language makes visible on the dashboard.
type langShown struct{ title, nav, signout string }

func shownIn(cat *i18n.Catalog, lang string) langShown {
	tr := cat.For(lang)
	return langShown{title: tr.T("dashboard.title"), nav: tr.T("nav.dashboard"), signout: tr.T("layout.signout")}
}

// TestBrowserFirstSignIn walks the first admin's first visit in a real
// browser: sign in, the forced password change, setting up the second
// factor the role requires (QR code, first code, recovery codes), the
// dashboard, switching the language there and back, signing out, signing
// in again with a code and with a recovery code, and finding all of it
// in the audit trail.
func TestBrowserFirstSignIn(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	const firstPassword, newPassword = "first-admin-password-1", "a-new-and-longer-password-2"
	base, _ := startApp(t, firstPassword)
	browser := newBrowser(t, chromium)
	p := openPage(t, browser)

	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := shownIn(cat, i18n.TraditionalChinese), shownIn(cat, i18n.English)
	if zh == en {
		t.Fatalf("zh-Hant and en show the same dashboard text %+v; the test would prove nothing", zh)
	}

	// Anonymous: the staff desk sends us to sign in.
	p.do("open the dashboard", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.CSS("#signin-form")))
	p.expectPath("/signin")

	p.submit("sign in with the first password", "", "#password-form",
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="name"]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="password"]`), firstPassword),
		chromedp.Click(chromedp.CSS(`#signin-form button[type="submit"]`)),
	)
	p.expectPath("/desk/account/password")
	p.do("the page says the change is required", chromedp.WaitVisible(chromedp.ID("password-forced")))

	// The dashboard stays out of reach until the password is changed.
	p.do("try the dashboard", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.CSS("#password-form")))
	p.expectPath("/desk/account/password")

	p.submit("change the password", "", "#enrol-form",
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name="current_password"]`), firstPassword),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name="password"]`), newPassword),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name="confirm"]`), newPassword),
		chromedp.Click(chromedp.CSS(`#password-form button[type="submit"]`)),
	)
	// An admin must set up a second factor before anything else.
	p.expectPath("/desk/account/mfa")
	p.do("the page says enrolment is required", chromedp.WaitVisible(chromedp.ID("mfa-forced")))
	p.do("try the dashboard", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.ID("enrol-form")))
	p.expectPath("/desk/account/mfa")
	// The QR code is a data: image the page's Content-Security-Policy
	// lets the browser draw.
	qrWidth, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.getElementById("mfa-qr").naturalWidth`))
	if err != nil || qrWidth < 100 {
		t.Errorf("the QR code was not drawn: width %d, %v", qrWidth, err)
	}
	secret := p.text("#mfa-secret")
	if uri := p.text("#mfa-uri"); !strings.HasPrefix(uri, "otpauth://totp/crisisdesk:admin?") || !strings.Contains(uri, secret) {
		t.Errorf("enrolment URI %q", uri)
	}
	appCode := func(ahead int64) string { // what the authenticator app shows
		t.Helper()
		c, err := account.TOTPCode(secret, account.TOTPCounter(time.Now())+ahead)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	p.submit("a wrong first code", "", "#code-error",
		chromedp.SendKeys(chromedp.ID("enrol-code"), "000000"), chromedp.Click(chromedp.ID("enrol-submit")))
	p.submit("the app's code", "", "#recovery-codes",
		chromedp.SendKeys(chromedp.ID("enrol-code"), appCode(0)), chromedp.Click(chromedp.ID("enrol-submit")))
	recovery, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#recovery-codes code")).map(c => c.textContent)`))
	if err != nil || len(recovery) != account.RecoveryCodeCount {
		t.Fatalf("recovery codes shown: %v, %v", recovery, err)
	}
	p.submit("continue to the desk", "", "#welcome", chromedp.Click(chromedp.ID("mfa-continue")))
	p.expectPath("/desk")

	const picker = `form#language-form select[name="language"]`
	checkShown := func(lang string, want langShown) {
		t.Helper()
		p.expectPath("/desk")
		got := langShown{title: p.text("h1#page-title"), nav: p.text("#nav-dashboard"), signout: p.text("#signout")}
		if got != want {
			t.Errorf("in %s the dashboard shows %+v, want %+v", lang, got, want)
		}
	}
	// The browser asks for English, so the dashboard starts in English.
	checkShown(i18n.English, en)

	// As a person does it: choosing in the picker submits it (app.js).
	// SetValue fires the change event.
	p.submit("pick zh-Hant", i18n.TraditionalChinese, "#welcome",
		chromedp.SetValue(chromedp.CSS(picker), i18n.TraditionalChinese))
	checkShown(i18n.TraditionalChinese, zh)

	// Without script: set the value quietly and press the button.
	p.submit("choose en and press the button", i18n.English, "#welcome",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+picker+`').value = "en"`),
		chromedp.Click(chromedp.ID("language-submit")))
	checkShown(i18n.English, en)

	p.submit("sign out", i18n.English, "#signin-form", chromedp.Click(chromedp.ID("signout")))
	p.expectPath("/signin")

	// The session is gone: the dashboard asks for a sign-in again.
	p.do("open the dashboard signed out", chromedp.Navigate(base+"/desk"), chromedp.WaitVisible(chromedp.CSS("#signin-form")))
	p.expectPath("/signin")

	// The new password works, no change is forced any more, and the
	// app's next code completes the sign-in.
	p.submit("sign in with the new password", i18n.English, "#code-form",
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="name"]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="password"]`), newPassword),
		chromedp.Click(chromedp.CSS(`#signin-form button[type="submit"]`)),
	)
	p.expectPath("/signin/code")
	p.submit("a wrong code", i18n.English, "#code-error",
		chromedp.SendKeys(chromedp.ID("signin-code"), "000000"), chromedp.Click(chromedp.ID("code-submit")))
	p.submit("the app's next code", i18n.English, "#welcome",
		chromedp.SendKeys(chromedp.ID("signin-code"), appCode(1)), chromedp.Click(chromedp.ID("code-submit")))
	p.expectPath("/desk")

	// Without the phone: a recovery code, once.
	p.submit("sign out again", i18n.English, "#signin-form", chromedp.Click(chromedp.ID("signout")))
	p.submit("sign in for the recovery code", i18n.English, "#code-form",
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="name"]`), "admin"),
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name="password"]`), newPassword),
		chromedp.Click(chromedp.CSS(`#signin-form button[type="submit"]`)),
	)
	p.submit("a recovery code", i18n.English, "#flash",
		chromedp.SendKeys(chromedp.ID("signin-code"), recovery[0]), chromedp.Click(chromedp.ID("code-submit")))
	p.expectPath("/desk/account/mfa")
	if left := p.text("#mfa-recovery-left"); left != fmt.Sprintf("%d recovery codes left.", account.RecoveryCodeCount-1) {
		t.Errorf("after a recovery code the page says %q", left)
	}

	// Everything above is on the record.
	p.do("open the audit trail", chromedp.Navigate(base+"/desk/admin/audit"), chromedp.WaitVisible(chromedp.ID("audit-list")))
	trail := p.text("#audit-list")
	for _, action := range []string{"session.signin", "session.signin_failed", "mfa.enrol", "mfa.recovery_used", "user.password_change"} {
		if !strings.Contains(trail, action) {
			t.Errorf("the audit trail shows no %s", action)
		}
	}
}
