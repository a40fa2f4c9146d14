package config

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones, whatever the machine has installed
)

func load(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.Load(func(k string) string { return env[k] })
}

func TestPrecedence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "c.toml")
	os.WriteFile(file, []byte("addr = \"127.0.0.1:9000\"\nlog-level = \"debug\"\nshutdown-timeout = \"5s\"\n"), 0o600)
	secret := filepath.Join(dir, "pw")
	os.WriteFile(secret, []byte("from-a-file-123\n"), 0o600)

	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		check func(Config) bool
	}{
		{"defaults", nil, nil, func(c Config) bool {
			return c.Addr == "127.0.0.1:8080" && c.DB == "sqlite:./data/crisisdesk.db" && c.ShutdownTimeout == 20*time.Second
		}},
		{"file", []string{"--config", file}, nil, func(c Config) bool { return c.Addr == "127.0.0.1:9000" && c.LogLevel == "debug" }},
		{"env over file", []string{"--config", file}, map[string]string{"CRISISDESK_ADDR": "127.0.0.1:9001"},
			func(c Config) bool { return c.Addr == "127.0.0.1:9001" && c.ShutdownTimeout == 5*time.Second }},
		{"flag over env", []string{"--addr", "127.0.0.1:9002"}, map[string]string{"CRISISDESK_ADDR": "127.0.0.1:9001"},
			func(c Config) bool { return c.Addr == "127.0.0.1:9002" }},
		{"config file from env", nil, map[string]string{"CRISISDESK_CONFIG": file}, func(c Config) bool { return c.Addr == "127.0.0.1:9000" }},
		{"secret file", nil, map[string]string{"CRISISDESK_ADMIN_PASSWORD_FILE": secret}, func(c Config) bool { return c.AdminPassword == "from-a-file-123" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := load(t, tt.args, tt.env)
			if err != nil || !tt.check(c) {
				t.Fatalf("got %+v, %v", c, err)
			}
		})
	}
}

func TestBadSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("colour = \"red\"\n"), 0o600)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"addr", []string{"--addr", "nope"}, nil, "--addr"},
		{"port", []string{"--addr", "127.0.0.1:99999"}, nil, "--addr"},
		{"db", []string{"--db", "mysql://x"}, nil, "--db"},
		{"level", nil, map[string]string{"CRISISDESK_LOG_LEVEL": "loud"}, "--log-level"},
		{"timeout", []string{"--shutdown-timeout", "soon"}, nil, "--shutdown-timeout"},
		{"unknown key", []string{"--config", bad}, nil, "colour"},
		{"trusted proxy", []string{"--trusted-proxies", "10.0.0.0/8, proxy.example, ::1"}, nil, `"proxy.example" is not an IP`},
		{"trusted prefix", nil, map[string]string{"CRISISDESK_TRUSTED_PROXIES": "10.0.0.0/33"}, `"10.0.0.0/33" is not an IP`},
		{"time zone", []string{"--time-zone", "Asia/Hong_Kongg"}, nil, `"Asia/Hong_Kongg" is not a known IANA time zone`},
		{"oidc issuer", []string{"--oidc-issuer", "login.example.org"}, nil, "--oidc-issuer"},
		{"oidc role map role", []string{"--oidc-role-map", "chiefs=commander,press=king"}, nil, `"king" is not a role`},
		{"oidc role map shape", nil, map[string]string{"CRISISDESK_OIDC_ROLE_MAP": "chiefs"}, `"chiefs" is not value=role`},
		{"time zone offset", nil, map[string]string{"CRISISDESK_TIME_ZONE": "+08:00"}, `"+08:00" is not a known IANA time zone`},
		{"local time zone", []string{"--time-zone", "Local"}, nil, "--time-zone"},
		{"missing file", []string{"--config", filepath.Join(dir, "none.toml")}, nil, "none.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := load(t, tt.args, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(file, []byte("trusted-proxies = \"192.0.2.0/24\"\n"), 0o600)
	list := filepath.Join(t.TempDir(), "list.toml")
	os.WriteFile(list, []byte("trusted-proxies = [\"10.0.0.0/8\", \"::1\"]\n"), 0o600)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string // the prefixes, as Dump writes them
	}{
		{"default trusts none", nil, nil, ""},
		{"flag", []string{"--trusted-proxies", "10.0.0.0/8, 127.0.0.1, ::1"}, nil, "10.0.0.0/8, 127.0.0.1/32, ::1/128"},
		{"env", nil, map[string]string{"CRISISDESK_TRUSTED_PROXIES": "2001:db8::/32,172.16.0.0/12"}, "2001:db8::/32, 172.16.0.0/12"},
		{"file", []string{"--config", file}, nil, "192.0.2.0/24"},
		{"file, as a list", []string{"--config", list}, nil, "10.0.0.0/8, ::1/128"},
		{"host bits, mapped and empty entries", []string{"--trusted-proxies", "10.1.2.3/8,, ::ffff:192.0.2.1 ,::ffff:198.51.100.0/120,"}, nil,
			"10.0.0.0/8, 192.0.2.1/32, 198.51.100.0/24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := load(t, tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			Dump(&b, c)
			if !strings.Contains(b.String(), "trusted-proxies = "+tt.want+"\n") {
				t.Fatalf("prefixes %v, dump:\n%s", c.TrustedProxies, b.String())
			}
			if tt.want == "" && c.TrustedProxies != nil {
				t.Fatalf("default trusts %v", c.TrustedProxies)
			}
		})
	}
}

