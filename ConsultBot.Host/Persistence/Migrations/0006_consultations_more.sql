-- Consultations, continued: per-teacher workload caps, weekly office hours that generate slots, and when a booking
-- got its seat (reminders are planned from it).
CREATE TABLE teacher_settings (
    person_id         bigint PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    weekly_cap_hours  numeric,
    CONSTRAINT teacher_settings_cap CHECK (weekly_cap_hours >= 0)
);

-- day_of_week is .NET's DayOfWeek: Sunday = 0 … Saturday = 6; times are the school's local wall clock.
CREATE TABLE office_hours (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    teacher_id    bigint NOT NULL REFERENCES persons (id),
    subject_id    bigint REFERENCES subjects (id),
    day_of_week   smallint NOT NULL,
    from_time     time NOT NULL,
    to_time       time NOT NULL,
    slot_minutes  integer NOT NULL,
    link          text,
    room          text,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT office_hours_day CHECK (day_of_week BETWEEN 0 AND 6),
    CONSTRAINT office_hours_time CHECK (to_time > from_time),
    CONSTRAINT office_hours_slot CHECK (slot_minutes > 0)
);
CREATE INDEX office_hours_teacher ON office_hours (teacher_id) WHERE active;

-- A generated slot remembers its template; one slot per template and start makes generation idempotent.
ALTER TABLE consultation_slots ADD COLUMN template_id bigint REFERENCES office_hours (id);
CREATE UNIQUE INDEX consultation_slots_template_start ON consultation_slots (template_id, starts_at) WHERE template_id IS NOT NULL;

ALTER TABLE consultation_bookings ADD COLUMN activated_at timestamptz;
-- Bookings active before this migration got their seat at the latest at their last change.
UPDATE consultation_bookings SET activated_at = updated_at WHERE status = 'active';
