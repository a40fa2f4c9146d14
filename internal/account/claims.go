package account

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"crisisdesk/internal/authz"
)

// RoleRule gives a role to people whose roles claim holds Value.
type RoleRule struct {
	Value string
	Role  authz.Role
}

// ParseRoleMap reads "value=role, value=role" into rules, in order. The
// values are the identity provider's group or role names; the roles are
// crisisdesk's.
func ParseRoleMap(s string) ([]RoleRule, error) {
	var out []RoleRule
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		i := strings.LastIndex(entry, "=")
		if i <= 0 {
			return nil, fmt.Errorf("%q is not value=role", entry)
		}
		value, role := strings.TrimSpace(entry[:i]), authz.Role(strings.TrimSpace(entry[i+1:]))
		if value == "" {
			return nil, fmt.Errorf("%q has no value before =", entry)
		}
		if !role.Valid() {
			return nil, fmt.Errorf("%q: %q is not a role (admin, commander, editor, reviewer, approver, liaison, observer)", entry, role)
		}
		out = append(out, RoleRule{Value: value, Role: role})
	}
	return out, nil
}

// FormatRoleMap writes rules as ParseRoleMap reads them.
func FormatRoleMap(rules []RoleRule) string {
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = r.Value + "=" + string(r.Role)
	}
	return strings.Join(parts, ",")
}

// ClaimMap says where in an ID token's claims crisisdesk finds a person's
// role and department.
type ClaimMap struct {
	// RolesClaim names the claim holding group or role names, a string
	// or a list of strings; a dotted name reaches into objects
	// ("realm_access.roles").
	RolesClaim string
	// Rules map the claim's values to roles; the first rule whose value
	// the claim holds decides.
	Rules []RoleRule
	// DepartmentClaim names the claim holding a department code; ""
	// leaves departments to the admins.
	DepartmentClaim string
}

// Map reads the role and department from claims. Role is "" when no rule
// matched; values are what the roles claim held.
func (m ClaimMap) Map(claims map[string]any) (role authz.Role, department string, values []string) {
	values = claimStrings(lookupClaim(claims, m.RolesClaim))
	for _, rule := range m.Rules {
		for _, v := range values {
			if v == rule.Value {
				return rule.Role, m.department(claims), values
			}
		}
	}
	return "", m.department(claims), values
}

func (m ClaimMap) department(claims map[string]any) string {
	if m.DepartmentClaim == "" {
		return ""
	}
	if vs := claimStrings(lookupClaim(claims, m.DepartmentClaim)); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

func lookupClaim(claims map[string]any, name string) any {
	if name == "" {
		return nil
	}
	if v, ok := claims[name]; ok { // a claim may itself be named with dots
		return v
	}
	var cur any = claims
	for part := range strings.SplitSeq(name, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = obj[part]
	}
	return cur
}

// claimStrings reads a claim as a list of strings: a string is one value,
// a list keeps its strings, anything else holds none.
func claimStrings(v any) []string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}

// SuggestName makes a valid sign-in name for a person from the identity
// provider: their preferred user name, else the local part of their
// e-mail address, else one made from their subject. Characters a name
// may not hold become dashes.
func SuggestName(preferred, email, issuer, subject string) string {
	for _, cand := range []string{preferred, strings.SplitN(email, "@", 2)[0]} {
		if n := cleanName(cand); nameRe.MatchString(n) {
			return n
		}
	}
	sum := sha256.Sum256([]byte(issuer + "\x00" + subject))
	return "sso-" + hex.EncodeToString(sum[:5])
}

func cleanName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	n := strings.Trim(b.String(), ".-_")
	if len(n) > 56 { // room for a "-NN" suffix when the name is taken
		n = strings.TrimRight(n[:56], ".-_")
	}
	return n
}
