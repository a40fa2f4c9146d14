package webhook

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test vector published with the Standard Webhooks specification and
// checked by its reference libraries.
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignReproducesSpecVector(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{vectorSecret, strings.TrimPrefix(vectorSecret, SecretPrefix)} {
		got, err := Sign(secret, vectorID, time.Unix(vectorTimestamp, 0), []byte(vectorBody))
		if err != nil {
			t.Fatalf("Sign with %q: %v", secret, err)
		}
		if got != vectorSignature {
			t.Errorf("Sign with %q = %q, want %q", secret, got, vectorSignature)
		}
	}
}

func TestVerifyAcceptsSpecVector(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	h.Set(HeaderID, vectorID)
	h.Set(HeaderTimestamp, strconv.Itoa(vectorTimestamp))
	h.Set(HeaderSignature, vectorSignature)
	if err := Verify([]string{vectorSecret}, h, []byte(vectorBody), time.Unix(vectorTimestamp, 0), 0); err != nil {
		t.Fatalf("Verify of the published vector: %v", err)
	}
}

func TestNewSecret(t *testing.T) {
	t.Parallel()
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a, SecretPrefix) {
		t.Errorf("NewSecret() = %q, want the %q prefix", a, SecretPrefix)
	}
	if a == b {
		t.Errorf("two secrets are equal: %q", a)
	}
	key, err := ParseSecret(a)
	if err != nil {
		t.Fatalf("ParseSecret(NewSecret()): %v", err)
	}
	if len(key) != 32 {
		t.Errorf("key is %d bytes, want 32", len(key))
	}
}

func TestParseSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantLen int
		wantErr string
	}{
		{name: "with prefix", in: vectorSecret, wantLen: 24},
		{name: "without prefix", in: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", wantLen: 24},
		{name: "unpadded", in: "whsec_" + strings.Repeat("A", 43), wantLen: 32},
		{name: "padded", in: "whsec_" + strings.Repeat("A", 43) + "=", wantLen: 32},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "prefix only", in: "whsec_", wantErr: "empty"},
		{name: "bad base64", in: "whsec_not*base64!!!!!!!!!!!!!!!!!!!!", wantErr: "not valid base64"},
		{name: "too short", in: "whsec_c2hvcnQ=", wantErr: "5 bytes is too short (at least 24)"},
		{name: "23 bytes", in: "whsec_" + strings.Repeat("A", 31), wantErr: "23 bytes is too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key, err := ParseSecret(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseSecret(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				if s := strings.TrimPrefix(tt.in, SecretPrefix); len(s) > 4 && strings.Contains(err.Error(), s) {
					t.Errorf("error %q repeats the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseSecret(%q): %v", tt.in, err)
			}
			if len(key) != tt.wantLen {
				t.Errorf("key is %d bytes, want %d", len(key), tt.wantLen)
			}
		})
	}
}

