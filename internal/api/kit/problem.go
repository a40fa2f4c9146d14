package kit

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"crisisdesk/internal/fault"
)

// statusOf maps a fault code to its HTTP status.
var statusOf = map[fault.Code]int{
	fault.Invalid:         http.StatusUnprocessableEntity,
	fault.NotFound:        http.StatusNotFound,
	fault.Conflict:        http.StatusConflict,
	fault.Forbidden:       http.StatusForbidden,
	fault.Unauthenticated: http.StatusUnauthorized,
	fault.TooManyRequests: http.StatusTooManyRequests,
	fault.Unavailable:     http.StatusServiceUnavailable,
	fault.Internal:        http.StatusInternalServerError,
}

// ProblemOf returns an RFC 9457 problem with the standard title.
func ProblemOf(status int, detail string) *huma.ErrorModel {
	return &huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: detail}
}

// problem turns an error from a service into a problem. Invalid fields
// become errors[] entries located at body.<field> (or at the field's own
// location when it names one, such as query.role); anything without a code
// is logged in full and shown as a generic internal error.
func (k *Kit) problem(ctx context.Context, err error) *huma.ErrorModel {
	var he *huma.ErrorModel
	if errors.As(err, &he) {
		return he
	}
	f := fault.As(err)
	status, ok := statusOf[f.Code]
	if !ok || f.Code == fault.Internal {
		k.log.ErrorContext(ctx, "api: request failed", "err", err)
		return ProblemOf(http.StatusInternalServerError, "internal error")
	}
	p := ProblemOf(status, f.Message)
	if f.Code != fault.Invalid {
		return p
	}
	for _, fe := range fault.FieldsOf(err) {
		p.Errors = append(p.Errors, &huma.ErrorDetail{Location: location(fe.Field), Message: fe.Message})
	}
	if len(p.Errors) > 0 {
		p.Detail = "validation failed"
	}
	return p
}

// location turns a domain field name into a problem location.
func location(field string) string {
	switch {
	case field == "":
		return "body"
	case strings.Contains(field, "."):
		return field
	}
	return "body." + field
}

// MapFields renames the invalid fields of a domain error with where, so
// that each names its place in the request (body.content.en.headline);
// fields with no name and errors of other codes pass unchanged.
func MapFields(err error, where func(field string) string) error {
	if fault.As(err).Code != fault.Invalid {
		return err
	}
	fields := fault.FieldsOf(err)
	if len(fields) == 0 {
		return err
	}
	out := make(fault.Fields, 0, len(fields))
	for _, fe := range fields {
		c := *fe
		if c.Field != "" {
			c.Field = where(c.Field)
		}
		out = append(out, &c)
	}
	return out.Err()
}

// BodyFields locates the invalid fields of a domain error in the request
// body: field becomes body.<field>, or body.<renames[field]> for the fields
// the body calls otherwise.
func BodyFields(err error, renames map[string]string) error {
	return MapFields(err, func(field string) string {
		if r := renames[field]; r != "" {
			return "body." + r
		}
		return "body." + field
	})
}

// WriteProblem writes a problem outside huma: unknown paths, failed
// sign-in checks, panics.
func WriteProblem(w http.ResponseWriter, p *huma.ErrorModel) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

const requiredPrefix, requiredSuffix = "expected required property ", " to be present"

// tidyProblem adjusts huma's own problems before they are written: a missing
// property is located at the property itself (body.name, not body), and
// values that echo a whole request body or a password are dropped, so that
// secrets sent by mistake do not come back in responses and client logs.
func tidyProblem(_ huma.Context, _ string, v any) (any, error) {
	p, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	for _, d := range p.Errors {
		if d == nil {
			continue
		}
		if name, ok := strings.CutPrefix(d.Message, requiredPrefix); ok && strings.HasSuffix(name, requiredSuffix) {
			d.Location += "." + strings.TrimSuffix(name, requiredSuffix)
			d.Value = nil
		}
		switch d.Value.(type) {
		case map[string]any, []any:
			d.Value = nil
		}
		if d.Location == "body" || strings.HasSuffix(d.Location, "password") {
			d.Value = nil
		}
	}
	return p, nil
}
