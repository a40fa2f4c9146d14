package crisis

import "strings"

// Msg is a system text: a message key and its arguments, stored as they
// are and rendered in each reader's language (crisis room, exports, print
// view, API, e-mail). An argument whose name ends in "Key" holds a message
// key itself; the renderer translates it and passes it on under the name
// without the suffix.
type Msg struct {
	Key  string
	Args map[string]string
}

// M makes a Msg from key and name–value pairs.
func M(key string, kv ...string) Msg {
	m := Msg{Key: key, Args: make(map[string]string, len(kv)/2)}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Args[kv[i]] = kv[i+1]
	}
	return m
}

// ClockArgs returns the arguments naming clock name in a Msg: a message
// key for the clock's label, in the reader's language, and its values.
func ClockArgs(name, subject string) []string {
	switch {
	case name == "activation":
		return []string{"ClockKey", "systext.clock.activation"}
	case name == "first_notice":
		return []string{"ClockKey", "systext.clock.first_notice"}
	case name == "drill_report": // drill.ReportClock: a drill's after-action report
		return []string{"ClockKey", "systext.clock.drill_report"}
	case strings.HasPrefix(name, "cadence:"):
		key, _, _ := strings.Cut(strings.TrimPrefix(name, "cadence:"), "#")
		return []string{"ClockKey", "systext.clock.cadence", "Cadence", key}
	case strings.HasPrefix(name, "task:") && subject != "":
		return []string{"ClockKey", "systext.clock.task", "Subject", subject}
	}
	return []string{"ClockKey", "systext.clock.other", "Name", name}
}
