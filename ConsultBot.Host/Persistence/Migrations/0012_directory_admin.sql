-- Issue 7, administration: teacher invites an administrator can list and re-issue. Codes are stored hashed with the
-- hash as the key, which is too long for a button; an id names an invite in the chat. A revoked invite keeps its row
-- (the list shows it) and its expiry is moved to the moment of revocation, so redeeming it fails like an expired one.
ALTER TABLE one_time_codes ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX one_time_codes_id ON one_time_codes (id);
ALTER TABLE one_time_codes ADD COLUMN revoked_at timestamptz;
CREATE INDEX one_time_codes_invites ON one_time_codes (created_at DESC) WHERE kind = 'teacher-invite';

-- The audit log is read newest first by kind of action.
CREATE INDEX audit_log_action_at ON audit_log (action, at DESC);
