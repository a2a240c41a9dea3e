-- Issue 7, reports: one row per month whose activity report the monthly job has produced. It is inserted in the same
-- transaction as the report's outbox rows, so a job that runs twice, or on two instances at once, sends it once.
CREATE TABLE monthly_reports (
    month       date PRIMARY KEY,
    recipients  integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    CONSTRAINT monthly_reports_first_day CHECK (extract(day FROM month) = 1)
);
