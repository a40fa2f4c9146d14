package subscribers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/webhook"
	"crisisdesk/internal/subscriber"
	"crisisdesk/internal/web/kit"
)

// testTimeout bounds one test send.
const testTimeout = 30 * time.Second

// channelState is whether a channel is set up to send.
type channelState struct {
	Name       string
	Configured bool
}

// channelTestForm is the "send test" form.
type channelTestForm struct {
	Channel string
	Address string
	Errors  kit.FieldErrors
}

// channelTestResult is what a test send did.
type channelTestResult struct {
	Channel   string
	Address   string
	Key       string // the message's idempotency key, to find it at the receiver
	OK        bool
	Error     string // the adapter's error, secrets already redacted
	Permanent bool   // the error is one no retry cures
	Secret    string // the throwaway secret a webhook test was signed with
}

type channelsView struct {
	Channels []channelState
	Form     channelTestForm
	Result   *channelTestResult
}

func (h *Room) channelsPage(w http.ResponseWriter, r *http.Request) {
	h.renderChannels(w, r, http.StatusOK, channelTestForm{Channel: channel.Email}, nil)
}

func (h *Room) renderChannels(w http.ResponseWriter, r *http.Request, status int, f channelTestForm, res *channelTestResult) {
	v := channelsView{Form: f, Result: res}
	for _, name := range channel.Names {
		_, ok := h.Channels.Sender(name)
		v.Channels = append(v.Channels, channelState{Name: name, Configured: ok})
	}
	h.Kit.Render(w, r, status, "channels", v)
}

// testChannel sends a test message through one channel's adapter at once,
// outside the delivery log, and shows whether it went. The audit trail
// records every send, whether it went or not.
func (h *Room) testChannel(w http.ResponseWriter, r *http.Request) {
	tr := h.Kit.T(r)
	f := channelTestForm{Channel: r.PostFormValue("channel"), Address: strings.TrimSpace(r.PostFormValue("address")), Errors: kit.FieldErrors{}}
	sender, ok := h.Channels.Sender(f.Channel)
	switch {
	case !slices.Contains(channel.Names, f.Channel):
		f.Errors["channel"] = tr.T("err.channel_unknown")
	case !ok:
		f.Errors["channel"] = tr.T("err.channel_not_configured")
	}
	addr, err := subscriber.NormalizeAddress(f.Channel, f.Address)
	if err != nil && f.Errors["channel"] == "" {
		f.Errors["address"] = tr.T("err.channel_address")
	}
	if len(f.Errors) > 0 {
		h.renderChannels(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	res := &channelTestResult{Channel: f.Channel, Address: addr, Key: testKey()}
	m := channel.Message{Key: res.Key, To: addr, Language: tr.Lang(), Timestamp: h.Kit.Now()}
	text := tr.T("channels.test_text", "Name", kit.Actor(r).Name, "At", h.Kit.FormatTime(m.Timestamp))
	switch f.Channel {
	case channel.Webhook:
		if res.Secret, err = webhook.NewSecret(); err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		body, err := json.Marshal(map[string]any{"type": "test", "timestamp": m.Timestamp.UTC().Format(time.RFC3339),
			"data": map[string]string{"message": text}})
		if err != nil {
			h.Kit.Fail(w, r, err)
			return
		}
		m.Event, m.JSON, m.Secret = "test", body, res.Secret
	case channel.SMS:
		m.SMS = text
	default:
		m.Subject, m.Text = tr.T("channels.test_subject"), text
		m.HTML = "<p>" + template.HTMLEscapeString(text) + "</p>"
	}
	ctx, cancel := context.WithTimeout(r.Context(), testTimeout)
	defer cancel()
	if err := sender.Send(ctx, m); err != nil {
		res.Error, res.Permanent = err.Error(), channel.IsPermanent(err)
	} else {
		res.OK = true
	}
	// The send has happened, so a failure to record it cannot undo it; the
	// admin is told, and the log keeps what the trail could not.
	if err := h.Audit.Record(r.Context(), kit.Actor(r), "channel.test", "channel", f.Channel, testDetail(res)); err != nil {
		h.Kit.Fail(w, r, fmt.Errorf("record test send on %s to %s (ok %t, key %s): %w",
			res.Channel, kit.MaskAddress(res.Channel, res.Address), res.OK, res.Key, err))
		return
	}
	h.renderChannels(w, r, http.StatusOK, f, res)
}

// channelTestDetail is what the audit trail keeps of a test send. The
// address is masked as for those who may not see personal data, since the
// trail is shown to them and never erased.
type channelTestDetail struct {
	Channel string `json:"channel"`
	Address string `json:"address"`
	Key     string `json:"key"`
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
}

func testDetail(res *channelTestResult) channelTestDetail {
	masked := kit.MaskAddress(res.Channel, res.Address)
	d := channelTestDetail{Channel: res.Channel, Address: masked, Key: res.Key, OK: res.OK}
	if res.Error != "" {
		// Receivers often quote the address back in their refusal.
		d.Error = strings.ReplaceAll(res.Error, res.Address, masked)
	}
	return d
}

// testKey names a test message, unlike any delivery's key.
func testKey() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported systems
	return "test_" + hex.EncodeToString(b)
}
