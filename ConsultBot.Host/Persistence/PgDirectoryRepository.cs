using System.Security.Cryptography;
using System.Text;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// The teacher directory, its maintenance and the administrators' view of people, invites and the audit log, inside
/// the caller's transaction. The public directory is one statement (subjects, office hours and the next bookable
/// consultation as sub-selects per teacher); it lists only active people, and administrators only when they teach.
/// </summary>
public sealed class PgDirectoryRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IDirectoryRepository
{
    private const string TeachersSql =
        """
        WITH staff AS (
            SELECT p.id, coalesce(p.full_name, '') AS name FROM persons p
            WHERE p.status = 'active' AND (p.role = 'teacher' OR (p.role = 'admin' AND (
                EXISTS (SELECT 1 FROM subject_teachers x WHERE x.teacher_id = p.id)
                OR EXISTS (SELECT 1 FROM consultation_slots s WHERE s.teacher_id = p.id))))
        )
        SELECT st.id, st.name, a.name,
            array(SELECT s.name FROM subject_teachers x JOIN subjects s ON s.id = x.subject_id WHERE x.teacher_id = st.id
                  ORDER BY s.name COLLATE "C"),
            array(SELECT oh.day_of_week FROM office_hours oh WHERE oh.teacher_id = st.id AND oh.active
                  ORDER BY (oh.day_of_week + 6) % 7, oh.from_time, oh.id),
            array(SELECT oh.from_time FROM office_hours oh WHERE oh.teacher_id = st.id AND oh.active
                  ORDER BY (oh.day_of_week + 6) % 7, oh.from_time, oh.id),
            array(SELECT oh.to_time FROM office_hours oh WHERE oh.teacher_id = st.id AND oh.active
                  ORDER BY (oh.day_of_week + 6) % 7, oh.from_time, oh.id),
            tp.office_hours_note, nxt.id IS NOT NULL, nxt.subject_id
        FROM staff st
        LEFT JOIN teacher_profiles tp ON tp.person_id = st.id
        LEFT JOIN associations a ON a.id = tp.association_id
        LEFT JOIN LATERAL (
            SELECT s.id, s.subject_id FROM consultation_slots s
            WHERE s.teacher_id = st.id AND s.status = 'open' AND s.starts_at > @after
            ORDER BY s.starts_at LIMIT 1
        ) nxt ON true
        ORDER BY a.name IS NULL, a.name COLLATE "C", st.name COLLATE "C", st.id
        """;

