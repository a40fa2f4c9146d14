-- The plan's clocks count from the crisis occurring (else its detection),
-- and each clock says which moment it counts from; a task clock and its
-- alerts name the task by its title; a task may complete itself on an
-- event of the crisis (plan.Step.CompletesOn).
ALTER TABLE crises ADD COLUMN occurred_known BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE crisis_clocks ADD COLUMN basis TEXT NOT NULL DEFAULT '';
ALTER TABLE crisis_clocks ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE clock_alerts ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE crisis_tasks ADD COLUMN completes_on TEXT NOT NULL DEFAULT '';

-- What the clocks recorded so far counted from.
UPDATE crisis_clocks SET basis = 'detected' WHERE kind = 'activation';
UPDATE crisis_clocks SET basis = 'declared' WHERE kind = 'first_notice';
UPDATE crisis_clocks SET basis = 'activated' WHERE kind = 'task';
UPDATE crisis_clocks SET basis = 'last_update' WHERE kind = 'cadence';
UPDATE crisis_clocks SET subject = COALESCE((SELECT t.title FROM crisis_tasks t WHERE t.id = CAST(crisis_clocks.ref AS INTEGER)), '')
    WHERE kind = 'task';
UPDATE clock_alerts SET subject = COALESCE((SELECT k.subject FROM crisis_clocks k
    WHERE k.crisis_id = clock_alerts.crisis_id AND k.name = clock_alerts.clock_name), '');
