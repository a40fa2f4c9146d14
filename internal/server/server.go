// Package server owns crisisdesk's http.Server: the root mux with the
// operational endpoints (/healthz, /readyz, and /metrics on a listener of
// its own or behind a token), the middleware every
// request passes through (panic recovery, request metrics), all server
// timeouts, graceful shutdown, and the optional fast path in front of it
// for the public site's cached documents (package fastpath).
package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"crisisdesk/internal/fastpath"
)

// Checker reports whether the service can do its work; /readyz calls it.
type Checker func(ctx context.Context) error

// Options configure the server.
type Options struct {
	Addr     string
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Ready    Checker
	// TrustedProxies are the reverse proxies or CDN nodes whose
	// X-Forwarded-For names the client (realip.go); nil trusts none.
	TrustedProxies []netip.Prefix
	// MetricsAddr serves /metrics on a listener of its own, such as
	// 127.0.0.1:9090, and not on Addr.
	MetricsAddr string
	// MetricsToken makes /metrics require "Authorization: Bearer TOKEN".
	// Without MetricsAddr it serves /metrics on Addr; with neither,
	// /metrics is served nowhere: the figures (routes, job queue, audit
	// chain health, pool sizes) are not for the public.
	MetricsToken string
}

// Server is the HTTP server.
type Server struct {
	Mux     *http.ServeMux
	srv     *http.Server
	ln      net.Listener
	log     *slog.Logger
	metrics *httpMetrics
	front   *fastpath.Front // nil: net/http accepts every connection
	// metricsSrv serves /metrics alone on Options.MetricsAddr; nil when
	// it is not set.
	metricsSrv *http.Server
	metricsLn  net.Listener
}

// New builds the server and its root mux with the operational endpoints.
// Surfaces register their routes on Mux before Start.
func New(opts Options) *Server {
	s := &Server{Mux: http.NewServeMux(), log: opts.Logger, metrics: newHTTPMetrics(opts.Registry)}
	s.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintln(w, "ok")
	})
	s.Mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := opts.Ready(ctx); err != nil {
			s.log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready:", err)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	metrics := requireToken(opts.MetricsToken,
		promhttp.HandlerFor(opts.Registry, promhttp.HandlerOpts{Registry: opts.Registry}))
	switch {
	case opts.MetricsAddr != "":
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics)
		s.metricsSrv = &http.Server{
			Addr:              opts.MetricsAddr,
			Handler:           s.recover(mux),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
		}
	case opts.MetricsToken != "":
		s.Mux.Handle("GET /metrics", metrics)
	}
	// realIP goes first, so that metrics, recover and handlers all see the
	// client behind a trusted proxy.
	handler := realIP(opts.TrustedProxies, s.metrics.wrap(s.recover(s.Mux)))
	s.srv = &http.Server{
		Addr:              opts.Addr,
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

// Listen binds the address. A port in use is reported here, before
// anything starts.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.srv.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.srv.Addr, errors.Unwrap(err))
	}
	s.ln = ln
	if s.metricsSrv != nil {
		mln, err := net.Listen("tcp", s.metricsSrv.Addr)
		if err != nil {
			ln.Close()
			s.ln = nil
			return fmt.Errorf("listen for /metrics on %s: %w", s.metricsSrv.Addr, errors.Unwrap(err))
		}
		s.metricsLn = mln
	}
	return nil
}

// MetricsAddr returns the bound address of the /metrics listener, after
// Listen; empty when /metrics has no listener of its own.
func (s *Server) MetricsAddr() string {
	if s.metricsLn == nil {
		return ""
	}
	return s.metricsLn.Addr().String()
}

// requireToken lets through only requests that carry the bearer token;
// an empty token lets everyone through.
func requireToken(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "unauthorized: /metrics requires its bearer token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Addr returns the bound address, after Listen.
func (s *Server) Addr() string {
	if s.ln == nil {
		return s.srv.Addr
	}
	return s.ln.Addr().String()
}

// FastPath puts a fastpath.Front before net/http: respond answers what it
// can straight off the connection (counted in the same request metrics),
// and net/http serves the rest. Call it before Serve.
func (s *Server) FastPath(respond fastpath.Responder) {
	s.front = fastpath.New(s.srv, fastpath.Options{
		Respond: respond,
		Logger:  s.log,
		Observe: func(route, method string, status int, took time.Duration) {
			c, d := s.metrics.series(route, method, status)
			c.Inc()
			d.Observe(took.Seconds())
		},
	})
}

// Serve serves until Shutdown; it returns nil after a clean shutdown.
func (s *Server) Serve() error {
	if s.metricsSrv != nil {
		go func() {
			if err := s.metricsSrv.Serve(s.metricsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("metrics listener stopped", "addr", s.MetricsAddr(), "err", err)
			}
		}()
	}
	if s.front != nil {
		return s.front.Serve(s.ln)
	}
	if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// CloseListener releases the bound address if Serve never took it over;
// after Serve, Shutdown does that.
func (s *Server) CloseListener() error {
	var errs []error
	for _, ln := range []net.Listener{s.ln, s.metricsLn} {
		if ln == nil {
			continue
		}
		if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// OnShutdown runs f when Shutdown begins, for handlers that hold
// connections open (event streams) and must let go for the drain to end.
func (s *Server) OnShutdown(f func()) { s.srv.RegisterOnShutdown(f) }

// Shutdown stops accepting connections and waits for requests in flight
// until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	var metricsErr error
	if s.metricsSrv != nil {
		metricsErr = s.metricsSrv.Shutdown(ctx)
	}
	var err error
	if s.front != nil {
		err = s.front.Shutdown(ctx)
	} else {
		err = s.srv.Shutdown(ctx)
	}
	return errors.Join(err, metricsErr)
}

// recover turns a panic in a handler into a logged 500, never a dropped
// connection with a stack trace to the client.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Handler returns the full handler chain, for tests that need no listener.
func (s *Server) Handler() http.Handler { return s.srv.Handler }
