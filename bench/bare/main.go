// Command bare serves one file at "/" with nothing but net/http, the way
// the public site could: -mode mem writes the bytes from memory (what
// internal/public does), -mode sendfile opens the file per request and
// hands it to the kernel (io.Copy to the ResponseWriter uses sendfile).
// -mode fast answers from memory through internal/fastpath, the
// connection front crisisdesk serves its public site with.
// bench/sendfile.sh runs all three against nginx, to show which design a
// pre-rendered page should be served with; -timeouts sets the server
// timeouts crisisdesk sets, to show what they cost.
//
//	go run ./bench/bare -file page.html -mode sendfile -addr 127.0.0.1:18490
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"crisisdesk/internal/fastpath"
)

func main() {
	file := flag.String("file", "", "the file to serve (required)")
	mode := flag.String("mode", "mem", "mem or sendfile")
	addr := flag.String("addr", "127.0.0.1:18490", "loopback address to listen on")
	timeouts := flag.Bool("timeouts", true, "set crisisdesk's server timeouts")
	flag.Parse()
	if err := run(*file, *mode, *addr, *timeouts); err != nil {
		log.Fatal(err)
	}
}

func run(file, mode, addr string, timeouts bool) error {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: want a loopback address", addr)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	// Header values ready, as internal/public keeps them.
	header := map[string][]string{
		"Content-Type":   {"text/html; charset=utf-8"},
		"Content-Length": {strconv.Itoa(len(body))},
		"Etag":           {`"bench"`},
		"Cache-Control":  {"public, max-age=30, stale-while-revalidate=60"},
		"Vary":           {"Accept-Encoding"},
	}
	var serve func(w http.ResponseWriter)
	switch mode {
	case "mem":
		serve = func(w http.ResponseWriter) { w.Write(body) }
	case "fast":
		serve = func(w http.ResponseWriter) { w.Write(body) }
	case "sendfile":
		serve = func(w http.ResponseWriter) {
			f, err := os.Open(file)
			if err != nil {
				return
			}
			defer f.Close()
			io.Copy(w, f)
		}
	default:
		return errors.New("-mode must be mem, fast or sendfile")
	}
	srv := &http.Server{Addr: addr, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range header {
			h[k] = v
		}
		serve(w)
	})}
	if timeouts {
		srv.ReadHeaderTimeout, srv.ReadTimeout = 10*time.Second, 30*time.Second
		srv.WriteTimeout, srv.IdleTimeout = 60*time.Second, 120*time.Second
	}
	if mode != "fast" {
		return srv.ListenAndServe()
	}
	var lines []byte
	for _, k := range []string{"Cache-Control", "Content-Length", "Content-Type", "Etag", "Vary"} {
		lines = fmt.Appendf(lines, "%s: %s\r\n", k, header[k][0])
	}
	front := fastpath.New(srv, fastpath.Options{Respond: func(req *fastpath.Request, resp *fastpath.Response) bool {
		if req.Path != "/" {
			return false
		}
		resp.Status, resp.Body, resp.Route = http.StatusOK, body, "/"
		resp.Header = append(resp.Header, lines...)
		return true
	}})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return front.Serve(ln)
}
