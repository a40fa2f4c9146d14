package fastpath

import (
	"bytes"
	"unsafe"
)

// headEnd returns the length of the request head at the start of b,
// through the empty line that ends it, or 0 when b does not yet hold all
// of it, or -1 when b holds a line the fast path leaves to net/http: one
// ended by a bare LF, or an empty line before the request line.
func headEnd(b []byte) int {
	start := 0 // of the current line
	for {
		i := bytes.IndexByte(b[start:], '\n')
		if i < 0 {
			return 0
		}
		i += start
		if i == 0 || b[i-1] != '\r' {
			return -1
		}
		if i-1 == start { // an empty line
			if start == 0 {
				return -1
			}
			return i + 1
		}
		start = i + 1
	}
}

// parse reads the request head in b (as measured by headEnd) into req. It
// reports ok false for anything it leaves to net/http, and close true when
// the client asked to close the connection after this response.
func parse(b []byte, req *Request) (closeAfter, ok bool) {
	*req = Request{}
	line, rest := cutLine(b)
	switch {
	case bytes.HasPrefix(line, []byte("GET ")):
		line = line[4:]
	case bytes.HasPrefix(line, []byte("HEAD ")):
		line, req.Head = line[5:], true
	default:
		return false, false
	}
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 || string(line[sp+1:]) != "HTTP/1.1" {
		return false, false
	}
	target := line[:sp]
	if len(target) == 0 || target[0] != '/' {
		return false, false
	}
	for _, c := range target {
		if c <= ' ' || c >= 0x7f || c == '#' || c == '%' {
			return false, false
		}
	}
	if q := bytes.IndexByte(target, '?'); q >= 0 {
		req.Path, req.Query = view(target[:q]), view(target[q+1:])
	} else {
		req.Path = view(target)
	}

	var hosts, lengths int
	var seen uint8 // a bit for each header below, to refuse repeats
	for {
		line, rest = cutLine(rest)
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' { // obsolete line folding
			return false, false
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return false, false
		}
		name, value := line[:colon], trimOWS(line[colon+1:])
		for _, c := range name {
			if !isToken(c) {
				return false, false
			}
		}
		for _, c := range value {
			if c < ' ' && c != '\t' || c == 0x7f {
				return false, false
			}
		}
		var dst *string
		var has *bool
		var bit uint8
		switch {
		case equalFold(name, "host"):
			hosts++
			if hosts > 1 || !validHost(value) {
				return false, false
			}
		case equalFold(name, "connection"):
			for len(value) > 0 {
				var tok []byte
				tok, value, _ = bytes.Cut(value, []byte(","))
				switch tok = trimOWS(tok); {
				case equalFold(tok, "close"):
					closeAfter = true
				case equalFold(tok, "keep-alive"):
				default: // upgrade, or a hop-by-hop header net/http may act on
					return false, false
				}
			}
		case equalFold(name, "content-length"):
			if lengths++; lengths > 1 || string(value) != "0" {
				return false, false
			}
		case equalFold(name, "transfer-encoding"), equalFold(name, "expect"),
			equalFold(name, "upgrade"), equalFold(name, "http2-settings"):
			return false, false
		case equalFold(name, "accept-encoding"):
			dst, bit = &req.AcceptEncoding, 1
		case equalFold(name, "accept-language"):
			dst, bit = &req.AcceptLanguage, 2
		case equalFold(name, "cookie"):
			dst, has, bit = &req.Cookie, &req.HasCookie, 4
		case equalFold(name, "if-none-match"):
			dst, has, bit = &req.IfNoneMatch, &req.HasIfNoneMatch, 8
		case equalFold(name, "if-modified-since"):
			dst, has, bit = &req.IfModifiedSince, &req.HasIfModifiedSince, 16
		}
		if dst != nil {
			if seen&bit != 0 {
				return false, false // sent twice
			}
			seen |= bit
			*dst = view(value)
			if has != nil {
				*has = true
			}
		}
	}
	if hosts != 1 {
		return false, false
	}
	return closeAfter, true
}

// cutLine returns the line at the start of b without its CRLF, and the
// rest. b is a head checked by headEnd, so every line ends in CRLF.
func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil
	}
	return b[:i-1], b[i+1:]
}

func trimOWS(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// equalFold compares an ASCII header name or token with a lower-case one.
func equalFold(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// isToken reports whether c may appear in a header name (RFC 9110 tchar).
func isToken(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// validHost accepts a host name or IP literal with an optional port, in a
// narrower alphabet than net/http allows: the rest goes to net/http.
func validHost(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']', c == '_':
		default:
			return false
		}
	}
	return true
}

// view returns b as a string without copying; see Request.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