func TestTimeZone(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(file, []byte("time-zone = \"Asia/Taipei\"\n"), 0o600)
	at := time.Date(2026, 11, 26, 8, 4, 0, 0, time.UTC)
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		want      string // as Dump writes it
		wantClock string // at, read in the zone
	}{
		{"default is the machine's zone", nil, nil, MachineZone().String(), at.In(MachineZone()).Format("15:04")},
		{"flag", []string{"--time-zone", "Asia/Hong_Kong"}, nil, "Asia/Hong_Kong", "16:04"},
		{"env", nil, map[string]string{"CRISISDESK_TIME_ZONE": "America/New_York"}, "America/New_York", "03:04"},
		{"file", []string{"--config", file}, nil, "Asia/Taipei", "16:04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := load(t, tt.args, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if c.TimeZoneFromMachine != (tt.args == nil && tt.env == nil) {
				t.Errorf("from the machine: %v", c.TimeZoneFromMachine)
			}
			if got := at.In(c.TimeZone).Format("15:04"); got != tt.wantClock {
				t.Errorf("%v in %v is %s, want %s", at, c.TimeZone, got, tt.wantClock)
			}
			var b strings.Builder
			Dump(&b, c)
			if !strings.Contains(b.String(), "time-zone = "+tt.want+"\n") {
				t.Errorf("dump:\n%s", b.String())
			}
		})
	}
}

func TestOIDCSettings(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "oidc-secret")
	os.WriteFile(secret, []byte("client-secret-from-a-file\n"), 0o600)
	c, err := load(t, []string{"--oidc-issuer", "https://login.example.org/realms/office/", "--oidc-client-id", "crisisdesk",
		"--oidc-role-map", "crisis-chiefs=commander, press=editor", "--oidc-roles-claim", "realm_access.roles",
		"--oidc-scopes", "openid, profile ,groups"},
		map[string]string{"CRISISDESK_OIDC_CLIENT_SECRET_FILE": secret, "CRISISDESK_OIDC_DEPARTMENT_CLAIM": "department"})
	if err != nil {
		t.Fatal(err)
	}
	if c.OIDCIssuer != "https://login.example.org/realms/office" || c.OIDCClientSecret != "client-secret-from-a-file" ||
		len(c.OIDCRoleMap) != 2 || c.OIDCRoleMap[1].Value != "press" || c.OIDCRolesClaim != "realm_access.roles" ||
		c.OIDCDepartmentClaim != "department" || strings.Join(c.OIDCScopes, " ") != "openid profile groups" {
		t.Fatalf("loaded %+v", c)
	}
	var b strings.Builder
	Dump(&b, c)
	if strings.Contains(b.String(), "client-secret-from-a-file") || !strings.Contains(b.String(), "oidc-role-map = crisis-chiefs=commander,press=editor") {
		t.Errorf("dump:\n%s", b.String())
	}
	d, err := load(t, nil, nil)
	if err != nil || d.OIDCIssuer != "" || d.OIDCRolesClaim != "groups" || strings.Join(d.OIDCScopes, ",") != "openid,profile,email" {
		t.Errorf("defaults %+v %v", d, err)
	}
}

