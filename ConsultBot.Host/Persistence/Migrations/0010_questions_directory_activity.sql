-- Issue 7, the shared part of the schema: deactivated people, the teacher directory, questions to teachers (the
-- school psychologist's confidential ones included) and per-person daily activity for the monthly report.
-- Later migrations of the same issue add what only one feature needs (reports, announcements).

-- An administrator may deactivate a person: data and accounts stay, the bot only says whom to contact, and the person
-- drops out of every list and every recipient set (all of which already ask for status = 'active').
ALTER TABLE persons DROP CONSTRAINT persons_status_check;
ALTER TABLE persons ADD CONSTRAINT persons_status_check CHECK (status IN ('registering', 'active', 'deactivated', 'forgotten'));

-- Methodological associations (методические объединения) that teachers belong to.
CREATE TABLE associations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT associations_name CHECK (length(name) BETWEEN 2 AND 100)
);
CREATE UNIQUE INDEX associations_name_unique ON associations (lower(name));

-- Questions to a teacher of a confidential subject (psychology) are read by that teacher only.
ALTER TABLE subjects ADD COLUMN confidential boolean NOT NULL DEFAULT false;

-- What the directory shows of a teacher beyond the name: the association and a free note on office hours.
CREATE TABLE teacher_profiles (
    person_id          bigint PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    association_id     bigint REFERENCES associations (id) ON DELETE SET NULL,
    office_hours_note  text,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT teacher_profiles_note CHECK (office_hours_note IS NULL OR length(office_hours_note) <= 300)
);

-- Subjects an administrator assigned to a teacher.
CREATE TABLE teacher_subjects (
    teacher_id  bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    subject_id  bigint NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    PRIMARY KEY (teacher_id, subject_id)
);
CREATE INDEX teacher_subjects_subject ON teacher_subjects (subject_id);

-- Who teaches what: assigned subjects, and the subjects of the teacher's lessons in the timetable. Questions to
-- "any teacher of this subject" and the directory both read this; callers filter on the person's status and role.
CREATE VIEW subject_teachers AS
    SELECT teacher_id, subject_id FROM teacher_subjects
    UNION
    SELECT DISTINCT teacher_id, subject_id FROM lessons WHERE teacher_id IS NOT NULL;

-- People the school names as responsible (the deputy head for consultations, the psychologist…), with how to reach them.
CREATE TABLE school_contacts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    duty          text NOT NULL,
    name          text NOT NULL,
    how_to_reach  text,
    person_id     bigint REFERENCES persons (id) ON DELETE SET NULL,
    position      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT school_contacts_duty CHECK (length(duty) BETWEEN 1 AND 100),
    CONSTRAINT school_contacts_name CHECK (length(name) BETWEEN 1 AND 100),
    CONSTRAINT school_contacts_reach CHECK (how_to_reach IS NULL OR length(how_to_reach) <= 300)
);

-- A question (a deferred consultation) and its thread. teacher_id is null while it is addressed to any teacher of the
-- subject: the first teacher who answers takes it. status: open (waiting for the teacher) | answered (the teacher
-- spoke last) | closed. waiting_since is the asker's oldest message the teacher has not answered yet.
CREATE TABLE questions (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asker_id           bigint NOT NULL REFERENCES persons (id),
    subject_id         bigint NOT NULL REFERENCES subjects (id),
    teacher_id         bigint REFERENCES persons (id),
    confidential       boolean NOT NULL DEFAULT false,
    anonymous          boolean NOT NULL DEFAULT false,
    status             text NOT NULL DEFAULT 'open',
    is_topic           boolean NOT NULL DEFAULT false,
    topic_slot_id      bigint REFERENCES consultation_slots (id),
    waiting_since      timestamptz,
    first_answered_at  timestamptz,
    answered_by        bigint REFERENCES persons (id),
    closed_at          timestamptz,
    closed_by          bigint REFERENCES persons (id),
    created_at         timestamptz NOT NULL,
    CONSTRAINT questions_status CHECK (status IN ('open', 'answered', 'closed')),
    CONSTRAINT questions_anonymous CHECK (NOT anonymous OR confidential),
    CONSTRAINT questions_waiting CHECK ((status = 'open') = (waiting_since IS NOT NULL))
);
CREATE INDEX questions_asker ON questions (asker_id, created_at DESC);
CREATE INDEX questions_inbox ON questions (teacher_id, waiting_since) WHERE status = 'open';
CREATE INDEX questions_unassigned ON questions (subject_id, waiting_since) WHERE status = 'open' AND teacher_id IS NULL;
CREATE INDEX questions_created ON questions (created_at);

CREATE TABLE question_messages (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id  bigint NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    author_id    bigint REFERENCES persons (id),
    from_asker   boolean NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT question_messages_body CHECK (length(body) BETWEEN 1 AND 2000)
);
CREATE INDEX question_messages_thread ON question_messages (question_id, id);

-- Messages (texts and button presses) a registered person sent the bot, per school-local day: "days active" and
-- "messages" of the monthly report. One upsert per update, in the update's transaction.
CREATE TABLE person_activity (
    person_id  bigint NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    day        date NOT NULL,
    messages   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, day)
);
CREATE INDEX person_activity_day ON person_activity (day);
