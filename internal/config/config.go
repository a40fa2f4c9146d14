// Package config is crisisdesk's one typed table of settings. Each setting
// comes from a command-line flag, else a CRISISDESK_* environment variable
// (or CRISISDESK_*_FILE naming a file that holds it, for secrets), else the
// optional TOML config file, else its default. Load returns a value; there
// is no global.
package config

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"crisisdesk/internal/account"
)

// Config is the loaded settings.
type Config struct {
	DB            string
	Addr          string
	LogFormat     string
	LogLevel      string
	AdminPassword string
	// SecureCookies marks cookies Secure. Unless set explicitly it follows
	// BaseURL: true when that is https://.
	SecureCookies bool
	// MetricsAddr is where /metrics is served on a listener of its own;
	// empty serves it only on Addr behind MetricsToken, or not at all.
	MetricsAddr string
	// MetricsToken is the bearer token /metrics requires; with no
	// MetricsAddr it puts /metrics on Addr.
	MetricsToken string
	// AuditKeyFile holds the key of the audit trail's HMAC chain, kept
	// outside the database. Load fills in the default (DefaultAuditKeyFile).
	AuditKeyFile string
	// FastPath answers the public site's cached documents off the
	// connection, without net/http (package fastpath).
	FastPath bool
	// TrustedProxies are the peers whose X-Forwarded-For is believed, to
	// find the client behind a CDN or reverse proxy; empty trusts none.
	TrustedProxies  []netip.Prefix
	ShutdownTimeout time.Duration
	ConfigFile      string
	BaseURL         string
	SMTPURL         string
	MailFrom        string
	ChineseVariant  string
	// secureCookiesSet records that secure-cookies was given, so that
	// BaseURL does not decide.
	secureCookiesSet bool
	// TimeZone is where people read times: the staff UI and the public
	// site show times in it. Feeds, exports and the API stay in UTC.
	TimeZone *time.Location
	// TimeZoneFromMachine records that no zone was given and TimeZone is
	// the machine's, so that serve can say so (and the demo can choose).
	TimeZoneFromMachine bool

	SMSFormat   string // generic or twilio; empty sends no SMS
	SMSURL      string
	SMSAuth     string
	SMSFrom     string
	SMSBody     string // generic format: request body template
	SMSInbound  string // token gateways put in the inbound (STOP) URL
	RateEmail   float64
	RateSMS     float64
	RateWebhook float64
	// DeliveryWorkers is how many delivery jobs run at once here.
	DeliveryWorkers int
	// FeedbackRate is how many questions one client address may send a
	// minute (-1: no limit).
	FeedbackRate int
	// FeedbackMailSecret signs e-mails the mail provider posts to the
	// feedback webhook.
	FeedbackMailSecret string
	// DeliveryTakeover is how long delivery work may go without a sign of
	// life before another replica (or this one, restarted) takes it over.
	DeliveryTakeover time.Duration

	// OIDCIssuer is the office's OpenID Connect provider; empty turns
	// signing in with it off.
	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCScopes       []string
	// OIDCRolesClaim names the ID token claim with the person's groups or
	// roles; OIDCRoleMap maps its values to roles, first match wins.
	OIDCRolesClaim string
	OIDCRoleMap    []account.RoleRule
	// OIDCDepartmentClaim names the claim with a department code; empty
	// leaves departments to the admins.
	OIDCDepartmentClaim string
}

// Option is one row of the settings table.
type Option struct {
	Name     string // flag name and TOML key
	Default  string
	Help     string
	Secret   bool // masked in dumps; may come from CRISISDESK_X_FILE
	Validate func(string) error
	set      func(*Config, string) error
}

// Env returns the environment variable for the option.
func (o Option) Env() string {
	return "CRISISDESK_" + strings.ToUpper(strings.ReplaceAll(o.Name, "-", "_"))
}

