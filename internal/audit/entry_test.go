package audit

import (
	"encoding/json"
	"testing"
	"time"
)

func chain(n int) []Entry {
	prev := Genesis
	var out []Entry
	for i := 1; i <= n; i++ {
		e := Entry{Seq: int64(i), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Actor: "admin", Source: "cli",
			Action: "user.create", Entity: "user", EntityID: "7", Before: json.RawMessage("null"),
			After: json.RawMessage(`{"b":1, "a":"x"}`), PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func verify(es []Entry, headSeq int64, headHash string) *Problem {
	v := NewVerifier()
	for _, e := range es {
		if p := v.Check(e); p != nil {
			return p
		}
	}
	return v.Finish(Head{Seq: headSeq, Hash: headHash})
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  func([]Entry) ([]Entry, int64, string)
		wantSeq int64 // 0: intact
	}{
		{"intact", func(es []Entry) ([]Entry, int64, string) { return es, 5, es[4].Hash }, 0},
		{"edited", func(es []Entry) ([]Entry, int64, string) { es[2].Actor = "mallory"; return es, 5, es[4].Hash }, 3},
		{"deleted middle", func(es []Entry) ([]Entry, int64, string) {
			return append(es[:1:1], es[2:]...), 5, es[4].Hash
		}, 2},
		{"deleted newest", func(es []Entry) ([]Entry, int64, string) { h := es[4].Hash; return es[:4], 5, h }, 5},
		{"rehashed edit", func(es []Entry) ([]Entry, int64, string) {
			es[1].Action = "user.delete"
			es[1].Hash = es[1].ComputeHash()
			return es, 5, es[4].Hash
		}, 3},
		{"json reformatted is not tampering", func(es []Entry) ([]Entry, int64, string) {
			es[0].After = json.RawMessage(`{"a": "x", "b": 1}`)
			return es, 5, es[4].Hash
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			es, seq, head := tt.mutate(chain(5))
			p := verify(es, seq, head)
			switch {
			case tt.wantSeq == 0 && p != nil:
				t.Fatalf("want intact, got %v", p)
			case tt.wantSeq != 0 && p == nil:
				t.Fatalf("want problem at %d, got none", tt.wantSeq)
			case tt.wantSeq != 0 && p.Seq != tt.wantSeq:
				t.Fatalf("problem at %d (%s), want %d", p.Seq, p.Reason, tt.wantSeq)
			}
		})
	}
}
