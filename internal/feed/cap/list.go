package cap

import (
	"errors"
	"fmt"
	"strings"
)

// Reference points at an earlier message: one sender,identifier,sent triplet
// of <references>. Sent is kept as the exact string the referenced message
// carried (RULES.md R04).
type Reference struct {
	Sender     string
	Identifier string
	Sent       string
}

// String formats the triplet as it appears in <references>.
func (r Reference) String() string { return r.Sender + "," + r.Identifier + "," + r.Sent }

// JoinReferences formats refs for Alert.References.
func JoinReferences(refs ...Reference) string {
	s := make([]string, len(refs))
	for i, r := range refs {
		s[i] = r.String()
	}
	return strings.Join(s, " ")
}

// ParseReferences reads the value of <references>. An empty value gives no
// references and no error.
func ParseReferences(s string) ([]Reference, error) {
	var refs []Reference
	for i, f := range strings.Fields(s) {
		parts := strings.Split(f, ",")
		if len(parts) != 3 {
			return nil, fmt.Errorf("reference %d %q is not sender,identifier,sent", i+1, f)
		}
		r := Reference{Sender: parts[0], Identifier: parts[1], Sent: parts[2]}
		if msg := idProblem(r.Sender); msg != "" {
			return nil, fmt.Errorf("reference %d: sender %s", i+1, msg)
		}
		if msg := idProblem(r.Identifier); msg != "" {
			return nil, fmt.Errorf("reference %d: identifier %s", i+1, msg)
		}
		if _, err := ParseTime(r.Sent); err != nil {
			return nil, fmt.Errorf("reference %d: sent %w", i+1, err)
		}
		refs = append(refs, r)
	}
	return refs, nil
}

// SplitList reads addresses or incidents. It rejects an unbalanced quote, a
// quote inside an item and an empty quoted item.
func SplitList(s string) ([]string, error) {
	var items []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, errors.New("has an unbalanced double quote")
			}
			item := s[i+1 : i+1+end]
			i += end + 2
			if i < len(s) && !strings.ContainsRune(" \t\n\r", rune(s[i])) {
				return nil, errors.New("a quoted item must be followed by a space")
			}
			if item == "" {
				return nil, errors.New("has an empty quoted item")
			}
			items = append(items, item)
		default:
			end := strings.IndexAny(s[i:], " \t\n\r")
			if end < 0 {
				end = len(s) - i
			}
			item := s[i : i+end]
			if strings.Contains(item, `"`) {
				return nil, fmt.Errorf("item %q has a double quote inside; quote the whole item", item)
			}
			items = append(items, item)
			i += end
		}
	}
	return items, nil
}
