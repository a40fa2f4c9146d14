package api

import "testing"

func TestMaskAddress(t *testing.T) {
	t.Parallel()
	cases := []struct{ ch, addr, want string }{
		{"email", "john@example.org", "j***@example.org"},
		{"email", "陳大文@example.org", "陳***@example.org"},
		{"email", "no-at-sign", "***"},
		{"sms", "+85291235678", "+852****5678"},
		{"sms", "+1234", "****"},
		{"webhook", "https://hooks.example.org:8443/path?token=secret", "https://hooks.example.org:8443/…"},
		{"webhook", "::not a url", "***"},
		{"app", "", ""},
		{"pigeon", "loft 3", "***"},
	}
	for _, c := range cases {
		if got := maskAddress(c.ch, c.addr); got != c.want {
			t.Errorf("maskAddress(%s, %q) = %q, want %q", c.ch, c.addr, got, c.want)
		}
	}
}

func TestMaskSecret(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_…LaSw"},
		{"whsec_short", "whsec_…"},
		{"", ""},
	}
	for _, c := range cases {
		if got := maskSecret(c.in); got != c.want {
			t.Errorf("maskSecret(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
