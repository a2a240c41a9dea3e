-- Counting recent events about one person (e.g. wrong one-time codes, to stop guessing).
CREATE INDEX audit_log_subject ON audit_log (subject_id, action, at);
