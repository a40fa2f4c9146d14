package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"crisisdesk/internal/audit"
	"crisisdesk/internal/store"
)

// AuditVerifyArgs asks for a walk of the whole audit chain. It runs
// nightly, and on demand.
type AuditVerifyArgs struct{}

// Kind names the job.
func (AuditVerifyArgs) Kind() string { return "audit_verify" }

// AuditVerifyWorker verifies the audit chain and reports a break loudly:
// an error log naming the first bad row and the crisisdesk_audit_chain_intact
// gauge at 0.
type AuditVerifyWorker struct {
	river.WorkerDefaults[AuditVerifyArgs]
	Audit   audit.Service
	Logger  *slog.Logger
	Metrics *Metrics
}

// Work runs the check.
func (w *AuditVerifyWorker) Work(ctx context.Context, job *river.Job[AuditVerifyArgs]) error {
	n, err := w.Audit.Verify(ctx)
	var p *audit.Problem
	switch {
	case errors.As(err, &p):
		w.Logger.Error("audit chain is broken", "row", p.Seq, "reason", p.Reason, "checked", n)
		w.Metrics.setChain(false)
		return nil // the finding is the result; retrying will not mend it
	case err != nil:
		return fmt.Errorf("verify audit chain: %w", err)
	}
	w.Logger.Info("audit chain intact", "rows", n)
	w.Metrics.setChain(true)
	return nil
}

// PurgeArgs asks for ended sessions and old sign-in failures to be deleted.
type PurgeArgs struct{}

// Kind names the job.
func (PurgeArgs) Kind() string { return "purge_expired" }

// PurgeWorker deletes ended sessions and old sign-in failures.
type PurgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	Store  *store.Store
	Logger *slog.Logger
}

// Work runs the purge.
func (w *PurgeWorker) Work(ctx context.Context, job *river.Job[PurgeArgs]) error {
	n, err := w.Store.PurgeExpired(ctx)
	if err != nil {
		return err
	}
	w.Logger.Debug("purged expired sessions and sign-in failures", "rows", n)
	return nil
}