func TestDumpMasksSecrets(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	Dump(&b, Config{DB: "postgres://u:hunter2@h/db", AdminPassword: "hunter2"})
	if strings.Contains(b.String(), "hunter2") {
		t.Fatalf("secret in dump:\n%s", b.String())
	}
}

// Cookies are Secure when people reach crisisdesk over https, unless
// --secure-cookies says otherwise either way.
func TestSecureCookiesFollowBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want bool
	}{
		{"default http base URL", nil, nil, false},
		{"https base URL", []string{"--base-url", "https://crisis.example.org"}, nil, true},
		{"https base URL from the environment", nil, map[string]string{"CRISISDESK_BASE_URL": "https://crisis.example.org/"}, true},
		{"explicit false over https", []string{"--base-url", "https://crisis.example.org", "--secure-cookies", "false"}, nil, false},
		{"explicit true over http", []string{"--secure-cookies", "true"}, nil, true},
		{"explicit true in the environment", nil, map[string]string{"CRISISDESK_SECURE_COOKIES": "1"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := load(t, tt.args, tt.env)
			if err != nil || c.SecureCookies != tt.want {
				t.Fatalf("SecureCookies = %v (%v), want %v", c.SecureCookies, err, tt.want)
			}
		})
	}
	if _, err := load(t, []string{"--secure-cookies", "sometimes"}, nil); err == nil || !strings.Contains(err.Error(), "--secure-cookies") {
		t.Fatalf("a bad --secure-cookies: %v", err)
	}
}

func TestMetricsAndAuditKeySettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		args  []string
		check func(Config) bool
	}{
		{"defaults: no metrics listener or token, key beside the database", nil, func(c Config) bool {
			return c.MetricsAddr == "" && c.MetricsToken == "" && c.AuditKeyFile == filepath.Join("data", "audit.key")
		}},
		{"key beside another SQLite file", []string{"--db", "sqlite:/srv/office/desk.db"}, func(c Config) bool {
			return c.AuditKeyFile == filepath.Join("/srv/office", "audit.key")
		}},
		{"PostgreSQL: ./data/audit.key", []string{"--db", "postgres://u@h/db"}, func(c Config) bool {
			return c.AuditKeyFile == filepath.Join("data", "audit.key")
		}},
		{"explicit key file", []string{"--audit-key-file", "/run/secrets/audit.key"}, func(c Config) bool {
			return c.AuditKeyFile == "/run/secrets/audit.key"
		}},
		{"metrics listener and token", []string{"--metrics-addr", "127.0.0.1:9090", "--metrics-token", "0123456789abcdef"}, func(c Config) bool {
			return c.MetricsAddr == "127.0.0.1:9090" && c.MetricsToken == "0123456789abcdef"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := load(t, tt.args, nil)
			if err != nil || !tt.check(c) {
				t.Fatalf("got %+v, %v", c, err)
			}
		})
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"--metrics-addr", "9090"}, "--metrics-addr"},
		{[]string{"--metrics-token", "short"}, "--metrics-token"},
		{[]string{"--metrics-token", "has a space in it somewhere"}, "--metrics-token"},
	} {
		_, err := load(t, bad.args, nil)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: %v, want an error naming %s", bad.args, err, bad.want)
		}
		if err != nil && bad.want == "--metrics-token" && strings.Contains(err.Error(), bad.args[1]) {
			t.Errorf("the refused token appears in the error: %v", err)
		}
	}
	var b strings.Builder
	Dump(&b, Config{MetricsToken: "0123456789abcdef-secret"})
	if strings.Contains(b.String(), "0123456789abcdef-secret") {
		t.Fatalf("metrics token in dump:\n%s", b.String())
	}
}
