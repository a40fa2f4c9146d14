package email

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"crisisdesk/internal/channel"
	"crisisdesk/internal/channel/channeltest"
)

func deadAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// waitUntil polls cond until it holds or the bound runs out; it waits for
// an effect, it does not time one.
func waitUntil(t *testing.T, bound time.Duration, cond func() bool) bool {
	t.Helper()
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// messageIDs counts the received messages by Message-ID.
func messageIDs(t *testing.T, mail []channeltest.Mail) map[string]int {
	t.Helper()
	ids := map[string]int{}
	for _, m := range mail {
		ids[parse(t, m).header.Get("Message-ID")]++
	}
	return ids
}

func TestPoolConcurrentSendsArriveOnce(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{MaxConns: 4})
	const workers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				m := noticeMessage(fmt.Sprintf("msg_1_s%d_email", w*each+i))
				if err := s.Send(context.Background(), m); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ids := messageIDs(t, in.WaitFor(workers*each, 30*time.Second))
	if len(ids) != workers*each {
		t.Errorf("%d distinct messages, want %d", len(ids), workers*each)
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
	if n := in.Sessions(); n > 4 {
		t.Errorf("%d connections for %d messages, want at most 4", n, workers*each)
	}
}

func TestPoolReconnectsAfterServerDrop(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{MaxConns: 1})
	send := func(i int) {
		t.Helper()
		if err := s.Send(context.Background(), noticeMessage(fmt.Sprintf("msg_2_s%d_email", i))); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	send(1)
	send(2)
	in.Drop() // as a server restart or its idle timeout would
	if !waitUntil(t, 10*time.Second, func() bool { return in.Open() == 0 }) {
		t.Fatal("the server kept its connections")
	}
	send(3) // the pooled connection is dead: a fresh one carries it
	send(4)
	ids := messageIDs(t, in.WaitFor(4, 10*time.Second))
	if len(ids) != 4 {
		t.Errorf("received %v", ids)
	}
	for id, n := range ids {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
	if n := in.Sessions(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestPoolReplacesConnectionAfterMaxPerConn(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{MaxConns: 1, MaxPerConn: 2})
	for i := range 6 {
		if err := s.Send(context.Background(), noticeMessage(fmt.Sprintf("msg_3_s%d_email", i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := in.Sessions(); n != 3 {
		t.Errorf("%d connections for 6 messages at 2 each, want 3", n)
	}
}

func TestPoolClosesIdleConnections(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{MaxConns: 2, IdleTimeout: 20 * time.Millisecond})
	if err := s.Send(context.Background(), noticeMessage("msg_4_s1_email")); err != nil {
		t.Fatal(err)
	}
	if !waitUntil(t, 10*time.Second, func() bool { return in.Open() == 0 }) {
		t.Fatalf("%d connections still open after the idle timeout", in.Open())
	}
	if err := s.Send(context.Background(), noticeMessage("msg_4_s2_email")); err != nil {
		t.Fatalf("after the idle close: %v", err)
	}
	if n := in.Sessions(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestCloseEndsThePool(t *testing.T) {
	t.Parallel()
	in := channeltest.NewInbox(t)
	s := openSender(t, in, Options{MaxConns: 2})
	if err := s.Send(context.Background(), noticeMessage("msg_5_s1_email")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !waitUntil(t, 10*time.Second, func() bool { return in.Open() == 0 }) {
		t.Errorf("%d connections open after Close", in.Open())
	}
	err := s.Send(context.Background(), noticeMessage("msg_5_s2_email"))
	if err == nil || channel.IsPermanent(err) || !strings.Contains(err.Error(), "closed") {
		t.Errorf("send after Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	// Staff alerts do not use the pool.
	if _, err := s.SendMail(context.Background(), Message{To: "a@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Errorf("SendMail after Close: %v", err)
	}
}

func TestOpenRefusesBadPoolSettings(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{{MaxConns: -1}, {MaxPerConn: -1}, {IdleTimeout: -time.Second}, {Timeout: -time.Second}} {
		o.URL, o.From = "smtp://localhost", "a@example.org"
		if _, err := Open(o); err == nil {
			t.Errorf("Open(%+v) accepted", o)
		}
	}
}

// BenchmarkSendPool sends notice e-mails from many goroutines through the
// pool to the in-process server, which counts and drops them.
func BenchmarkSendPool(b *testing.B) {
	in := channeltest.NewInbox(b)
	in.Discard(true)
	s := openSender(b, in, Options{})
	m := noticeMessage("")
	m.Text = strings.Repeat(m.Text, 8)
	m.HTML = strings.Repeat(m.HTML, 8)
	var seq sync.Mutex
	n := 0
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			seq.Lock()
			n++
			msg := m
			msg.Key = fmt.Sprintf("msg_1_s%d_email", n)
			seq.Unlock()
			if err := s.Send(context.Background(), msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	if got := in.Received(); got != b.N {
		b.Errorf("server received %d of %d", got, b.N)
	}
}

// BenchmarkSendMailDialEach is the same load over a new connection per
// message, as SendMail does: the baseline the pool is measured against.
func BenchmarkSendMailDialEach(b *testing.B) {
	in := channeltest.NewInbox(b)
	in.Discard(true)
	s := openSender(b, in, Options{})
	m := noticeMessage("")
	msg := Message{To: m.To, Subject: m.Subject, Text: strings.Repeat(m.Text, 8), HTML: strings.Repeat(m.HTML, 8)}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.SendMail(context.Background(), msg); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