// Options is the table of every setting.
var Options = []Option{
	{Name: "db", Default: "sqlite:./data/crisisdesk.db", Secret: true,
		Help: "database: sqlite:PATH (embedded, the default) or postgres://USER:PASS@HOST:PORT/DB",
		set:  func(c *Config, v string) error { c.DB = v; return nil },
		Validate: func(v string) error {
			if !strings.HasPrefix(v, "sqlite:") && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
				return fmt.Errorf("want sqlite:PATH or postgres://…")
			}
			return nil
		}},
	{Name: "addr", Default: "127.0.0.1:8080", Help: "address to listen on (host:port; port 0 picks a free one)",
		set: func(c *Config, v string) error { c.Addr = v; return nil }, Validate: validAddr},
	{Name: "log-format", Default: "text", Help: "log format: text or json",
		set:      func(c *Config, v string) error { c.LogFormat = v; return nil },
		Validate: oneOf("text", "json")},
	{Name: "log-level", Default: "info", Help: "log level: debug, info, warn or error",
		set:      func(c *Config, v string) error { c.LogLevel = v; return nil },
		Validate: oneOf("debug", "info", "warn", "error")},
	{Name: "admin-password", Default: "", Secret: true,
		Help: "password for the first admin account, used only when the database has no users (default: generate and print one)",
		set:  func(c *Config, v string) error { c.AdminPassword = v; return nil }},
	{Name: "secure-cookies", Default: "",
		Help: "mark cookies Secure: true or false; empty decides by --base-url (Secure when it is https://)",
		set: func(c *Config, v string) (err error) {
			if v == "" {
				return nil // resolved from base-url in Load
			}
			c.SecureCookies, err = strconv.ParseBool(v)
			c.secureCookiesSet = true
			return err
		},
		Validate: func(v string) error {
			if _, err := strconv.ParseBool(v); err != nil && v != "" {
				return fmt.Errorf("want true, false or empty (decide by --base-url)")
			}
			return nil
		}},
	{Name: "metrics-addr", Default: "",
		Help: "address of a listener of its own for /metrics, such as 127.0.0.1:9090 (empty: /metrics only on --addr with --metrics-token, else nowhere)",
		set:  func(c *Config, v string) error { c.MetricsAddr = v; return nil },
		Validate: func(v string) error {
			if v == "" {
				return nil
			}
			return validAddr(v)
		}},
	{Name: "metrics-token", Default: "", Secret: true,
		Help: "bearer token that /metrics requires; without --metrics-addr it serves /metrics on --addr",
		set:  func(c *Config, v string) error { c.MetricsToken = v; return nil },
		Validate: func(v string) error {
			if v != "" && (len(v) < 16 || strings.ContainsAny(v, " \t\r\n")) {
				return fmt.Errorf("want at least 16 characters without spaces")
			}
			return nil
		}},
	{Name: "audit-key-file", Default: "",
		Help: "file with the audit trail's HMAC key, kept outside the database and generated on first start (empty: audit.key beside the SQLite database; ./data/audit.key with PostgreSQL, where every replica needs the same file)",
		set:  func(c *Config, v string) error { c.AuditKeyFile = v; return nil }},
	{Name: "public-fast-path", Default: "true",
		Help: "answer the public site's cached pages and feeds on a fast path beside net/http (false: net/http serves everything)",
		set:  func(c *Config, v string) (err error) { c.FastPath, err = strconv.ParseBool(v); return err },
		Validate: func(v string) error {
			if _, err := strconv.ParseBool(v); err != nil {
				return fmt.Errorf("want true or false")
			}
			return nil
		}},
	{Name: "trusted-proxies", Default: "",
		Help:     "comma-separated IP addresses or CIDR prefixes of the reverse proxies or CDN in front, whose X-Forwarded-For names the client (empty: trust none)",
		set:      func(c *Config, v string) (err error) { c.TrustedProxies, err = ParseTrustedProxies(v); return err },
		Validate: func(v string) error { _, err := ParseTrustedProxies(v); return err }},
	{Name: "shutdown-timeout", Default: "20s", Help: "how long shutdown waits for requests and jobs to finish",
		set: func(c *Config, v string) (err error) { c.ShutdownTimeout, err = time.ParseDuration(v); return err },
		Validate: func(v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("want a positive duration such as 20s")
			}
			return nil
		}},
	{Name: "base-url", Default: "http://127.0.0.1:8080", Help: "the address people use to reach crisisdesk, for links in e-mails",
		set: func(c *Config, v string) error { c.BaseURL = strings.TrimRight(v, "/"); return nil },
		Validate: func(v string) error {
			if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
				return fmt.Errorf("want an http:// or https:// address")
			}
			return nil
		}},
	{Name: "smtp-url", Default: "", Secret: true,
		Help: "mail server for alerts, notices and confirmations: smtp://USER:PASS@HOST:587 (STARTTLS) or smtps://USER:PASS@HOST:465; empty sends no e-mail",
		set:  func(c *Config, v string) error { c.SMTPURL = v; return nil },
		Validate: func(v string) error {
			if v != "" && !strings.HasPrefix(v, "smtp://") && !strings.HasPrefix(v, "smtps://") {
				return fmt.Errorf("want smtp://… or smtps://…")
			}
			return nil
		}},
	{Name: "mail-from", Default: "crisisdesk@localhost", Help: "the From address of crisisdesk's e-mail",
		set: func(c *Config, v string) error { c.MailFrom = v; return nil },
		Validate: func(v string) error {
			if !strings.Contains(v, "@") {
				return fmt.Errorf("want an e-mail address")
			}
			return nil
		}},
	{Name: "chinese-variant", Default: "hk", Help: "Traditional Chinese standard for conversions: hk (Hong Kong), tw (Taiwan) or std (OpenCC standard)",
		set:      func(c *Config, v string) error { c.ChineseVariant = v; return nil },
		Validate: oneOf("hk", "tw", "std")},
	{Name: "time-zone", Default: "", Help: "IANA time zone the staff UI, the public site, alerts and reminders show times in, such as Asia/Hong_Kong (empty: the machine's zone; feeds, exports and the API stay UTC)",
		set: func(c *Config, v string) (err error) {
			if v == "" {
				c.TimeZone, c.TimeZoneFromMachine = MachineZone(), true
				return nil
			}
			c.TimeZone, err = ParseTimeZone(v)
			return err
		},
		Validate: func(v string) error {
			if v == "" {
				return nil
			}
			_, err := ParseTimeZone(v)
			return err
		}},
	{Name: "sms-format", Default: "", Help: "SMS gateway format: generic (any HTTP gateway) or twilio; empty sends no SMS",
		set: func(c *Config, v string) error { c.SMSFormat = v; return nil }, Validate: oneOf("", "generic", "twilio")},
	{Name: "sms-url", Default: "", Help: "SMS gateway address (generic: the URL to POST to; twilio: the API base, default https://api.twilio.com)",
		set: func(c *Config, v string) error { c.SMSURL = v; return nil },
		Validate: func(v string) error {
			if v != "" && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
				return fmt.Errorf("want an http:// or https:// address")
			}
			return nil
		}},
	{Name: "sms-auth", Default: "", Secret: true, Help: "SMS gateway credentials (generic: the Authorization header value; twilio: ACCOUNTSID:AUTHTOKEN)",
		set: func(c *Config, v string) error { c.SMSAuth = v; return nil }},
	{Name: "sms-from", Default: "", Help: "the sender number or name of SMS",
		set: func(c *Config, v string) error { c.SMSFrom = v; return nil }},
	{Name: "sms-body", Default: "", Help: "generic gateway: Go template of the request body (fields .To .From .Text .Reference .Encoding .Segments; functions json, urlquery); empty sends JSON",
		set: func(c *Config, v string) error { c.SMSBody = v; return nil }},
	{Name: "sms-inbound-token", Default: "", Secret: true, Help: "token the gateway puts in the inbound URL /sms/inbound/TOKEN for replies such as STOP; empty turns replies off",
		set: func(c *Config, v string) error { c.SMSInbound = v; return nil }},
	{Name: "feedback-rate", Default: "20", Help: "questions and feedback one client address may send a minute on the public site (-1: no limit)",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < -1 || n == 0 {
				return fmt.Errorf("want a positive whole number or -1, got %q", v)
			}
			c.FeedbackRate = n
			return nil
		}},
	{Name: "feedback-mail-secret", Default: "", Secret: true, Help: "secret the mail provider signs e-mails to the feedback address with (HMAC-SHA256, header X-Crisisdesk-Signature) when it posts them to /feedback/inbound/email; empty turns that off",
		set: func(c *Config, v string) error { c.FeedbackMailSecret = v; return nil }},
	{Name: "rate-email", Default: "100", Help: "e-mails per second at most, per replica (0: no limit)",
		set: func(c *Config, v string) error { return setRate(&c.RateEmail, v) }, Validate: validRate},
	{Name: "rate-sms", Default: "20", Help: "SMS per second at most, per replica (0: no limit)",
		set: func(c *Config, v string) error { return setRate(&c.RateSMS, v) }, Validate: validRate},
	{Name: "rate-webhook", Default: "2000", Help: "webhook calls per second at most, per replica (0: no limit)",
		set: func(c *Config, v string) error { return setRate(&c.RateWebhook, v) }, Validate: validRate},
	{Name: "delivery-workers", Default: "6", Help: "delivery jobs run at once per replica",
		set: func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			c.DeliveryWorkers = n
			return err
		},
		Validate: func(v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 100 {
				return fmt.Errorf("want a whole number from 1 to 100")
			}
			return nil
		}},
	{Name: "delivery-takeover", Default: "30s", Help: "how long delivery work may go without a heartbeat before it is taken over (a replica died); working senders beat four times within it",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			c.DeliveryTakeover = d
			return err
		},
		Validate: func(v string) error {
			if d, err := time.ParseDuration(v); err != nil || d < time.Second || d > time.Hour {
				return fmt.Errorf("want a duration from 1s to 1h, e.g. 30s")
			}
			return nil
		}},
	{Name: "oidc-issuer", Default: "", Help: "issuer URL of the office's OpenID Connect provider, e.g. https://login.example.org/realms/office; empty turns signing in with it off",
		set: func(c *Config, v string) error { c.OIDCIssuer = strings.TrimRight(v, "/"); return nil },
		Validate: func(v string) error {
			if v != "" && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
				return fmt.Errorf("want an https:// address")
			}
			return nil
		}},
	{Name: "oidc-client-id", Default: "", Help: "the client id crisisdesk is registered under at the provider",
		set: func(c *Config, v string) error { c.OIDCClientID = v; return nil }},
	{Name: "oidc-client-secret", Default: "", Secret: true, Help: "the client secret; empty for a public client (PKCE alone)",
		set: func(c *Config, v string) error { c.OIDCClientSecret = v; return nil }},
	{Name: "oidc-scopes", Default: "openid,profile,email", Help: "comma-separated scopes to ask for (add groups where the provider needs it for the roles claim)",
		set: func(c *Config, v string) error { c.OIDCScopes = splitList(v); return nil }},
	{Name: "oidc-roles-claim", Default: "groups", Help: "the ID token claim holding the person's groups or roles; a dotted name reaches inside objects (realm_access.roles)",
		set: func(c *Config, v string) error { c.OIDCRolesClaim = strings.TrimSpace(v); return nil }},
	{Name: "oidc-role-map", Default: "", Help: "which claim values give which role, first match wins: \"crisis-chiefs=commander,press=editor,staff=observer\"; a person matching none gets no account",
		set:      func(c *Config, v string) (err error) { c.OIDCRoleMap, err = account.ParseRoleMap(v); return err },
		Validate: func(v string) error { _, err := account.ParseRoleMap(v); return err }},
	{Name: "oidc-department-claim", Default: "", Help: "the ID token claim holding a department code; empty leaves departments to the admins",
		set: func(c *Config, v string) error { c.OIDCDepartmentClaim = strings.TrimSpace(v); return nil }},
	{Name: "config", Default: "", Help: "optional TOML file with any of these settings (keys as the flag names)",
		set: func(c *Config, v string) error { c.ConfigFile = v; return nil }},
}

