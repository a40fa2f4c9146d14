// Package fault is crisisdesk's one error vocabulary. Domain code returns
// coded errors naming the field or the cause; each surface maps the code at
// its edge: the API to RFC 9457 problem+json, the UI to a message beside the
// field, the command line to one line and a non-zero exit.
package fault

import (
	"errors"
	"fmt"
)

// Code classifies an error for the surfaces.
type Code string

// The codes every surface knows how to show.
const (
	Invalid         Code = "invalid"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	Forbidden       Code = "forbidden"
	Unauthenticated Code = "unauthenticated"
	TooManyRequests Code = "too_many_requests"
	Unavailable     Code = "unavailable"
	Internal        Code = "internal"
)

// Error is a coded error. Field names the input at fault, if any; Message is
// safe to show to the person who caused it; Err keeps the underlying cause for
// logs and errors.Is.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns a coded error with a message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an invalid-input error naming field.
func Field(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns a coded error that keeps err as its cause.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// CodeOf returns the code of the first coded error in err's chain, Internal
// for any other non-nil error, and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first coded error in err's chain. Errors without a code
// become an internal error with a generic message, so that nothing unknown is
// ever shown to a user.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: "internal error", Err: err}
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Fields collects several invalid fields into one error.
type Fields []*Error

func (f Fields) Error() string {
	if len(f) == 0 {
		return "no errors"
	}
	s := f[0].Error()
	if len(f) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(f)-1)
	}
	return s
}

// Add appends an invalid-field error.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, Field(field, format, args...))
}

// Err returns nil when empty, or the first error wrapped so that CodeOf sees
// Invalid and errors.As can still reach all of them.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Field: f[0].Field, Message: f[0].Message, Err: f}
}

// FieldsOf returns the invalid fields err names: every one of a Fields
// list, or the one field of a single coded error; nil when it names none.
func FieldsOf(err error) Fields {
	var list Fields
	if errors.As(err, &list) {
		return list
	}
	if e := As(err); e.Field != "" {
		return Fields{e}
	}
	return nil
}
