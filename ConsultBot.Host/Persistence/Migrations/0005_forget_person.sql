-- Erasing a person's personal data, in one place: /forget and the clean-up of unconfirmed under-14 students.
-- The row stays as an anonymous id (bookings and reports keep their shape); accounts, links, codes and every
-- message to or about the person in the outbox and the playground go.
CREATE FUNCTION forget_person(person bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE persons SET full_name = NULL, group_id = NULL, status = 'forgotten', dialog = '{}'::jsonb,
        under14 = false, confirmed_by_parent = false, forgotten_at = now(), updated_at = now()
    WHERE id = person;
    DELETE FROM outbox
    WHERE person_id = person OR (channel, chat_id) IN (SELECT channel, chat_id FROM accounts WHERE person_id = person);
    DELETE FROM web_messages WHERE user_key IN (SELECT chat_id FROM accounts WHERE person_id = person AND channel = 'web');
    DELETE FROM accounts WHERE person_id = person;
    DELETE FROM parent_links WHERE parent_id = person OR child_id = person;
    DELETE FROM one_time_codes WHERE owner_id = person;
$$;
