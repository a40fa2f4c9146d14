package app

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"

	"crisisdesk/internal/store"
)

// dbCollector exposes the database pools' statistics.
type dbCollector struct {
	st                               *store.Store
	open, inUse, idle, waits, waited *prometheus.Desc
}

func newDBCollector(st *store.Store) *dbCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("crisisdesk_db_"+name, help, []string{"pool"}, nil)
	}
	return &dbCollector{st: st,
		open:   d("open_connections", "Open connections."),
		inUse:  d("in_use_connections", "Connections in use."),
		idle:   d("idle_connections", "Idle connections."),
		waits:  d("wait_count_total", "Times a caller waited for a connection."),
		waited: d("wait_seconds_total", "Time spent waiting for a connection."),
	}
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.open, c.inUse, c.idle, c.waits, c.waited} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	emit := func(pool string, s sql.DBStats) {
		ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(s.OpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(c.inUse, prometheus.GaugeValue, float64(s.InUse), pool)
		ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.Idle), pool)
		ch <- prometheus.MustNewConstMetric(c.waits, prometheus.CounterValue, float64(s.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(c.waited, prometheus.CounterValue, s.WaitDuration.Seconds(), pool)
	}
	emit("writer", c.st.Stats())
	if c.st.Engine() == store.SQLite {
		emit("reader", c.st.ReaderStats())
	}
}