func TestSignRefusesAmbiguousID(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", "msg.1", "msg\n1", "msg\x001"} {
		if _, err := Sign(vectorSecret, id, time.Unix(vectorTimestamp, 0), nil); err == nil {
			t.Errorf("Sign with id %q: no error", id)
		}
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	old, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	body := []byte(`{"type":"notice.published","data":{"id":7}}`)
	signed := func(ts time.Time, secrets ...string) http.Header {
		var sigs []string
		for _, s := range secrets {
			sig, err := Sign(s, "msg_7_s1_webhook", ts, body)
			if err != nil {
				t.Fatal(err)
			}
			sigs = append(sigs, sig)
		}
		h := http.Header{}
		h.Set(HeaderID, "msg_7_s1_webhook")
		h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		h.Set(HeaderSignature, strings.Join(sigs, " "))
		return h
	}
	tests := []struct {
		name      string
		secrets   []string // the receiver's
		header    http.Header
		body      []byte
		tolerance time.Duration
		want      error // nil, or a sentinel for errors.Is
		wantText  string
	}{
		{name: "valid", secrets: []string{vectorSecret}, header: signed(now, vectorSecret), body: body},
		{name: "tampered body", secrets: []string{vectorSecret}, header: signed(now, vectorSecret),
			body: []byte(`{"type":"notice.published","data":{"id":8}}`), want: ErrSignature},
		{name: "wrong secret", secrets: []string{other}, header: signed(now, vectorSecret), body: body, want: ErrSignature},
		{name: "timestamp too old", secrets: []string{vectorSecret}, header: signed(now.Add(-6*time.Minute), vectorSecret),
			body: body, want: ErrTimestamp},
		{name: "timestamp in the future", secrets: []string{vectorSecret}, header: signed(now.Add(6*time.Minute), vectorSecret),
			body: body, want: ErrTimestamp},
		{name: "within a wider tolerance", secrets: []string{vectorSecret}, header: signed(now.Add(-6*time.Minute), vectorSecret),
			body: body, tolerance: 10 * time.Minute},
		{name: "outside a narrower tolerance", secrets: []string{vectorSecret}, header: signed(now.Add(-2*time.Minute), vectorSecret),
			body: body, tolerance: time.Minute, want: ErrTimestamp},
		{name: "rotation, receiver has the new secret", secrets: []string{vectorSecret},
			header: signed(now, vectorSecret, old), body: body},
		{name: "rotation, receiver still has the old secret", secrets: []string{old},
			header: signed(now, vectorSecret, old), body: body},
		{name: "receiver holds both, sender signs with one", secrets: []string{old, vectorSecret},
			header: signed(now, vectorSecret), body: body},
		{name: "rotation, receiver has neither", secrets: []string{other},
			header: signed(now, vectorSecret, old), body: body, want: ErrSignature},
		{name: "signed id changed", secrets: []string{vectorSecret}, body: body, want: ErrSignature,
			header: func() http.Header { h := signed(now, vectorSecret); h.Set(HeaderID, "msg_8_s1_webhook"); return h }()},
		{name: "signed timestamp changed", secrets: []string{vectorSecret}, body: body, want: ErrSignature,
			header: func() http.Header {
				h := signed(now, vectorSecret)
				h.Set(HeaderTimestamp, strconv.FormatInt(now.Unix()+1, 10))
				return h
			}()},
		{name: "other schemes and junk are skipped", secrets: []string{vectorSecret}, body: body,
			header: func() http.Header {
				h := signed(now, vectorSecret)
				h.Set(HeaderSignature, "v1a,AAAA v1,!!!notbase64 v2,x nocomma "+h.Get(HeaderSignature))
				return h
			}()},
		{name: "signature under another version", secrets: []string{vectorSecret}, body: body, want: ErrSignature,
			header: func() http.Header {
				h := signed(now, vectorSecret)
				h.Set(HeaderSignature, "v2"+strings.TrimPrefix(h.Get(HeaderSignature), "v1"))
				return h
			}()},
		{name: "missing id", secrets: []string{vectorSecret}, body: body, want: ErrMissingHeader, wantText: HeaderID,
			header: func() http.Header { h := signed(now, vectorSecret); h.Del(HeaderID); return h }()},
		{name: "missing timestamp", secrets: []string{vectorSecret}, body: body, want: ErrMissingHeader, wantText: HeaderTimestamp,
			header: func() http.Header { h := signed(now, vectorSecret); h.Del(HeaderTimestamp); return h }()},
		{name: "missing signature", secrets: []string{vectorSecret}, body: body, want: ErrMissingHeader, wantText: HeaderSignature,
			header: func() http.Header { h := signed(now, vectorSecret); h.Del(HeaderSignature); return h }()},
		{name: "timestamp not a number", secrets: []string{vectorSecret}, body: body, want: ErrTimestamp,
			header: func() http.Header { h := signed(now, vectorSecret); h.Set(HeaderTimestamp, "yesterday"); return h }()},
		{name: "no secrets", header: signed(now, vectorSecret), body: body, wantText: "no secret"},
		{name: "bad secret", secrets: []string{vectorSecret, "whsec_c2hvcnQ="}, header: signed(now, vectorSecret), body: body,
			wantText: "secret 2: webhook secret: 5 bytes is too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Verify(tt.secrets, tt.header, tt.body, now, tt.tolerance)
			if tt.want == nil && tt.wantText == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Verify: no error, want %v %q", tt.want, tt.wantText)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Verify error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Verify error = %q, want it to contain %q", err, tt.wantText)
			}
		})
	}
}
