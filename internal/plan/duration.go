package plan

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a deadline or cadence written the way a crisis office
// writes it: "30m", "4h", "1h30m", "2d", "1w".
type Duration time.Duration

// ParseDuration reads a Duration. Days (d) and weeks (w) are allowed
// besides Go's units.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"d", 24 * time.Hour}, {"w", 7 * 24 * time.Hour}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v <= 0 {
				return 0, fmt.Errorf("%q is not a duration such as 30m, 4h or 2d", s)
			}
			return Duration(time.Duration(v) * u.unit), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a duration such as 30m, 4h or 2d", s)
	}
	return Duration(d), nil
}

// String writes the duration back in its shortest form.
func (d Duration) String() string {
	td := time.Duration(d)
	switch {
	case td <= 0:
		return "0"
	case td%(7*24*time.Hour) == 0:
		return strconv.Itoa(int(td/(7*24*time.Hour))) + "w"
	case td%(24*time.Hour) == 0:
		return strconv.Itoa(int(td/(24*time.Hour))) + "d"
	case td%time.Hour == 0:
		return strconv.Itoa(int(td/time.Hour)) + "h"
	case td%time.Minute == 0:
		return strconv.Itoa(int(td/time.Minute)) + "m"
	}
	return td.String()
}

// MarshalJSON writes "30m".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "30m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string such as \"30m\"")
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
