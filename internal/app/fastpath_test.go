package app_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestFastPathAndNetHTTPShareAConnection: on one keep-alive connection a
// reader gets the public home page (the fast path), then a staff page, a
// form post with a body and the public page again (net/http, which owns
// the connection from the first request it was handed); every answer is
// in order, and /metrics counts the fast answers under the mux pattern.
func TestFastPathAndNetHTTPShareAConnection(t *testing.T) {
	a := boot(t)
	conn, err := net.Dial("tcp", a.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(conn)
	roundTrip := func(raw string) *http.Response {
		t.Helper()
		if _, err := io.WriteString(conn, raw); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		res.Body = io.NopCloser(strings.NewReader(string(body)))
		return res
	}
	get := func(path string) string {
		return "GET " + path + " HTTP/1.1\r\nHost: alerts.example.org\r\nAccept-Language: en\r\n\r\n"
	}

	first := roundTrip(get("/"))
	if first.StatusCode != http.StatusOK || first.Header.Get("Etag") == "" || first.Header.Get("Date") == "" {
		t.Fatalf("GET / on the fast path: %d %v", first.StatusCode, first.Header)
	}
	second := roundTrip(get("/feed.atom"))
	if second.StatusCode != http.StatusOK || !strings.Contains(second.Header.Get("Content-Type"), "atom") {
		t.Fatalf("GET /feed.atom: %d %v", second.StatusCode, second.Header)
	}
	login := roundTrip(get("/signin"))
	if login.StatusCode != http.StatusOK {
		t.Fatalf("GET /signin, handed to net/http: %d", login.StatusCode)
	}
	// A sign-in with a wrong password and its body: net/http must read
	// the body whole and answer on this same connection.
	form := "name=admin&password=wrong"
	post := roundTrip("POST /signin HTTP/1.1\r\nHost: alerts.example.org\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(form)) + "\r\n\r\n" + form)
	if post.StatusCode < 400 || post.StatusCode >= 500 {
		t.Fatalf("POST /signin with a bad password and no CSRF token: %d, want a 4xx", post.StatusCode)
	}
	again := roundTrip(get("/"))
	if again.StatusCode != http.StatusOK || again.Header.Get("Etag") != first.Header.Get("Etag") {
		t.Fatalf("GET / again, now through net/http: %d, ETag %q, want %q", again.StatusCode,
			again.Header.Get("Etag"), first.Header.Get("Etag"))
	}

	// Two fast answers (/ and /feed.atom) plus at least the one through
	// net/http for "/".
	res, err := http.Get("http://" + a.MetricsAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	metrics, _ := io.ReadAll(res.Body)
	count := func(route string) int {
		re := regexp.MustCompile(fmt.Sprintf(`crisisdesk_http_requests_total\{method="GET",route="%s",status="200"\} (\d+)`, regexp.QuoteMeta(route)))
		m := re.FindSubmatch(metrics)
		if m == nil {
			return 0
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	if n := count("GET /{$}"); n < 2 {
		t.Errorf("requests counted for GET /{$}: %d, want 2 or more", n)
	}
	if n := count("GET /feed.atom"); n < 1 {
		t.Errorf("requests counted for GET /feed.atom: %d, want 1 or more", n)
	}
}
