-- Issue 8: the coach sweeper looks for accepted submissions without a
-- report (an analysis whose worker died on its last delivery). Only
-- accepted results are analysed, so the index holds those alone.

CREATE INDEX submission_results_accepted ON submission_results (finished_at) WHERE verdict = 'AC';
