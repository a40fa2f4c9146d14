package i18n

import (
	"sort"
	"strings"
)

// Msg renders a stored system text (a message key and its arguments) in
// t's language. An argument named NameKey holds a message key: it is
// translated, with the same arguments, and passed on as Name.
func (t Translator) Msg(key string, args map[string]string) string {
	names := make([]string, 0, len(args))
	for k := range args {
		names = append(names, k)
	}
	sort.Strings(names)
	pairs := make([]any, 0, 2*len(args))
	for _, k := range names {
		v := args[k]
		if base, ok := strings.CutSuffix(k, "Key"); ok && base != "" {
			k, v = base, t.T(v, pairsOf(args)...)
		}
		pairs = append(pairs, k, v)
	}
	return t.T(key, pairs...)
}

func pairsOf(args map[string]string) []any {
	out := make([]any, 0, 2*len(args))
	for k, v := range args {
		out = append(out, k, v)
	}
	return out
}
