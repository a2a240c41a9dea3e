-- Issue 7, questions to teachers: the per-person rate limit counts one's recent thread messages, and /forget erases the
-- texts of the questions a person asked (their personal data) while the question rows stay, closed, for the counts.

CREATE INDEX question_messages_author ON question_messages (author_id, created_at) WHERE author_id IS NOT NULL;
CREATE INDEX questions_topics ON questions (subject_id) WHERE is_topic AND topic_slot_id IS NULL AND status <> 'closed';

-- 0006's definition, plus the questions: the person's threads lose their texts and close.
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
