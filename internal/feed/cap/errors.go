package cap

import (
	"strings"

	"crisisdesk/internal/fault"
)

// Errors lists every problem found in a message, each a fault.Invalid error
// whose Field is the element path. errors.As(err, new(*fault.Error)) finds
// the first, so fault.CodeOf reports Invalid.
type Errors []*fault.Error

func (e Errors) Error() string {
	s := make([]string, len(e))
	for i, f := range e {
		s[i] = f.Field + ": " + f.Message
	}
	return "cap: invalid: " + strings.Join(s, "; ")
}

// Unwrap returns the individual errors.
func (e Errors) Unwrap() []error {
	out := make([]error, len(e))
	for i, f := range e {
		out[i] = f
	}
	return out
}

// asError returns nil for no problems and Errors otherwise.
func asError(f fault.Fields) error {
	if len(f) == 0 {
		return nil
	}
	return Errors(f)
}