func validAddr(v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("want host:port")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// DefaultAuditKeyFile is where the audit key lives unless
// --audit-key-file says otherwise: beside the SQLite database, whose
// directory is the office's data; for PostgreSQL ./data/audit.key, relative
// to where crisisdesk runs (replicas must all be given the same file).
func DefaultAuditKeyFile(db string) string {
	if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
		return filepath.Join(filepath.Dir(path), "audit.key")
	}
	return filepath.Join("data", "audit.key")
}

// ParseTrustedProxies parses a comma-separated list of IP addresses and
// CIDR prefixes, IPv4 or IPv6. An address stands for itself alone (/32,
// /128); empty entries are skipped.
func ParseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for entry := range strings.SplitSeq(v, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(entry, "/") {
			var err error
			if p, err = netip.ParsePrefix(entry); err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR prefix", entry)
			}
			// An IPv4 prefix written IPv4-mapped (::ffff:10.0.0.0/104)
			// must match the plain IPv4 peers Go reports.
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
		} else {
			a, err := netip.ParseAddr(entry)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR prefix", entry)
			}
			a = a.Unmap().WithZone("")
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ParseTimeZone loads an IANA time zone such as Asia/Hong_Kong. Empty and
// "Local" are refused: LoadLocation reads them as UTC and as the host's
// zone, which differs between a laptop and a container.
func ParseTimeZone(v string) (*time.Location, error) {
	if v == "" || v == "Local" {
		return nil, fmt.Errorf("want an IANA time zone such as UTC or Asia/Hong_Kong")
	}
	loc, err := time.LoadLocation(v)
	if err != nil {
		return nil, fmt.Errorf("%q is not a known IANA time zone such as Asia/Hong_Kong", v)
	}
	return loc, nil
}

