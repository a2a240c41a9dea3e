-- Issue 7, questions to teachers, fixes of the review.
--
-- Who may read the questions of a subject (be offered as the addressee, be told of and open an unassigned question, be
-- reminded of it): for an ordinary subject its active teachers and administrators of subject_teachers (assigned
-- subjects and timetable lessons); for a confidential subject (the psychologist's) only the explicit teacher_subjects
-- rows of active people of role teacher: neither a timetable lesson nor an administrator's own /directory entry makes
-- anybody a reader of confidential questions. Every query that decides who reads a question uses this view.
CREATE VIEW question_readers AS
    SELECT st.teacher_id, st.subject_id
    FROM subject_teachers st
    JOIN subjects s ON s.id = st.subject_id
    JOIN persons p ON p.id = st.teacher_id
    WHERE NOT s.confidential AND p.status = 'active' AND p.role IN ('teacher', 'admin')
    UNION ALL
    SELECT ts.teacher_id, ts.subject_id
    FROM teacher_subjects ts
    JOIN subjects s ON s.id = ts.subject_id
    JOIN persons p ON p.id = ts.teacher_id
    WHERE s.confidential AND p.status = 'active' AND p.role = 'teacher';

-- 0011's definition, plus: the forgotten teacher's open and answered questions become unassigned again.
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

    DELETE FROM question_messages WHERE question_id IN (SELECT id FROM questions WHERE asker_id = person);
    UPDATE questions SET status = 'closed', waiting_since = NULL, closed_at = now(), closed_by = person
    WHERE asker_id = person AND status <> 'closed';
    -- A forgotten teacher's questions that are not closed go back to every teacher of their subject.
    UPDATE questions SET teacher_id = NULL WHERE teacher_id = person AND status <> 'closed';

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
