-- Consultation reminders (issue 4): a booking is reminded only of moments it was already active at, so it needs to
-- know when it became active (booked, promoted from the waitlist, or moved here). The consultations migration may
-- add the same column; either way it exists once. Bookings without it count from when they were created.
ALTER TABLE consultation_bookings ADD COLUMN IF NOT EXISTS activated_at timestamptz;
