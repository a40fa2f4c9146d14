package httpsec

import "strings"

// AcceptsGzip reports whether Accept-Encoding values take gzip with a
// quality above zero, named or as "*".
func AcceptsGzip(values []string) bool {
	star := false
	for _, list := range values {
		for list != "" {
			var part string
			part, list, _ = strings.Cut(list, ",")
			name, params, _ := strings.Cut(part, ";")
			switch name = strings.TrimSpace(name); {
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				return positiveQuality(params)
			case name == "*":
				star = positiveQuality(params)
			}
		}
	}
	return star
}

// positiveQuality reports whether the parameters of one Accept-Encoding
// item give it a quality above zero: no q, or a q with a non-zero digit
// (RFC 9110 section 12.4.2).
func positiveQuality(params string) bool {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		return strings.ContainsAny(v, "123456789")
	}
	return true
}