    public async Task<IReadOnlyList<DirectoryTeacher>> TeachersAsync(DateTimeOffset bookableAfter, CancellationToken cancellationToken)
    {
        await using var command = Command(TeachersSql);
        command.Parameters.AddWithValue("after", bookableAfter);
        var list = new List<DirectoryTeacher>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var days = reader.GetFieldValue<short[]>(4);
            var from = reader.GetFieldValue<TimeOnly[]>(5);
            var to = reader.GetFieldValue<TimeOnly[]>(6);
            list.Add(new DirectoryTeacher(
                new PersonId(reader.GetInt64(0)),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                days.Select((d, i) => new OfficeHoursWindow((DayOfWeek)d, from[i], to[i])).ToList(),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9)));
        }
        return list;
    }

    public async Task<IReadOnlyList<SchoolContact>> ContactsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, duty, name, how_to_reach, position FROM school_contacts ORDER BY position, id");
        var list = new List<SchoolContact>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadContact(reader));
        }
        return list;
    }

    public async Task<IReadOnlyList<DirectorySubject>> SubjectsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, name, confidential FROM subjects ORDER BY name COLLATE \"C\", id");
        var list = new List<DirectorySubject>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new DirectorySubject(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2)));
        }
        return list;
    }

    public async Task<DirectorySubject?> GetSubjectAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, name, confidential FROM subjects WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new DirectorySubject(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2)) : null;
    }

    public async Task<long?> AddSubjectAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = Command("INSERT INTO subjects (name) VALUES (@name) ON CONFLICT (lower(name)) DO NOTHING RETURNING id");
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    public Task<bool> RenameSubjectAsync(long id, string name, CancellationToken cancellationToken) => RenameAsync("subjects", id, name, cancellationToken);

    public async Task<bool> SetConfidentialAsync(long id, bool confidential, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE subjects SET confidential = @confidential WHERE id = @id AND confidential <> @confidential");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("confidential", confidential);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<Association>> AssociationsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT a.id, a.name, (SELECT count(*)::int FROM teacher_profiles tp JOIN persons p ON p.id = tp.person_id
                                  WHERE tp.association_id = a.id AND p.status = 'active')
            FROM associations a ORDER BY a.name COLLATE "C", a.id
            """);
        var list = new List<Association>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new Association(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        }
        return list;
    }

    public async Task<Association?> GetAssociationAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT a.id, a.name, (SELECT count(*)::int FROM teacher_profiles tp JOIN persons p ON p.id = tp.person_id
                                  WHERE tp.association_id = a.id AND p.status = 'active')
            FROM associations a WHERE a.id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Association(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)) : null;
    }

    public async Task<long?> AddAssociationAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = Command("INSERT INTO associations (name) VALUES (@name) ON CONFLICT (lower(name)) DO NOTHING RETURNING id");
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(cancellationToken) as long?;
    }

    public Task<bool> RenameAssociationAsync(long id, string name, CancellationToken cancellationToken) =>
        RenameAsync("associations", id, name, cancellationToken);

    public async Task<bool> DeleteAssociationAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM associations WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<Page<PersonSummary>> StaffAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT p.id, coalesce(p.full_name, ''), p.role, p.status, NULL::text, count(*) OVER ()::int
            FROM persons p WHERE p.status = 'active' AND p.role IN ('teacher', 'admin')
            ORDER BY p.full_name COLLATE "C", p.id OFFSET @offset LIMIT @limit
            """);
        return await PageOfPeopleAsync(command, offset, limit, cancellationToken);
    }

    public async Task<TeacherProfile?> GetTeacherAsync(PersonId id, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT p.id, coalesce(p.full_name, ''), p.role, tp.association_id, a.name, tp.office_hours_note,
                array(SELECT ts.subject_id FROM teacher_subjects ts WHERE ts.teacher_id = p.id ORDER BY ts.subject_id)
            FROM persons p
            LEFT JOIN teacher_profiles tp ON tp.person_id = p.id
            LEFT JOIN associations a ON a.id = tp.association_id
            WHERE p.id = @id AND p.status = 'active' AND p.role IN ('teacher', 'admin')
            """);
        command.Parameters.AddWithValue("id", id.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new TeacherProfile(new PersonId(reader.GetInt64(0)), reader.GetString(1), ParseRole(reader.GetString(2)),
            reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<long[]>(6));
    }

    public async Task SetAssociationAsync(PersonId teacher, long? association, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO teacher_profiles (person_id, association_id) VALUES (@teacher, @association)
            ON CONFLICT (person_id) DO UPDATE SET association_id = excluded.association_id, updated_at = now()
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("association", (object?)association ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> SetSubjectAsync(PersonId teacher, long subject, bool assigned, CancellationToken cancellationToken)
    {
        await using var command = Command(assigned
            ? "INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES (@teacher, @subject) ON CONFLICT DO NOTHING"
            : "DELETE FROM teacher_subjects WHERE teacher_id = @teacher AND subject_id = @subject");
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("subject", subject);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task SetNoteAsync(PersonId teacher, string? note, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO teacher_profiles (person_id, office_hours_note) VALUES (@teacher, @note)
            ON CONFLICT (person_id) DO UPDATE SET office_hours_note = excluded.office_hours_note, updated_at = now()
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("note", (object?)note ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<SchoolContact?> GetContactAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, duty, name, how_to_reach, position FROM school_contacts WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadContact(reader) : null;
    }

    public async Task AddContactAsync(string duty, string name, string? howToReach, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO school_contacts (duty, name, how_to_reach, position)
            SELECT @duty, @name, @reach, coalesce(max(position), 0) + 1 FROM school_contacts
            """);
        command.Parameters.AddWithValue("duty", duty);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("reach", (object?)howToReach ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveContactAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM school_contacts WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> MoveContactUpAsync(long id, CancellationToken cancellationToken)
    {
        // Positions are renumbered in display order first, so equal positions (or gaps) cannot make a swap a no-op.
        await using var command = Command(
            """
            WITH ordered AS (
                SELECT id, row_number() OVER (ORDER BY position, id)::int AS n FROM school_contacts
            ), me AS (
                SELECT n FROM ordered WHERE id = @id
            ), moved AS (
                UPDATE school_contacts c
                SET position = CASE WHEN o.n = (SELECT n FROM me) THEN o.n - 1 WHEN o.n = (SELECT n FROM me) - 1 THEN o.n + 1 ELSE o.n END
                FROM ordered o WHERE c.id = o.id AND (SELECT n FROM me) > 1
                RETURNING 1
            )
            SELECT count(*)::int FROM moved
            """);
        command.Parameters.AddWithValue("id", id);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    public async Task<Page<PersonSummary>> PeopleAsync(PeopleFilter filter, GroupId? group, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT p.id, coalesce(p.full_name, ''), p.role, p.status, g.name, count(*) OVER ()::int
            FROM persons p LEFT JOIN school_groups g ON g.id = p.group_id
            WHERE p.status IN ('active', 'deactivated') AND p.role = @role AND (@group::bigint IS NULL OR p.group_id = @group)
            ORDER BY p.full_name COLLATE "C", p.id OFFSET @offset LIMIT @limit
            """);
        command.Parameters.AddWithValue("role", filter switch
        {
            PeopleFilter.Parents => "parent",
            PeopleFilter.Teachers => "teacher",
            PeopleFilter.Admins => "admin",
            _ => "student",
        });
        command.Parameters.AddWithValue("group", (object?)group?.Value ?? DBNull.Value);
        return await PageOfPeopleAsync(command, offset, limit, cancellationToken);
    }

    public async Task<PersonCard?> GetPersonAsync(PersonId id, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT p.id, coalesce(p.full_name, ''), p.role, p.status, g.name,
                array(SELECT coalesce(c.full_name, '') FROM parent_links l JOIN persons c ON c.id = l.child_id
                      WHERE l.parent_id = p.id AND c.status IN ('active', 'deactivated') ORDER BY c.full_name COLLATE "C"),
                array(SELECT coalesce(r.full_name, '') FROM parent_links l JOIN persons r ON r.id = l.parent_id
                      WHERE l.child_id = p.id AND r.status IN ('active', 'deactivated') ORDER BY r.full_name COLLATE "C"),
                array(SELECT a.channel FROM accounts a WHERE a.person_id = p.id ORDER BY a.preferred DESC, a.created_at)
            FROM persons p LEFT JOIN school_groups g ON g.id = p.group_id
            WHERE p.id = @id AND p.status IN ('active', 'deactivated')
            """);
        command.Parameters.AddWithValue("id", id.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new PersonCard(new PersonId(reader.GetInt64(0)), reader.GetString(1), ParseRole(reader.GetString(2)), ParseStatus(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6),
            reader.GetFieldValue<string[]>(7).Select(ChannelNames.Parse).ToList());
    }

    public async Task<Deactivation> DeactivateAsync(PersonId id, CancellationToken cancellationToken)
    {
        // The active administrators' rows are locked first, in id order, so two administrators switching each other
        // off at once cannot both pass the "another active administrator remains" check. Only when the switch happened:
        // the questions addressed to them that are not closed go back to the subject's teachers, and the messages still
        // queued for them are dropped (as forget_person does).
        await using var command = Command(
            """
            WITH admins AS (
                SELECT id FROM persons WHERE role = 'admin' AND status = 'active' ORDER BY id FOR UPDATE
            ), target AS (
                SELECT id, role, status FROM persons WHERE id = @id AND status IN ('active', 'deactivated')
            ), switched AS (
                UPDATE persons p
                SET status = 'deactivated', updated_at = now(),
                    dialog = jsonb_build_object('version', coalesce((p.dialog->>'version')::int, 0) + 1)
                FROM target t
                WHERE p.id = t.id AND t.status = 'active'
                  AND (t.role <> 'admin' OR EXISTS (SELECT 1 FROM admins a WHERE a.id <> t.id))
                RETURNING p.id
            ), returned AS (
                UPDATE questions q SET teacher_id = NULL
                FROM switched s
                WHERE q.teacher_id = s.id AND q.status <> 'closed'
                RETURNING q.id, q.asker_id, q.subject_id
            ), purged AS (
                DELETE FROM outbox o USING switched s
                WHERE o.person_id = s.id AND o.status = 'pending'
                RETURNING 1
            ), outcome AS (
                SELECT CASE
                    WHEN EXISTS (SELECT 1 FROM switched) THEN 0
                    WHEN NOT EXISTS (SELECT 1 FROM target) THEN 1
                    WHEN (SELECT status FROM target) = 'deactivated' THEN 2
                    ELSE 3 END AS code
            )
            SELECT o.code, r.id, r.asker_id, s.name
            FROM outcome o
            LEFT JOIN returned r ON true
            LEFT JOIN subjects s ON s.id = r.subject_id
            ORDER BY r.id
            """);
        command.Parameters.AddWithValue("id", id.Value);
        var code = 3;
        var returned = new List<ReturnedQuestion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            code = reader.GetInt32(0);
            if (!reader.IsDBNull(1))
            {
                returned.Add(new ReturnedQuestion(reader.GetInt64(1), new PersonId(reader.GetInt64(2)), reader.IsDBNull(3) ? string.Empty : reader.GetString(3)));
            }
        }
        var outcome = code switch
        {
            0 => DeactivateOutcome.Deactivated,
            1 => DeactivateOutcome.NotFound,
            2 => DeactivateOutcome.AlreadyDeactivated,
            _ => DeactivateOutcome.LastAdmin,
        };
        return new Deactivation(outcome, returned);
    }

    public async Task<bool> ReactivateAsync(PersonId id, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE persons SET status = 'active', updated_at = now() WHERE id = @id AND status = 'deactivated'");
        command.Parameters.AddWithValue("id", id.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<Page<TeacherInvite>> InvitesAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT c.id, c.created_at, nullif(cb.full_name, ''), c.expires_at, c.used_at, nullif(ub.full_name, ''), c.revoked_at,
                count(*) OVER ()::int
            FROM one_time_codes c
            LEFT JOIN persons cb ON cb.id = c.created_by AND cb.status IN ('active', 'deactivated')
            LEFT JOIN persons ub ON ub.id = c.used_by AND ub.status IN ('active', 'deactivated')
            WHERE c.kind = 'teacher-invite'
            ORDER BY c.created_at DESC, c.id DESC OFFSET @offset LIMIT @limit
            """);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        var list = new List<TeacherInvite>();
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TeacherInvite(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
            total = reader.GetInt32(7);
        }
        return new Page<TeacherInvite>(list, list.Count == 0 ? await CountInvitesAsync(cancellationToken) : total);
    }

    private async Task<int> CountInvitesAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT count(*)::int FROM one_time_codes WHERE kind = 'teacher-invite'");
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<ReissueOutcome> ReissueInviteAsync(long id, string newCode, PersonId by, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken)
    {
        // Revoking and issuing are one statement: the old code stops working exactly when the new one exists. The
        // expiry moves to now, so the ordinary redeem (unused and unexpired) refuses the old code.
        await using var command = Command(
            """
            WITH revoked AS (
                UPDATE one_time_codes SET revoked_at = @now, expires_at = least(expires_at, @now)
                WHERE id = @id AND kind = 'teacher-invite' AND used_at IS NULL AND revoked_at IS NULL
                RETURNING id
            ), issued AS (
                INSERT INTO one_time_codes (kind, code_hash, owner_id, created_by, expires_at, created_at)
                SELECT 'teacher-invite', @hash, NULL, @by, @expires, @now FROM revoked
                RETURNING 1
            )
            SELECT CASE
                WHEN EXISTS (SELECT 1 FROM issued) THEN 0
                WHEN EXISTS (SELECT 1 FROM one_time_codes WHERE id = @id AND kind = 'teacher-invite') THEN 2
                ELSE 1 END
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("hash", SHA256.HashData(Encoding.UTF8.GetBytes(newCode)));
        command.Parameters.AddWithValue("by", by.Value);
        command.Parameters.AddWithValue("expires", expiresAt);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! switch
        {
            0 => ReissueOutcome.Reissued,
            1 => ReissueOutcome.NotFound,
            _ => ReissueOutcome.AlreadyUsed,
        };
    }

    public async Task<Page<AuditEntry>> AuditAsync(IReadOnlyCollection<string> actions, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT l.at, l.action, l.subject_id, l.actor_id, CASE WHEN a.role IN ('teacher', 'admin') THEN a.full_name END,
                count(*) OVER ()::int
            FROM audit_log l
            LEFT JOIN persons a ON a.id = l.actor_id AND a.status IN ('active', 'deactivated')
            WHERE l.action = ANY(@actions)
            ORDER BY l.at DESC, l.id DESC OFFSET @offset LIMIT @limit
            """);
        command.Parameters.AddWithValue("actions", actions.ToArray());
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        var list = new List<AuditEntry>();
        var total = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new AuditEntry(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1),
                    reader.IsDBNull(2) ? null : new PersonId(reader.GetInt64(2)), reader.IsDBNull(3) ? null : new PersonId(reader.GetInt64(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
                total = reader.GetInt32(5);
            }
        }
        if (list.Count == 0 && offset > 0)
        {
            await using var count = Command("SELECT count(*)::int FROM audit_log WHERE action = ANY(@actions)");
            count.Parameters.AddWithValue("actions", actions.ToArray());
            total = (int)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return new Page<AuditEntry>(list, total);
    }

    private async Task<bool> RenameAsync(string table, long id, string name, CancellationToken cancellationToken)
    {
        // The table name is one of two constants, never user input; the unique index on lower(name) has the last word.
        await using var command = Command(
            $"""
            UPDATE {table} SET name = @name
            WHERE id = @id AND NOT EXISTS (SELECT 1 FROM {table} o WHERE lower(o.name) = lower(@name) AND o.id <> @id)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<Page<PersonSummary>> PageOfPeopleAsync(NpgsqlCommand command, int offset, int limit, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        var list = new List<PersonSummary>();
        var total = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new PersonSummary(new PersonId(reader.GetInt64(0)), reader.GetString(1), ParseRole(reader.GetString(2)),
                    ParseStatus(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4)));
                total = reader.GetInt32(5);
            }
        }
        if (list.Count == 0 && offset > 0)
        {
            // Past the end: the caller asks again for the last page; a total of 0 would show "nobody".
            command.Parameters["offset"].Value = 0;
            command.Parameters["limit"].Value = 1;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                total = reader.GetInt32(5);
            }
        }
        return new Page<PersonSummary>(list, total);
    }

    private static SchoolContact ReadContact(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4));

    /// <summary>The stored role; anything unknown (the schema's CHECK allows none) reads as no role rather than failing the listing.</summary>
    private static Role ParseRole(string role) => role switch
    {
        "student" => Role.Student,
        "parent" => Role.Parent,
        "teacher" => Role.Teacher,
        "admin" => Role.Admin,
        _ => Role.None,
    };

    private static PersonStatus ParseStatus(string status) => status == "deactivated" ? PersonStatus.Deactivated : PersonStatus.Active;

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);
}
