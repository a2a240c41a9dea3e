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

-- Erasing a student also gives back their seats: each active booking is cancelled and its seat goes to the first
-- waiting booking (or is freed); waiting bookings are dropped. A teacher's office hours stop and their future slots
-- nobody booked are cancelled.
CREATE OR REPLACE FUNCTION forget_person(person bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b record;
    next_id bigint;
BEGIN
    FOR b IN
        SELECT bk.id, bk.slot_id, bk.status FROM consultation_bookings bk
        WHERE bk.student_id = person AND bk.status IN ('active', 'waiting')
        ORDER BY bk.slot_id
    LOOP
        PERFORM 1 FROM consultation_slots WHERE id = b.slot_id FOR UPDATE;
        UPDATE consultation_bookings SET status = 'cancelled', updated_at = now() WHERE id = b.id;
        IF b.status = 'active' THEN
            SELECT w.id INTO next_id FROM consultation_bookings w
            WHERE w.slot_id = b.slot_id AND w.status = 'waiting' ORDER BY w.created_at, w.id LIMIT 1 FOR UPDATE;
            IF next_id IS NULL THEN
                UPDATE consultation_slots SET booked = booked - 1 WHERE id = b.slot_id;
            ELSE
                UPDATE consultation_bookings SET status = 'active', activated_at = now(), updated_at = now() WHERE id = next_id;
            END IF;
        END IF;
    END LOOP;
    UPDATE office_hours SET active = false WHERE teacher_id = person AND active;
    UPDATE consultation_slots s SET status = 'cancelled', cancel_reason = 'forgotten'
    WHERE s.teacher_id = person AND s.status = 'open' AND s.starts_at > now()
      AND NOT EXISTS (SELECT 1 FROM consultation_bookings x WHERE x.slot_id = s.id AND x.status IN ('active', 'waiting'));

    UPDATE persons SET full_name = NULL, group_id = NULL, status = 'forgotten', dialog = '{}'::jsonb,
        under14 = false, confirmed_by_parent = false, forgotten_at = now(), updated_at = now()
    WHERE id = person;
    DELETE FROM outbox
    WHERE person_id = person OR (channel, chat_id) IN (SELECT channel, chat_id FROM accounts WHERE person_id = person);
    DELETE FROM web_messages WHERE user_key IN (SELECT chat_id FROM accounts WHERE person_id = person AND channel = 'web');
    DELETE FROM accounts WHERE person_id = person;
    DELETE FROM parent_links WHERE parent_id = person OR child_id = person;
    DELETE FROM one_time_codes WHERE owner_id = person;
END;
$$;
