package jobs

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"crisisdesk/internal/store"
)

// Metrics counts worked jobs and exposes the job queue and the audit
// chain's health to Prometheus.
type Metrics struct {
	river.MiddlewareDefaults
	worked *prometheus.CounterVec
	chain  prometheus.Gauge
	queue  *queueCollector
}

// NewMetrics registers the job metrics on reg.
func NewMetrics(reg prometheus.Registerer, st *store.Store) *Metrics {
	m := &Metrics{
		worked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisdesk_jobs_worked_total", Help: "Jobs worked, by kind and outcome (ok or error).",
		}, []string{"kind", "outcome"}),
		chain: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "crisisdesk_audit_chain_intact", Help: "1 when the last audit chain check found it intact, 0 when broken.",
		}),
		queue: &queueCollector{st: st, desc: prometheus.NewDesc("crisisdesk_jobs",
			"Jobs in the queue by state.", []string{"state"}, nil)},
	}
	m.chain.Set(1)
	reg.MustRegister(m.worked, m.chain, m.queue)
	return m
}

// Work counts each job's outcome.
func (m *Metrics) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	err := doInner(ctx)
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.worked.WithLabelValues(job.Kind, outcome).Inc()
	return err
}

func (m *Metrics) setChain(ok bool) {
	if m == nil {
		return
	}
	if ok {
		m.chain.Set(1)
	} else {
		m.chain.Set(0)
	}
}

// queueCollector reads the job counts at scrape time.
type queueCollector struct {
	st   *store.Store
	desc *prometheus.Desc
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.st.JobCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for state, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), state)
	}
}

// ChainGauge returns the audit-chain gauge, for tests.
func (m *Metrics) ChainGauge() prometheus.Gauge { return m.chain }
