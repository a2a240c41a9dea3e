using System.Security.Cryptography;
using System.Text;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.SchoolDirectory;

/// <summary>
/// The directory and administration on PostgreSQL: who the public directory lists and how, the maintenance statements,
/// switching people off (and the last administrator), invite re-issue against the real redeem, and the audit listing.
/// </summary>
public sealed class PgDirectoryRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private long _maths;
    private long _physics;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _maths = await db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");
        _physics = await db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Физика') RETURNING id");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<long> PersonAsync(string role, string name, string status = "active")
    {
        var id = await db.ScalarAsync<long>("INSERT INTO persons (role, status, full_name) VALUES (@role, @status, @name) RETURNING id",
            ("role", role), ("status", status), ("name", name));
        await db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)", ("s", "tg" + id), ("p", id));
        return id;
    }

    private async Task<T> InTransactionAsync<T>(Func<PgDirectoryRepository, Task<T>> work)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await work(new PgDirectoryRepository(connection, tx));
        await tx.CommitAsync();
        return result;
    }

    private Task InTransactionAsync(Func<PgDirectoryRepository, Task> work) => InTransactionAsync(async r => { await work(r); return 0; });

    [Fact]
    public async Task TeachersAsync_ListsActiveTeachersAndTeachingAdminsByAssociation_WithSubjectsOfficeHoursAndNextSlot_WhenSeeded()
    {
        var petrova = await PersonAsync("teacher", "Петрова Мария");
        var orlov = await PersonAsync("teacher", "Орлов Игорь");
        var admin = await PersonAsync("admin", "Смирнова Анна");
        var teachingAdmin = await PersonAsync("admin", "Зайцева Ольга");
        var gone = await PersonAsync("teacher", "Ушедший Учитель", status: "deactivated");
        await PersonAsync("student", "Белова Анна");
        var association = await db.ScalarAsync<long>("INSERT INTO associations (name) VALUES ('МО естественных наук') RETURNING id");
        await db.ExecuteAsync("INSERT INTO teacher_profiles (person_id, association_id, office_hours_note) VALUES (@p, @a, 'Кабинет 214')",
            ("p", petrova), ("a", association));
        await db.ExecuteAsync("INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES (@p, @m), (@p, @f), (@g, @m), (@z, @f)",
            ("p", petrova), ("m", _maths), ("f", _physics), ("g", gone), ("z", teachingAdmin));
        await db.ExecuteAsync(
            """
            INSERT INTO office_hours (teacher_id, day_of_week, from_time, to_time, slot_minutes, active)
            VALUES (@p, 4, '15:00', '16:00', 20, true), (@p, 2, '14:00', '15:00', 20, true), (@p, 5, '10:00', '11:00', 20, false)
            """, ("p", petrova));
        await db.ExecuteAsync(
            """
            INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose)
            VALUES (@p, @f, @soon, @soon + interval '20 minutes', 'individual', 1, 'review'),
                   (@p, @m, @later, @later + interval '20 minutes', 'individual', 1, 'review'),
                   (@o, @m, @past, @past + interval '20 minutes', 'individual', 1, 'review')
            """, ("p", petrova), ("f", _physics), ("m", _maths), ("o", orlov),
            ("soon", Now.AddHours(1)), ("later", Now.AddDays(2)), ("past", Now.AddDays(-1)));

        var teachers = await InTransactionAsync(r => r.TeachersAsync(Now.AddHours(2), CancellationToken.None));

        Assert.Equal(["Петрова Мария", "Зайцева Ольга", "Орлов Игорь"], teachers.Select(t => t.Name));
        Assert.DoesNotContain(teachers, t => t.Id.Value == admin || t.Id.Value == gone);
        var p = teachers[0];
        Assert.Equal("МО естественных наук", p.Association);
        Assert.Equal(["Математика", "Физика"], p.Subjects);
        Assert.Equal([new OfficeHoursWindow(DayOfWeek.Tuesday, new TimeOnly(14, 0), new TimeOnly(15, 0)),
            new OfficeHoursWindow(DayOfWeek.Thursday, new TimeOnly(15, 0), new TimeOnly(16, 0))], p.OfficeHours);
        Assert.Equal("Кабинет 214", p.OfficeHoursNote);
        // The slot in an hour is inside the notice period; the bookable one is the maths slot in two days.
        Assert.True(p.CanBook);
        Assert.Equal(_maths, p.BookSubjectId);
        Assert.Null(teachers[1].Association);
        Assert.False(teachers[2].CanBook);
        Assert.Empty(teachers[2].Subjects);
    }

    [Fact]
    public async Task Maintenance_AddsRenamesTogglesAndRefusesDuplicates_WhenNamesClash()
    {
        var teacher = await PersonAsync("teacher", "Петрова Мария");
        await InTransactionAsync(async r =>
        {
            Assert.Null(await r.AddSubjectAsync("математика", CancellationToken.None));
            var psychology = await r.AddSubjectAsync("Психология", CancellationToken.None);
            Assert.NotNull(psychology);
            Assert.False(await r.RenameSubjectAsync(psychology!.Value, "ФИЗИКА", CancellationToken.None));
            Assert.True(await r.RenameSubjectAsync(psychology.Value, "Психологическая помощь", CancellationToken.None));
            Assert.True(await r.SetConfidentialAsync(psychology.Value, true, CancellationToken.None));
            Assert.False(await r.SetConfidentialAsync(psychology.Value, true, CancellationToken.None));
            Assert.True((await r.GetSubjectAsync(psychology.Value, CancellationToken.None))!.Confidential);

            var mo = await r.AddAssociationAsync("МО математики", CancellationToken.None);
            Assert.Null(await r.AddAssociationAsync("мо МАТЕМАТИКИ", CancellationToken.None));
            await r.SetAssociationAsync(new PersonId(teacher), mo, CancellationToken.None);
            Assert.True(await r.SetSubjectAsync(new PersonId(teacher), _maths, true, CancellationToken.None));
            Assert.False(await r.SetSubjectAsync(new PersonId(teacher), _maths, true, CancellationToken.None));
            Assert.True(await r.SetSubjectAsync(new PersonId(teacher), _physics, true, CancellationToken.None));
            Assert.True(await r.SetSubjectAsync(new PersonId(teacher), _physics, false, CancellationToken.None));
            Assert.False(await r.SetSubjectAsync(new PersonId(teacher), _physics, false, CancellationToken.None));
            await r.SetNoteAsync(new PersonId(teacher), "По средам", CancellationToken.None);
            var profile = await r.GetTeacherAsync(new PersonId(teacher), CancellationToken.None);
            Assert.Equal("МО математики", profile!.Association);
            Assert.Equal([_maths], profile.SubjectIds);
            Assert.Equal("По средам", profile.Note);
            Assert.Equal(1, (await r.GetAssociationAsync(mo!.Value, CancellationToken.None))!.Teachers);

            Assert.True(await r.DeleteAssociationAsync(mo.Value, CancellationToken.None));
            Assert.False(await r.DeleteAssociationAsync(mo.Value, CancellationToken.None));
            Assert.Null((await r.GetTeacherAsync(new PersonId(teacher), CancellationToken.None))!.AssociationId);
        });
        // The schema's CHECK is the last word on the note's length.
        await Assert.ThrowsAsync<PostgresException>(() => InTransactionAsync(r =>
            r.SetNoteAsync(new PersonId(teacher), new string('x', 301), CancellationToken.None)));
    }

    [Fact]
    public async Task Contacts_AreAddedInOrder_MovedUpAndRemoved()
    {
        var order = await InTransactionAsync(async r =>
        {
            await r.AddContactAsync("Консультации", "Кузнецова О. Н.", "каб. 101", CancellationToken.None);
            await r.AddContactAsync("Психолог", "Иванова Е. А.", null, CancellationToken.None);
            await r.AddContactAsync("Расписание", "Сидоров П. П.", null, CancellationToken.None);
            var contacts = await r.ContactsAsync(CancellationToken.None);
            Assert.False(await r.MoveContactUpAsync(contacts[0].Id, CancellationToken.None));
            Assert.True(await r.MoveContactUpAsync(contacts[2].Id, CancellationToken.None));
            Assert.True(await r.RemoveContactAsync(contacts[0].Id, CancellationToken.None));
            Assert.False(await r.RemoveContactAsync(contacts[0].Id, CancellationToken.None));
            return await r.ContactsAsync(CancellationToken.None);
        });
        Assert.Equal(["Расписание", "Психолог"], order.Select(c => c.Duty));
    }

    [Fact]
    public async Task DeactivateAsync_SwitchesOffAndRefusesLastAdmin_AndOutboxSkipsTheDeactivated()
    {
        var admin = await PersonAsync("admin", "Смирнова Анна");
        var teacher = await PersonAsync("teacher", "Петрова Мария");
        await db.ExecuteAsync("UPDATE persons SET dialog = '{\"step\":\"ps.title\",\"version\":7}' WHERE id = @t", ("t", teacher));

        Assert.Equal(DeactivateOutcome.LastAdmin, (await InTransactionAsync(r => r.DeactivateAsync(new PersonId(admin), CancellationToken.None))).Outcome);
        Assert.Equal(DeactivateOutcome.Deactivated, (await InTransactionAsync(r => r.DeactivateAsync(new PersonId(teacher), CancellationToken.None))).Outcome);
        Assert.Equal(DeactivateOutcome.AlreadyDeactivated, (await InTransactionAsync(r => r.DeactivateAsync(new PersonId(teacher), CancellationToken.None))).Outcome);
        Assert.Equal(DeactivateOutcome.NotFound, (await InTransactionAsync(r => r.DeactivateAsync(new PersonId(999_999), CancellationToken.None))).Outcome);
        Assert.Equal("deactivated", await db.ScalarAsync<string>("SELECT status FROM persons WHERE id = @t", ("t", teacher)));
        Assert.Equal("{\"version\": 8}", await db.ScalarAsync<string>("SELECT dialog::text FROM persons WHERE id = @t", ("t", teacher)));

        // A notification to the deactivated teacher writes no row; a reply to their own chat still does.
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await using var batch = new NpgsqlBatch(connection);
            OutboxWriter.AddTo(batch, [
                new OutgoingMessage(Recipient.ToPerson(new PersonId(teacher)), "notice"),
                new OutgoingMessage(Recipient.ToChat(new ChatAddress(Channel.Telegram, "tg" + teacher)), "reply"),
                new OutgoingMessage(Recipient.ToPerson(new PersonId(admin)), "to admin"),
            ]);
            await batch.ExecuteNonQueryAsync();
        }
        Assert.Equal(["reply"], await BodiesToAsync("tg" + teacher));
        Assert.Equal(["to admin"], await BodiesToAsync("tg" + admin));

        var second = await PersonAsync("admin", "Зайцева Ольга");
        Assert.Equal(DeactivateOutcome.Deactivated, (await InTransactionAsync(r => r.DeactivateAsync(new PersonId(admin), CancellationToken.None))).Outcome);
        Assert.Equal(DeactivateOutcome.LastAdmin, (await InTransactionAsync(r => r.DeactivateAsync(new PersonId(second), CancellationToken.None))).Outcome);

        Assert.True(await InTransactionAsync(r => r.ReactivateAsync(new PersonId(teacher), CancellationToken.None)));
        Assert.False(await InTransactionAsync(r => r.ReactivateAsync(new PersonId(teacher), CancellationToken.None)));
        var page = await InTransactionAsync(r => r.PeopleAsync(PeopleFilter.Admins, null, 0, 20, CancellationToken.None));
        Assert.Equal([("Зайцева Ольга", PersonStatus.Active), ("Смирнова Анна", PersonStatus.Deactivated)],
            page.Items.Select(p => (p.Name, p.Status)));
        Assert.Equal(2, page.Total);
    }

    private async Task<List<T>> RowsAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private Task<long> QuestionAsync(long asker, long? teacher, string status, bool anonymous = false) =>
        db.ScalarAsync<long>(
            """
            INSERT INTO questions (asker_id, subject_id, teacher_id, status, waiting_since, confidential, anonymous, created_at)
            VALUES (@a, @s, @t, @status, CASE WHEN @status = 'open' THEN @at END, @anon, @anon, @at) RETURNING id
            """,
            ("a", asker), ("s", _maths), ("t", (object?)teacher ?? DBNull.Value), ("status", status), ("at", Now), ("anon", anonymous));

    [Fact]
    public async Task DeactivateAsync_GivesTheTeachersQuestionsThatAreNotClosedBackToTheSubject()
    {
        await PersonAsync("admin", "Смирнова Анна");
        var teacher = await PersonAsync("teacher", "Петрова Мария");
        var other = await PersonAsync("teacher", "Орлов Игорь");
        var student = await PersonAsync("student", "Белова Анна");
        var open = await QuestionAsync(student, teacher, "open");
        var answered = await QuestionAsync(student, teacher, "answered", anonymous: true);
        var closed = await QuestionAsync(student, teacher, "closed");
        var someoneElses = await QuestionAsync(student, other, "open");

        var result = await InTransactionAsync(r => r.DeactivateAsync(new PersonId(teacher), CancellationToken.None));

        Assert.Equal(DeactivateOutcome.Deactivated, result.Outcome);
        Assert.Equal([(open, student, "Математика"), (answered, student, "Математика")],
            result.ReturnedQuestions.Select(q => (q.Id, q.Asker.Value, q.Subject)));
        var teachers = await RowsAsync(
            "SELECT id, teacher_id FROM questions ORDER BY id", r => (r.GetInt64(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1)));
        Assert.Equal([(open, null), (answered, null), (closed, teacher), (someoneElses, other)], teachers);
        Assert.Empty((await InTransactionAsync(r => r.DeactivateAsync(new PersonId(teacher), CancellationToken.None))).ReturnedQuestions);
    }

    [Fact]
    public async Task DeactivateAsync_DeletesThePendingMessagesQueuedForThePerson_AndKeepsTheRest()
    {
        await PersonAsync("admin", "Смирнова Анна");
        var teacher = await PersonAsync("teacher", "Петрова Мария");
        var student = await PersonAsync("student", "Белова Анна");
        const string Queue = "INSERT INTO outbox (channel, chat_id, person_id, body, status) VALUES ('telegram', @c, @p, '{\"text\":\"x\"}', @s)";
        await db.ExecuteAsync(Queue, ("c", "tg" + teacher), ("p", teacher), ("s", "pending"));
        await db.ExecuteAsync(Queue, ("c", "tg" + teacher), ("p", teacher), ("s", "sent"));
        await db.ExecuteAsync(Queue, ("c", "tg" + student), ("p", student), ("s", "pending"));

        Assert.Equal(DeactivateOutcome.Deactivated,
            (await InTransactionAsync(r => r.DeactivateAsync(new PersonId(teacher), CancellationToken.None))).Outcome);

        var rows = await RowsAsync("SELECT person_id, status FROM outbox ORDER BY id", r => (r.GetInt64(0), r.GetString(1)));
        Assert.Equal([(teacher, "sent"), (student, "pending")], rows);
    }

    [Fact]
    public async Task ChildrenOfAsync_LeavesOutASwitchedOffChild()
    {
        var parent = await PersonAsync("parent", "Белов Олег");
        var anna = await PersonAsync("student", "Белова Анна");
        var petr = await PersonAsync("student", "Белов Пётр", status: "deactivated");
        await db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id) VALUES (@p, @a), (@p, @b)", ("p", parent), ("a", anna), ("b", petr));

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var children = await new PgPeopleRepository(connection, null).ChildrenOfAsync(new PersonId(parent), CancellationToken.None);

        Assert.Equal(["Белова Анна"], children.Select(c => c.FullName));
        var card = await InTransactionAsync(r => r.GetPersonAsync(new PersonId(parent), CancellationToken.None));
        Assert.Equal(["Белов Пётр", "Белова Анна"], card!.Children);
        Assert.Equal([Channel.Telegram], card.Messengers);
    }

    private async Task<List<string>> BodiesToAsync(string chat)
    {
        var list = new List<string>();
        await using var command = db.DataSource.CreateCommand("SELECT body->>'text' FROM outbox WHERE chat_id = @chat ORDER BY id");
        command.Parameters.AddWithValue("chat", chat);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }

    [Fact]
    public async Task ReissueInviteAsync_RevokesTheOldCodeAndIssuesAWorkingNewOne_AndRefusesUsedOnes()
    {
        var admin = await PersonAsync("admin", "Смирнова Анна");
        var newcomer = await PersonAsync("none", "Новый", status: "registering");
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            var codes = new PgCodeRepository(connection, null);
            await codes.CreateAsync(CodeKind.TeacherInvite, "AAAABBBB", null, new PersonId(admin), Now.AddDays(7), CancellationToken.None);
            await codes.CreateAsync(CodeKind.TeacherInvite, "CCCCDDDD", null, new PersonId(admin), Now.AddDays(7), CancellationToken.None);
            Assert.NotNull(await codes.RedeemAsync(CodeKind.TeacherInvite, "CCCCDDDD", new PersonId(newcomer), Now, CancellationToken.None));
        }
        // Named once registered; while half-registered the list shows no name.
        await db.ExecuteAsync("UPDATE persons SET role = 'teacher', status = 'active' WHERE id = @p", ("p", newcomer));
        var invites = await InTransactionAsync(r => r.InvitesAsync(0, 10, CancellationToken.None));
        Assert.Equal(2, invites.Total);
        var unused = invites.Items.Single(i => i.UsedAt is null);
        var used = invites.Items.Single(i => i.UsedAt is not null);
        Assert.Equal("Смирнова Анна", unused.CreatedBy);
        Assert.Equal("Новый", used.UsedBy);

        Assert.Equal(ReissueOutcome.Reissued, await InTransactionAsync(r =>
            r.ReissueInviteAsync(unused.Id, "EEEEFFFF", new PersonId(admin), Now, Now.AddDays(7), CancellationToken.None)));
        Assert.Equal(ReissueOutcome.AlreadyUsed, await InTransactionAsync(r =>
            r.ReissueInviteAsync(unused.Id, "GGGGHHHH", new PersonId(admin), Now, Now.AddDays(7), CancellationToken.None)));
        Assert.Equal(ReissueOutcome.AlreadyUsed, await InTransactionAsync(r =>
            r.ReissueInviteAsync(used.Id, "GGGGHHHH", new PersonId(admin), Now, Now.AddDays(7), CancellationToken.None)));
        Assert.Equal(ReissueOutcome.NotFound, await InTransactionAsync(r =>
            r.ReissueInviteAsync(999_999, "GGGGHHHH", new PersonId(admin), Now, Now.AddDays(7), CancellationToken.None)));

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            var codes = new PgCodeRepository(connection, null);
            Assert.Null(await codes.RedeemAsync(CodeKind.TeacherInvite, "AAAABBBB", new PersonId(newcomer), Now.AddMinutes(1), CancellationToken.None));
            Assert.Null(await codes.RedeemAsync(CodeKind.TeacherInvite, "GGGGHHHH", new PersonId(newcomer), Now.AddMinutes(1), CancellationToken.None));
            Assert.NotNull(await codes.RedeemAsync(CodeKind.TeacherInvite, "EEEEFFFF", new PersonId(newcomer), Now.AddMinutes(1), CancellationToken.None));
        }
        var after = await InTransactionAsync(r => r.InvitesAsync(0, 10, CancellationToken.None));
        Assert.Equal(3, after.Total);
        Assert.NotNull(after.Items.Single(i => i.Id == unused.Id).RevokedAt);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes WHERE code_hash = @h",
            ("h", SHA256.HashData(Encoding.UTF8.GetBytes("EEEEFFFF")))));
    }

    [Fact]
    public async Task AuditAsync_ListsChosenActionsNewestFirst_NamingOnlyStaffActors()
    {
        var admin = await PersonAsync("admin", "Смирнова Анна");
        var student = await PersonAsync("student", "Белова Анна");
        await db.ExecuteAsync(
            """
            INSERT INTO audit_log (at, action, subject_id, actor_id) VALUES
                (@t1, 'teacher-invite-used', 10, @admin),
                (@t2, 'personal-data-erased', @student, @student),
                (@t3, 'group-added', NULL, @admin),
                (@t4, 'person-deactivated', 11, @admin)
            """, ("t1", Now.AddHours(-3)), ("t2", Now.AddHours(-2)), ("t3", Now.AddHours(-1)), ("t4", Now), ("admin", admin), ("student", student));

        var page = await InTransactionAsync(r => r.AuditAsync(["teacher-invite-used", "personal-data-erased", "person-deactivated"], 0, 2,
            CancellationToken.None));

        Assert.Equal(3, page.Total);
        Assert.Equal(["person-deactivated", "personal-data-erased"], page.Items.Select(e => e.Action));
        Assert.Equal("Смирнова Анна", page.Items[0].ActorStaffName);
        Assert.Null(page.Items[1].ActorStaffName);
        Assert.Equal(new PersonId(student), page.Items[1].Actor);
        var last = await InTransactionAsync(r => r.AuditAsync(["teacher-invite-used", "personal-data-erased", "person-deactivated"], 2, 2,
            CancellationToken.None));
        Assert.Equal(["teacher-invite-used"], last.Items.Select(e => e.Action));
    }
}
