-- Consultations (issue 4): subjects, slots a teacher publishes, bookings and the waitlist.
-- The database itself refuses overlapping slots of one teacher and overbooked slots.
CREATE TABLE subjects (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX subjects_name ON subjects (lower(name));

CREATE TABLE consultation_slots (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    teacher_id        bigint NOT NULL REFERENCES persons (id),
    subject_id        bigint REFERENCES subjects (id),
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    kind              text NOT NULL,
    capacity          integer NOT NULL,
    booked            integer NOT NULL DEFAULT 0,
    purpose           text NOT NULL,
    topic_title       text,
    attestation_prep  boolean NOT NULL DEFAULT false,
    link              text,
    room              text,
    note              text,
    status            text NOT NULL DEFAULT 'open',
    cancel_reason     text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT consultation_slots_kind CHECK (kind IN ('individual', 'group')),
    CONSTRAINT consultation_slots_purpose CHECK (purpose IN ('review', 'topic')),
    CONSTRAINT consultation_slots_status CHECK (status IN ('open', 'cancelled')),
    CONSTRAINT consultation_slots_time CHECK (ends_at > starts_at),
    CONSTRAINT consultation_slots_capacity CHECK (capacity BETWEEN 1 AND 1000 AND (kind = 'group' OR capacity = 1)),
    CONSTRAINT consultation_slots_seats CHECK (booked BETWEEN 0 AND capacity),
    CONSTRAINT consultation_slots_no_overlap EXCLUDE USING gist (teacher_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status = 'open')
);
CREATE INDEX consultation_slots_open_by_start ON consultation_slots (starts_at) WHERE status = 'open';

-- status: active (has a seat) | waiting (waitlist, first come first served) | cancelled.
CREATE TABLE consultation_bookings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slot_id     bigint NOT NULL REFERENCES consultation_slots (id),
    student_id  bigint NOT NULL REFERENCES persons (id),
    booked_by   bigint NOT NULL REFERENCES persons (id),
    status      text NOT NULL,
    topic       text,
    attendance  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT consultation_bookings_status CHECK (status IN ('active', 'waiting', 'cancelled')),
    CONSTRAINT consultation_bookings_attendance CHECK (attendance IS NULL OR attendance IN ('present', 'absent', 'late'))
);
CREATE UNIQUE INDEX consultation_bookings_once ON consultation_bookings (slot_id, student_id) WHERE status IN ('active', 'waiting');
CREATE INDEX consultation_bookings_student ON consultation_bookings (student_id) WHERE status IN ('active', 'waiting');
