-- Timetable, daily lesson reminders and materials (issue 5).

-- Days without lessons (holidays, vacations): weekly lessons are not placed on them.
CREATE TABLE holidays (
    day   date PRIMARY KEY,
    name  text NOT NULL DEFAULT ''
);

-- One lesson of a group on one day. origin_starts_at is where the timetable put it: the natural key an import
-- upserts by, kept when a lesson is moved by hand so a re-import does not undo the move.
-- source: weekly (from a weekly row of the timetable) | once (a dated row) | manual (added in the chat).
CREATE TABLE lessons (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id          bigint NOT NULL REFERENCES school_groups (id),
    day               date NOT NULL,
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    origin_starts_at  timestamptz NOT NULL,
    subject_id        bigint NOT NULL REFERENCES subjects (id),
    teacher_id        bigint REFERENCES persons (id),
    substitute_id     bigint REFERENCES persons (id),
    room              text,
    link              text,
    status            text NOT NULL DEFAULT 'planned',
    source            text NOT NULL DEFAULT 'weekly',
    changed_by_hand   boolean NOT NULL DEFAULT false,
    change_note       text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lessons_status CHECK (status IN ('planned', 'cancelled')),
    CONSTRAINT lessons_source CHECK (source IN ('weekly', 'once', 'manual')),
    CONSTRAINT lessons_time CHECK (ends_at > starts_at),
    CONSTRAINT lessons_link CHECK (link IS NULL OR (link ~ '^https?://' AND length(link) <= 2048)),
    CONSTRAINT lessons_no_overlap EXCLUDE USING gist (group_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
        WHERE (status = 'planned')
);
CREATE UNIQUE INDEX lessons_natural ON lessons (group_id, origin_starts_at);
CREATE INDEX lessons_by_day ON lessons (day, group_id) WHERE status = 'planned';
CREATE INDEX lessons_by_teacher ON lessons (teacher_id, day);

-- Daily reminders: on by default at the school's time; a person may turn them off, pick another local time,
-- or get them the evening before.
CREATE TABLE reminder_settings (
    person_id       bigint PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    enabled         boolean NOT NULL DEFAULT true,
    send_at         time,
    evening_before  boolean NOT NULL DEFAULT false,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A parent chooses, per linked child, whether to get that child's daily reminders, alerts and materials.
ALTER TABLE parent_links ADD COLUMN follows boolean NOT NULL DEFAULT true;

-- Materials, assignments and information sources a teacher posts for a subject and groups.
CREATE TABLE materials (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    teacher_id   bigint REFERENCES persons (id),
    subject_id   bigint NOT NULL REFERENCES subjects (id),
    kind         text NOT NULL,
    title        text NOT NULL,
    url          text NOT NULL,
    description  text,
    due_on       date,
    lesson_on    date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT materials_kind CHECK (kind IN ('material', 'assignment', 'source')),
    CONSTRAINT materials_title CHECK (length(title) BETWEEN 1 AND 200),
    CONSTRAINT materials_url CHECK (url ~ '^https?://' AND length(url) <= 2048),
    CONSTRAINT materials_description CHECK (description IS NULL OR length(description) <= 1000)
);
CREATE INDEX materials_by_subject ON materials (subject_id, created_at DESC);

CREATE TABLE material_groups (
    material_id  bigint NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
    group_id     bigint NOT NULL REFERENCES school_groups (id),
    PRIMARY KEY (material_id, group_id)
);
CREATE INDEX material_groups_by_group ON material_groups (group_id, material_id);
