package server

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics counts requests by route pattern (never by raw path, which
// would let anyone grow the label set) and status.
//
// Every request passes through here, the public site's surges too, so the
// labelled series are looked up once and kept: a request then costs two
// map reads under a read lock, and allocates nothing.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	mu        sync.RWMutex
	counters  map[requestKey]prometheus.Counter
	durations map[string]prometheus.Observer
	writers   sync.Pool // *statusWriter
}

type requestKey struct {
	route, method string
	status        int
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "crisisdesk_http_request_duration_seconds", Help: "HTTP request duration by route pattern.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	m.counters = map[requestKey]prometheus.Counter{}
	m.durations = map[string]prometheus.Observer{}
	m.writers.New = func() any { return new(statusWriter) }
	return m
}

// methodLabel bounds the method label: a client may send any token.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// series returns the counter and the duration histogram of one request's
// labels. Routes are patterns and statuses few, so the maps stay small.
func (m *httpMetrics) series(route, method string, status int) (prometheus.Counter, prometheus.Observer) {
	k := requestKey{route, methodLabel(method), status}
	m.mu.RLock()
	c, ok := m.counters[k]
	d, dok := m.durations[route]
	m.mu.RUnlock()
	if ok && dok {
		return c, d
	}
	c = m.requests.WithLabelValues(k.route, k.method, strconv.Itoa(status))
	d = m.duration.WithLabelValues(route)
	m.mu.Lock()
	m.counters[k] = c
	m.durations[route] = d
	m.mu.Unlock()
	return c, d
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (m *httpMetrics) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		// A handler must not use its ResponseWriter once it has returned,
		// so the wrapper can serve the next request.
		sw := m.writers.Get().(*statusWriter)
		*sw = statusWriter{ResponseWriter: w}
		defer func() {
			*sw = statusWriter{}
			m.writers.Put(sw)
		}()
		next.ServeHTTP(sw, r)
		route := r.Pattern // set by the ServeMux on this request
		if route == "" {
			route = "unmatched"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		c, d := m.series(route, r.Method, sw.status)
		c.Inc()
		d.Observe(time.Since(start).Seconds())
	})
}
