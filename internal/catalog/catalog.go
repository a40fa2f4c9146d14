// Package catalog holds what kinds of crisis an institution prepares for:
// the categories of sudden events, the crisis types within them, and the
// four warning/response levels with their colours and CAP severities.
package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"crisisdesk/internal/fault"
	"crisisdesk/internal/plaintext"
)

// Category groups crisis types.
type Category string

// The four categories of sudden events, plus crises of the organisation
// itself.
const (
	NaturalDisaster Category = "natural_disaster" // 自然災害
	Accident        Category = "accident"         // 事故災難
	PublicHealth    Category = "public_health"    // 公共衛生
	SocialSecurity  Category = "social_security"  // 社會安全
	Organisational  Category = "organisational"   // reputation, cyber and data, service outage
)

// Categories lists every category in display order.
var Categories = []Category{NaturalDisaster, Accident, PublicHealth, SocialSecurity, Organisational}

// Valid reports whether c is known.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}

// Level is a warning/response level: I is the most severe.
type Level int

// The four levels.
const (
	LevelI   Level = 1
	LevelII  Level = 2
	LevelIII Level = 3
	LevelIV  Level = 4
)

// Levels lists the levels from most to least severe.
var Levels = []Level{LevelI, LevelII, LevelIII, LevelIV}

// Valid reports whether l is I–IV.
func (l Level) Valid() bool { return l >= LevelI && l <= LevelIV }

// String returns the Roman numeral.
func (l Level) String() string {
	switch l {
	case LevelI:
		return "I"
	case LevelII:
		return "II"
	case LevelIII:
		return "III"
	case LevelIV:
		return "IV"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Colour returns the level's colour: red, orange, yellow, blue.
func (l Level) Colour() string {
	return map[Level]string{LevelI: "red", LevelII: "orange", LevelIII: "yellow", LevelIV: "blue"}[l]
}

// CAPSeverity maps the level to CAP 1.2 severity.
func (l Level) CAPSeverity() string {
	return map[Level]string{LevelI: "Extreme", LevelII: "Severe", LevelIII: "Moderate", LevelIV: "Minor"}[l]
}

// ParseLevel accepts "I".."IV" or "1".."4".
func ParseLevel(s string) (Level, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "I", "1":
		return LevelI, nil
	case "II", "2":
		return LevelII, nil
	case "III", "3":
		return LevelIII, nil
	case "IV", "4":
		return LevelIV, nil
	}
	return 0, fault.Field("level", "must be I, II, III or IV")
}

// Text is a string in each UI language.
type Text struct {
	ZhHant string `json:"zh-Hant"`
	ZhHans string `json:"zh-Hans"`
	En     string `json:"en"`
}

// For returns the text in lang, falling back to any language that has it.
func (t Text) For(lang string) string {
	var s string
	switch lang {
	case "zh-Hant":
		s = t.ZhHant
	case "zh-Hans":
		s = t.ZhHans
	default:
		s = t.En
	}
	for _, alt := range []string{s, t.ZhHant, t.En, t.ZhHans} {
		if alt != "" {
			return alt
		}
	}
	return ""
}

// Empty reports whether no language has text.
func (t Text) Empty() bool { return t.ZhHant == "" && t.ZhHans == "" && t.En == "" }

// Type is a crisis type: typhoon, food poisoning, data breach.
type Type struct {
	ID         int64
	Code       string // stable key, e.g. "typhoon"
	Category   Category
	Name       Text
	Indicators []Text   // warning indicators (預警信號)
	Notify     []string // who must be told: department codes or roles
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
}

// Validate checks a type.
func (t Type) Validate() error {
	var f fault.Fields
	if t.Code == "" || len(t.Code) > 63 || strings.ContainsAny(t.Code, " /?#<>") {
		f.Add("code", "must be 1–63 characters without spaces")
	}
	if !t.Category.Valid() {
		f.Add("category", "must be one of natural_disaster, accident, public_health, social_security, organisational")
	}
	if t.Name.Empty() {
		f.Add("name", "needs a name in at least one language")
	}
	for _, s := range []string{t.Name.ZhHant, t.Name.ZhHans, t.Name.En} {
		if utf8.RuneCountInString(s) > 100 {
			f.Add("name", "must be at most 100 characters")
			break
		}
	}
	plaintext.CheckLine(&f, "name", t.Name.ZhHant+" "+t.Name.ZhHans+" "+t.Name.En)
	for i, in := range t.Indicators {
		plaintext.Check(&f, "indicators["+strconv.Itoa(i)+"]", in.ZhHant+in.ZhHans+in.En)
	}
	return f.Err()
}
