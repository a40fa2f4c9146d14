package delivery_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	"crisisdesk/internal/channel/channeltest"
)

// received is an e-mail as its reader sees it: headers, subject and the
// decoded text and HTML parts.
type received struct {
	header     mail.Header
	subject    string
	text, html string
}

func readMail(t *testing.T, m channeltest.Mail) received {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	r := received{header: msg.Header}
	if r.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("content type: %v", err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		body, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		switch ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); {
		case strings.HasPrefix(ct, "text/plain"):
			r.text = string(body)
		case strings.HasPrefix(ct, "text/html"):
			r.html = string(body)
		}
	}
	return r
}
