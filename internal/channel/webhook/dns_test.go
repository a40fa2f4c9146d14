package webhook

import (
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
)

// fakeDNS is a real DNS server on a loopback UDP port that answers every A
// question with the address answer returns for the n-th A question (from
// 1) and every other question with no records. A resolver pointed at it
// lets a test make a name resolve to anything, and change its mind.
type fakeDNS struct {
	conn    net.PacketConn
	answer  func(name string, n int64) netip.Addr
	queries atomic.Int64
}

// startDNS starts a fake DNS server for the test and returns a resolver
// that asks only it.
func startDNS(t *testing.T, answer func(name string, n int64) netip.Addr) (*net.Resolver, *fakeDNS) {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeDNS{conn: conn, answer: answer}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.serve()
	}()
	t.Cleanup(func() {
		conn.Close()
		<-done
	})
	addr := conn.LocalAddr().String()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", addr)
		},
	}, f
}

func (f *fakeDNS) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := f.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if resp := f.reply(buf[:n]); resp != nil {
			_, _ = f.conn.WriteTo(resp, from)
		}
	}
}

// reply builds the response to one query: the header with the question
// copied, and at most one A record pointing back at the question's name.
func (f *fakeDNS) reply(q []byte) []byte {
	if len(q) < 12 || binary.BigEndian.Uint16(q[4:6]) != 1 {
		return nil
	}
	// The question's name runs from offset 12 to a zero-length label.
	i := 12
	var name []byte
	for i < len(q) && q[i] != 0 {
		l := int(q[i])
		if i+1+l > len(q) {
			return nil
		}
		name = append(append(name, q[i+1:i+1+l]...), '.')
		i += 1 + l
	}
	end := i + 5 // the zero label, QTYPE and QCLASS
	if end > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[i+1 : i+3])

	var ip netip.Addr
	if qtype == 1 { // A
		ip = f.answer(string(name), f.queries.Add(1))
	}
	resp := make([]byte, 0, end+16)
	resp = append(resp, q[0], q[1]) // the query's id
	resp = append(resp, 0x81, 0x80) // response, recursion desired and available, no error
	resp = append(resp, 0, 1)       // one question
	if ip.Is4() {
		resp = append(resp, 0, 1) // one answer
	} else {
		resp = append(resp, 0, 0)
	}
	resp = append(resp, 0, 0, 0, 0) // no authority, no additional records
	resp = append(resp, q[12:end]...)
	if ip.Is4() {
		a := ip.As4()
		resp = append(resp, 0xc0, 12) // the name, by pointer to the question
		resp = append(resp, 0, 1, 0, 1)
		resp = append(resp, 0, 0, 0, 0) // TTL 0: ask again every time
		resp = append(resp, 0, 4)
		resp = append(resp, a[:]...)
	}
	return resp
}