// MachineZone returns the machine's time zone by its IANA name: $TZ,
// else the zone /etc/localtime links to, else /etc/timezone. A machine
// that names none gets time.Local under the name "Local" (its offsets are
// right; serve says the zone could not be named).
func MachineZone() *time.Location {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if loc, err := ParseTimeZone(tz); err == nil {
			return loc
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			if loc, err := ParseTimeZone(name); err == nil {
				return loc
			}
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		if loc, err := ParseTimeZone(strings.TrimSpace(string(b))); err == nil {
			return loc
		}
	}
	return time.Local
}

// splitList splits a comma-separated list, dropping empty entries.
func splitList(v string) []string {
	var out []string
	for e := range strings.SplitSeq(v, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func setRate(dst *float64, v string) error {
	f, err := strconv.ParseFloat(v, 64)
	*dst = f
	return err
}

func validRate(v string) error {
	if f, err := strconv.ParseFloat(v, 64); err != nil || f < 0 || f > 1e6 {
		return fmt.Errorf("want a number of messages per second, 0 for no limit")
	}
	return nil
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// zoneName is the name the time zone was given by; nil is UTC.
func zoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}

func oneOf(vals ...string) func(string) error {
	return func(v string) error {
		for _, x := range vals {
			if v == x {
				return nil
			}
		}
		return fmt.Errorf("want one of %s", strings.Join(vals, ", "))
	}
}

// Flags holds the registered flags of a FlagSet.
type Flags struct {
	fs   *flag.FlagSet
	vals map[string]*string
}

// Register adds a flag for every option to fs.
func Register(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs, vals: map[string]*string{}}
	for _, o := range Options {
		help := o.Help + " (env " + o.Env() + ")"
		f.vals[o.Name] = fs.String(o.Name, o.Default, help)
	}
	return f
}

// Load resolves every setting after fs.Parse: flag, then environment, then
// config file, then default. getenv is os.Getenv in production.
func (f *Flags) Load(getenv func(string) string) (Config, error) {
	setFlags := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { setFlags[fl.Name] = true })

	lookup := func(o Option) (string, bool, error) {
		if setFlags[o.Name] {
			return *f.vals[o.Name], true, nil
		}
		if v := getenv(o.Env()); v != "" {
			return v, true, nil
		}
		if o.Secret {
			if path := getenv(o.Env() + "_FILE"); path != "" {
				b, err := os.ReadFile(path)
				if err != nil {
					return "", false, fmt.Errorf("setting %s: read %s_FILE: %w", o.Name, o.Env(), err)
				}
				return strings.TrimRight(string(b), "\r\n"), true, nil
			}
		}
		return "", false, nil
	}

	var c Config
	cfgPath, _, err := lookup(optionNamed("config"))
	if err != nil {
		return c, err
	}
	file := map[string]any{}
	if cfgPath != "" {
		md, err := toml.DecodeFile(cfgPath, &file)
		if err != nil {
			return c, fmt.Errorf("config file %s: %w", cfgPath, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			return c, fmt.Errorf("config file %s: unknown setting %q", cfgPath, und[0].String())
		}
		for k := range file {
			if _, ok := lookupOption(k); !ok || k == "config" {
				return c, fmt.Errorf("config file %s: unknown setting %q", cfgPath, k)
			}
		}
	}
	for _, o := range Options {
		v, ok, err := lookup(o)
		if err != nil {
			return c, err
		}
		if !ok {
			if fv, inFile := file[o.Name]; inFile {
				v, ok = fileValue(fv), true
			}
		}
		if !ok {
			v = o.Default
		}
		if o.Validate != nil && (v != "" || o.Default != "") {
			if err := o.Validate(v); err != nil {
				return c, fmt.Errorf("setting --%s %q: %v", o.Name, mask(o, v), err)
			}
		}
		if err := o.set(&c, v); err != nil {
			return c, fmt.Errorf("setting --%s: %v", o.Name, err)
		}
	}
	if !c.secureCookiesSet {
		c.SecureCookies = strings.HasPrefix(c.BaseURL, "https://")
	}
	if c.AuditKeyFile == "" {
		c.AuditKeyFile = DefaultAuditKeyFile(c.DB)
	}
	return c, nil
}

func optionNamed(name string) Option {
	o, _ := lookupOption(name)
	return o
}

func lookupOption(name string) (Option, bool) {
	for _, o := range Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

func mask(o Option, v string) string {
	if o.Secret && v != "" {
		if o.Name == "db" && strings.HasPrefix(v, "sqlite:") {
			return v
		}
		return "*****"
	}
	return v
}

// Dump writes the settings with secrets masked, for `serve` logs and
// support.
func Dump(w io.Writer, c Config) {
	vals := map[string]string{
		"db": c.DB, "addr": c.Addr, "log-format": c.LogFormat, "log-level": c.LogLevel,
		"admin-password": c.AdminPassword, "secure-cookies": strconv.FormatBool(c.SecureCookies),
		"public-fast-path": strconv.FormatBool(c.FastPath), "trusted-proxies": joinPrefixes(c.TrustedProxies),
		"shutdown-timeout": c.ShutdownTimeout.String(), "config": c.ConfigFile,
		"base-url": c.BaseURL, "smtp-url": c.SMTPURL, "mail-from": c.MailFrom, "chinese-variant": c.ChineseVariant,
		"sms-format": c.SMSFormat, "sms-url": c.SMSURL, "sms-auth": c.SMSAuth, "sms-from": c.SMSFrom, "sms-body": c.SMSBody,
		"sms-inbound-token": c.SMSInbound, "rate-email": fmt.Sprint(c.RateEmail), "rate-sms": fmt.Sprint(c.RateSMS),
		"rate-webhook": fmt.Sprint(c.RateWebhook), "delivery-workers": strconv.Itoa(c.DeliveryWorkers),
		"delivery-takeover": c.DeliveryTakeover.String(), "time-zone": zoneName(c.TimeZone),
		"metrics-addr": c.MetricsAddr, "metrics-token": c.MetricsToken, "audit-key-file": c.AuditKeyFile,
		"oidc-issuer": c.OIDCIssuer, "oidc-client-id": c.OIDCClientID, "oidc-client-secret": c.OIDCClientSecret,
		"oidc-scopes": strings.Join(c.OIDCScopes, ","), "oidc-roles-claim": c.OIDCRolesClaim,
		"oidc-role-map": account.FormatRoleMap(c.OIDCRoleMap), "oidc-department-claim": c.OIDCDepartmentClaim,
		"feedback-rate": strconv.Itoa(c.FeedbackRate), "feedback-mail-secret": c.FeedbackMailSecret,
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "%s = %s\n", n, mask(optionNamed(n), vals[n]))
	}
}

// fileValue is a TOML value as the flag would give it: a list (such as
// trusted-proxies = ["10.0.0.0/8", "::1"]) joined with commas.
func fileValue(v any) string {
	list, ok := v.([]any)
	if !ok {
		return fmt.Sprint(v)
	}
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = fmt.Sprint(e)
	}
	return strings.Join(parts, ",")
}
