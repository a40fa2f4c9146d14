package i18n

import (
	"sort"
	"strconv"
	"strings"
)

// Negotiate picks the language of a response: preferred (a user's stored
// choice or the language cookie) when it is supported, then the first
// supported entry of the Accept-Language header by quality, then Default.
// Chinese is told apart by script or region: zh-Hant, zh-TW, zh-HK and
// zh-MO are Traditional; zh-Hans, zh-CN, zh-SG and a bare zh are Simplified.
func Negotiate(preferred, acceptLanguage string) string {
	if l, ok := Canonical(preferred); ok {
		return l
	}
	for _, tag := range parseAcceptLanguage(acceptLanguage) {
		if lang := match(tag); lang != "" {
			return lang
		}
	}
	return Default
}

// match maps one language tag to a supported language, or "".
func match(tag string) string {
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(tag, "_", "-")), "-")
	switch parts[0] {
	case "en":
		return English
	case "zh":
	default:
		return ""
	}
	for _, p := range parts[1:] {
		switch p {
		case "hant", "tw", "hk", "mo":
			return TraditionalChinese
		case "hans", "cn", "sg":
			return SimplifiedChinese
		}
	}
	return SimplifiedChinese
}

// parseAcceptLanguage returns the header's tags, best quality first, ties in
// header order; tags with q=0 are dropped.
func parseAcceptLanguage(h string) []string {
	type entry struct {
		tag string
		q   float64
	}
	var entries []entry
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.TrimSpace(tag)
		if tag == "" || tag == "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		if q > 0 {
			entries = append(entries, entry{tag, q})
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].q > entries[j].q })
	tags := make([]string, len(entries))
	for i, e := range entries {
		tags[i] = e.tag
	}
	return tags
}
