using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Questions;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Scheduling;
using Npgsql;

namespace ConsultBot.Tests.Questions;

/// <summary>Questions on PostgreSQL: who may be asked, the take-it-first race, status moves, the inbox order, topics, /forget.</summary>
public sealed class PgQuestionRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly ConsultationSeed _seed = new(db);
    private long _math;
    private long _physics;
    private long _psychology;
    private long _student;
    private long _teacher;
    private long _otherTeacher;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        _math = await _seed.SubjectAsync("Математика");
        _physics = await _seed.SubjectAsync("Физика");
        _psychology = await db.ScalarAsync<long>("INSERT INTO subjects (name, confidential) VALUES ('Психология', true) RETURNING id");
        _student = await _seed.PersonAsync("student", "Анна Белова", group: "7Б", chat: "anna");
        _teacher = await _seed.PersonAsync("teacher", "Петрова Мария", chat: "petrova");
        _otherTeacher = await _seed.PersonAsync("teacher", "Сидоров Пётр", chat: "sidorov");
        await TeachAsync(_teacher, _math);
        await TeachAsync(_otherTeacher, _math);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task TeachAsync(long teacher, long subject) =>
        db.ExecuteAsync("INSERT INTO teacher_subjects (teacher_id, subject_id) VALUES (@t, @s)", ("t", teacher), ("s", subject));

    private async Task<T> InTransactionAsync<T>(Func<PgQuestionRepository, Task<T>> action)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await action(new PgQuestionRepository(connection, tx));
        await tx.CommitAsync();
        return result;
    }

    private Task<QuestionId> AskAsync(long? teacher, DateTimeOffset at, long? subject = null, bool anonymous = false, string body = "Как решать дроби?",
        long? asker = null) =>
        InTransactionAsync(r => r.CreateAsync(new NewQuestion(new PersonId(asker ?? _student), subject ?? _math,
            teacher is { } t ? new PersonId(t) : null, subject == _psychology, anonymous, body, at), CancellationToken.None));

    private async Task<(string Status, DateTimeOffset? Waiting, DateTimeOffset? FirstAnswered, long? AnsweredBy, long? Teacher)> RowAsync(QuestionId id)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT status, waiting_since, first_answered_at, answered_by, teacher_id FROM questions WHERE id = @id");
        command.Parameters.AddWithValue("id", id.Value);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4));
    }

    [Fact]
    public async Task SubjectsAndTeachers_AreActiveStaffOfTheView_IncludingTimetableLessons()
    {
        var deactivated = await _seed.PersonAsync("teacher", "Уволенный Учитель", chat: "gone");
        await db.ExecuteAsync("UPDATE persons SET status = 'deactivated' WHERE id = @id", ("id", deactivated));
        await TeachAsync(deactivated, _physics);
        var lessonTeacher = await _seed.PersonAsync("teacher", "Историк Иван", chat: "history");
        var history = await _seed.SubjectAsync("История");
        var group = await db.ScalarAsync<long>("SELECT group_id FROM persons WHERE id = @id", ("id", _student));
        await db.ExecuteAsync(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id)
            VALUES (@g, '2026-11-26', '2026-11-26 06:00Z', '2026-11-26 06:45Z', '2026-11-26 06:00Z', @s, @t)
            """,
            ("g", group), ("s", history), ("t", lessonTeacher));

        var subjects = await InTransactionAsync(r => r.SubjectsAsync(CancellationToken.None));
        var teachers = await InTransactionAsync(r => r.TeachersOfAsync(_math, CancellationToken.None));

        Assert.Equal(["История", "Математика"], subjects.Select(s => s.Name));
        Assert.Equal(["Петрова Мария", "Сидоров Пётр"], teachers.Select(t => t.Name));
        Assert.False(await InTransactionAsync(r => r.TeachesAsync(new PersonId(deactivated), _physics, CancellationToken.None)));
        Assert.True(await InTransactionAsync(r => r.TeachesAsync(new PersonId(lessonTeacher), history, CancellationToken.None)));
    }

    [Fact]
    public async Task Create_StoresAnOpenQuestionWaitingSinceItWasAsked_WithItsFirstMessage()
    {
        var id = await AskAsync(_teacher, T0);

        var row = await RowAsync(id);
        Assert.Equal(("open", (DateTimeOffset?)T0, (DateTimeOffset?)null, (long?)null, (long?)_teacher), row);
        var thread = await InTransactionAsync(r => r.ThreadAsync(id, CancellationToken.None));
        Assert.Equal(new QuestionMessage(true, null, "Как решать дроби?", T0), Assert.Single(thread));
        var view = await InTransactionAsync(r => r.GetAsync(id, CancellationToken.None));
        Assert.Equal(("Анна Белова", "7Б", "Математика", "Петрова Мария"), (view!.AskerName, view.AskerGroup, view.SubjectName, view.TeacherName));
    }

    [Fact]
    public async Task Messages_MoveStatusAndWaitingSince_AndNothingIsWrittenIntoAClosedQuestion()
    {
        var id = await AskAsync(null, T0);
        var teacher = new PersonId(_teacher);
        var student = new PersonId(_student);

        Assert.Equal(PostOutcome.Added, await InTransactionAsync(r => r.AddMessageAsync(id, teacher, false, "Ответ", T0.AddHours(2), CancellationToken.None)));
        Assert.Equal(("answered", (DateTimeOffset?)null, (DateTimeOffset?)T0.AddHours(2), (long?)_teacher, (long?)_teacher), await RowAsync(id));

        await InTransactionAsync(r => r.AddMessageAsync(id, student, true, "Уточнение", T0.AddHours(3), CancellationToken.None));
        await InTransactionAsync(r => r.AddMessageAsync(id, student, true, "Ещё", T0.AddHours(4), CancellationToken.None));
        Assert.Equal(("open", (DateTimeOffset?)T0.AddHours(3), (DateTimeOffset?)T0.AddHours(2), (long?)_teacher, (long?)_teacher), await RowAsync(id));

        await InTransactionAsync(r => r.AddMessageAsync(id, teacher, false, "Второй ответ", T0.AddHours(5), CancellationToken.None));
        Assert.Equal(("answered", (DateTimeOffset?)null, (DateTimeOffset?)T0.AddHours(2), (long?)_teacher, (long?)_teacher), await RowAsync(id));

        Assert.True(await InTransactionAsync(r => r.CloseAsync(id, student, T0.AddHours(6), CancellationToken.None)));
        Assert.False(await InTransactionAsync(r => r.CloseAsync(id, teacher, T0.AddHours(7), CancellationToken.None)));
        Assert.Equal(PostOutcome.Closed, await InTransactionAsync(r => r.AddMessageAsync(id, teacher, false, "Поздно", T0.AddHours(8), CancellationToken.None)));
        Assert.Equal(PostOutcome.NotFound,
            await InTransactionAsync(r => r.AddMessageAsync(new QuestionId(999), teacher, false, "?", T0, CancellationToken.None)));
        Assert.Equal("closed", (await RowAsync(id)).Status);
        Assert.Equal(5, await db.ScalarAsync<long>("SELECT count(*) FROM question_messages WHERE question_id = @id", ("id", id.Value)));
        Assert.False(await InTransactionAsync(r => r.MarkTopicAsync(id, CancellationToken.None)));
    }

    [Fact]
    public async Task Take_OfAnUnassignedQuestion_TheFirstOfTwoConcurrentTeachersWins()
    {
        var id = await AskAsync(null, T0);
        await using var first = await db.DataSource.OpenConnectionAsync();
        await using var firstTx = await first.BeginTransactionAsync();
        Assert.Equal(TakeOutcome.Taken, await new PgQuestionRepository(first, firstTx).TakeAsync(id, new PersonId(_teacher), CancellationToken.None));

        // The second teacher's take waits for the first transaction's row lock, then re-checks teacher_id IS NULL and loses.
        await using var second = await db.DataSource.OpenConnectionAsync();
        await using var secondTx = await second.BeginTransactionAsync();
        var secondTake = new PgQuestionRepository(second, secondTx).TakeAsync(id, new PersonId(_otherTeacher), CancellationToken.None);
        await EventuallyBlockedAsync();
        Assert.False(secondTake.IsCompleted);
        await firstTx.CommitAsync();
        Assert.Equal(TakeOutcome.TakenByAnother, await secondTake);
        await secondTx.CommitAsync();

        Assert.Equal(_teacher, (await RowAsync(id)).Teacher);
        Assert.Equal(TakeOutcome.AlreadyYours, await InTransactionAsync(r => r.TakeAsync(id, new PersonId(_teacher), CancellationToken.None)));
        await InTransactionAsync(r => r.CloseAsync(id, new PersonId(_teacher), T0, CancellationToken.None));
        var other = await AskAsync(null, T0);
        await InTransactionAsync(r => r.CloseAsync(other, new PersonId(_student), T0, CancellationToken.None));
        Assert.Equal(TakeOutcome.Closed, await InTransactionAsync(r => r.TakeAsync(other, new PersonId(_teacher), CancellationToken.None)));
    }

    /// <summary>Waits until some backend waits for a row lock (the second take), with a deadline.</summary>
    private async Task EventuallyBlockedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await db.ScalarAsync<long>(
                   "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the second take never waited for the first one's lock");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Inbox_ListsAddressedAndUnassignedOpenQuestionsOldestFirst_ThenTheAnsweredOnes()
    {
        var newer = await AskAsync(_teacher, T0.AddHours(3), body: "новый");
        var oldestUnassigned = await AskAsync(null, T0, body: "самый давний");
        var middle = await AskAsync(_teacher, T0.AddHours(1), body: "средний");
        var answered = await AskAsync(_teacher, T0.AddMinutes(30), body: "отвеченный");
        await InTransactionAsync(r => r.AddMessageAsync(answered, new PersonId(_teacher), false, "ответ", T0.AddHours(4), CancellationToken.None));
        await AskAsync(_otherTeacher, T0, body: "чужой");
        var physicsTeacher = await _seed.PersonAsync("teacher", "Физик", chat: "physics");
        await TeachAsync(physicsTeacher, _physics);
        await AskAsync(null, T0, subject: _physics, body: "физика");
        var closed = await AskAsync(_teacher, T0, body: "закрытый");
        await InTransactionAsync(r => r.CloseAsync(closed, new PersonId(_student), T0, CancellationToken.None));
        // A follow-up keeps the question's original waiting time: it stays the oldest one.
        await InTransactionAsync(r => r.AddMessageAsync(oldestUnassigned, new PersonId(_student), true, "ещё", T0.AddHours(5), CancellationToken.None));

        var inbox = await InTransactionAsync(r => r.InboxAsync(new PersonId(_teacher), 20, CancellationToken.None));

        Assert.Equal([oldestUnassigned, middle, newer, answered], inbox.Select(q => q.Id));
        Assert.Equal("самый давний", inbox[0].FirstMessage);
    }

    [Fact]
    public async Task AnonymousQuestion_IsReadWithoutTheAskersNameClassOrChildren()
    {
        var psychologist = await _seed.PersonAsync("teacher", "Психолог", chat: "psy");
        await TeachAsync(psychologist, _psychology);
        var id = await AskAsync(psychologist, T0, subject: _psychology, anonymous: true);

        var view = await InTransactionAsync(r => r.GetAsync(id, CancellationToken.None));

        Assert.True(view!.Anonymous && view.Confidential);
        Assert.Equal((string.Empty, (string?)null, 0), (view.AskerName, view.AskerGroup, view.AskerChildren.Count));
        var inbox = await InTransactionAsync(r => r.InboxAsync(new PersonId(psychologist), 20, CancellationToken.None));
        Assert.Equal(string.Empty, Assert.Single(inbox).AskerName);
    }

    [Fact]
    public async Task ParentQuestion_ListsTheLinkedChildrenWithClasses()
    {
        var parent = await _seed.PersonAsync("parent", "Ольга Белова", chat: "olga");
        await db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id) VALUES (@p, @c)", ("p", parent), ("c", _student));
        var id = await AskAsync(_teacher, T0, asker: parent);

        var view = await InTransactionAsync(r => r.GetAsync(id, CancellationToken.None));

        Assert.Equal(Role.Parent, view!.AskerRole);
        Assert.Equal(["Анна Белова, 7Б"], view.AskerChildren);
    }

    [Fact]
    public async Task AttachTopics_TiesEachTopicOnce_AndNeverConfidentialClosedOrOtherTeachersOnes()
    {
        var parent = await _seed.PersonAsync("parent", "Ольга Белова", chat: "olga");
        var addressed = await AskAsync(_teacher, T0);
        var unassigned = await AskAsync(null, T0, asker: parent);
        var secondOfSameAsker = await AskAsync(null, T0.AddMinutes(1));
        var others = await AskAsync(_otherTeacher, T0);
        var closed = await AskAsync(_teacher, T0);
        var notTopic = await AskAsync(_teacher, T0);
        foreach (var id in new[] { addressed, unassigned, secondOfSameAsker, others, closed })
        {
            Assert.True(await InTransactionAsync(r => r.MarkTopicAsync(id, CancellationToken.None)));
        }
        await InTransactionAsync(r => r.CloseAsync(closed, new PersonId(_teacher), T0, CancellationToken.None));
        var psychologist = await _seed.PersonAsync("teacher", "Психолог", chat: "psy");
        var confidential = await AskAsync(psychologist, T0, subject: _psychology);
        Assert.False(await InTransactionAsync(r => r.MarkTopicAsync(confidential, CancellationToken.None)));
        await db.ExecuteAsync("UPDATE questions SET is_topic = true WHERE id = @id", ("id", confidential.Value));   // even if forced
        var slot = await _seed.SlotAsync(_teacher, _math, T0.AddDays(2), kind: "group", capacity: 10);
        var later = await _seed.SlotAsync(_teacher, _math, T0.AddDays(3), kind: "group", capacity: 10);

        var topics = await InTransactionAsync(r => r.TopicsAsync(new PersonId(_teacher), _math, 10, CancellationToken.None));
        var first = await InTransactionAsync(r => r.AttachTopicsAsync(new PersonId(_teacher), _math, new SlotId(slot), CancellationToken.None));
        var second = await InTransactionAsync(r => r.AttachTopicsAsync(new PersonId(_teacher), _math, new SlotId(later), CancellationToken.None));
        var confidentialTopics = await InTransactionAsync(r => r.TopicsAsync(new PersonId(psychologist), _psychology, 10, CancellationToken.None));

        Assert.Equal([addressed, unassigned, secondOfSameAsker], topics.Select(t => t.Id));
        Assert.Equal([(_student, Role.Student), (parent, Role.Parent)], first.Select(a => (a.Id.Value, a.Role)));
        Assert.Empty(second);
        Assert.Empty(confidentialTopics);
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM questions WHERE topic_slot_id = @s", ("s", slot)));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM questions WHERE id = ANY(@ids) AND topic_slot_id IS NOT NULL",
            ("ids", new[] { others.Value, closed.Value, notTopic.Value, confidential.Value })));
    }

    [Fact]
    public async Task RateLimitCounts_AreOfTheLastHourOnly()
    {
        await AskAsync(_teacher, T0.AddMinutes(-70));
        var recent = await AskAsync(_teacher, T0.AddMinutes(-30));
        await InTransactionAsync(r => r.AddMessageAsync(recent, new PersonId(_student), true, "ещё", T0.AddMinutes(-10), CancellationToken.None));

        var since = T0.AddHours(-1);
        Assert.Equal(1, await InTransactionAsync(r => r.CountAskedSinceAsync(new PersonId(_student), since, CancellationToken.None)));
        Assert.Equal(2, await InTransactionAsync(r => r.CountMessagesSinceAsync(new PersonId(_student), since, CancellationToken.None)));
    }

    [Fact]
    public async Task ForgetPerson_ErasesTheTextsOfTheirQuestions_KeepsTheRowsClosed()
    {
        var open = await AskAsync(_teacher, T0);
        await InTransactionAsync(r => r.AddMessageAsync(open, new PersonId(_teacher), false, "ответ", T0.AddHours(1), CancellationToken.None));
        var other = await _seed.PersonAsync("student", "Борис", chat: "boris");
        var kept = await AskAsync(_teacher, T0, asker: other);

        await db.ExecuteAsync("SELECT forget_person(@id)", ("id", _student));

        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM question_messages WHERE question_id = @id", ("id", open.Value)));
        Assert.Equal(("closed", (DateTimeOffset?)null), ((await RowAsync(open)).Status, (await RowAsync(open)).Waiting));
        Assert.Equal((DateTimeOffset?)T0.AddHours(1), (await RowAsync(open)).FirstAnswered);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM question_messages WHERE question_id = @id", ("id", kept.Value)));
    }

    [Fact]
    public async Task Readers_OfAConfidentialSubject_AreOnlyItsAssignedTeachers_NotTimetableLessonsNorAdministrators()
    {
        var lessonTeacher = await _seed.PersonAsync("teacher", "Учитель По Расписанию", chat: "lessons");
        var admin = await _seed.PersonAsync("admin", "Завуч Ирина", chat: "admin");
        var group = await db.ScalarAsync<long>("SELECT group_id FROM persons WHERE id = @id", ("id", _student));
        await db.ExecuteAsync(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id)
            VALUES (@g, '2026-11-26', '2026-11-26 06:00Z', '2026-11-26 06:45Z', '2026-11-26 06:00Z', @s, @t)
            """,
            ("g", group), ("s", _psychology), ("t", lessonTeacher));
        await TeachAsync(admin, _psychology);   // an administrator gives themselves the subject in /directory
        var lessonTeacherId = new PersonId(lessonTeacher);
        var adminId = new PersonId(admin);

        // Nobody reads the subject yet: it is not even offered.
        Assert.DoesNotContain("Психология", (await InTransactionAsync(r => r.SubjectsAsync(CancellationToken.None))).Select(x => x.Name));
        Assert.Empty(await InTransactionAsync(r => r.TeachersOfAsync(_psychology, CancellationToken.None)));

        var psychologist = await _seed.PersonAsync("teacher", "Психолог", chat: "psy");
        await TeachAsync(psychologist, _psychology);
        var unassigned = await AskAsync(null, T0, subject: _psychology, anonymous: true, body: "Мне тревожно");

        Assert.Equal(["Психолог"], (await InTransactionAsync(r => r.TeachersOfAsync(_psychology, CancellationToken.None))).Select(x => x.Name));
        Assert.True(await InTransactionAsync(r => r.TeachesAsync(new PersonId(psychologist), _psychology, CancellationToken.None)));
        foreach (var stranger in new[] { lessonTeacherId, adminId })
        {
            Assert.False(await InTransactionAsync(r => r.TeachesAsync(stranger, _psychology, CancellationToken.None)));
            Assert.Empty(await InTransactionAsync(r => r.InboxAsync(stranger, 20, CancellationToken.None)));
        }
        Assert.Equal([unassigned], (await InTransactionAsync(r => r.InboxAsync(new PersonId(psychologist), 20, CancellationToken.None))).Select(q => q.Id));
        // An ordinary subject still counts timetable lessons and administrators who teach it.
        await TeachAsync(admin, _physics);
        Assert.True(await InTransactionAsync(r => r.TeachesAsync(adminId, _physics, CancellationToken.None)));
    }

    [Fact]
    public async Task Topics_LeaveOutTopicsAlreadyTiedToAConsultation_LikeTheInvitations()
    {
        var tied = await AskAsync(null, T0, body: "уже на консультации");
        var free = await AskAsync(_teacher, T0.AddMinutes(1), body: "ещё свободна");
        Assert.True(await InTransactionAsync(r => r.MarkTopicAsync(tied, CancellationToken.None)));
        var slot = await _seed.SlotAsync(_teacher, _math, T0.AddDays(2), kind: "group", capacity: 10);
        await InTransactionAsync(r => r.AttachTopicsAsync(new PersonId(_teacher), _math, new SlotId(slot), CancellationToken.None));
        Assert.True(await InTransactionAsync(r => r.MarkTopicAsync(free, CancellationToken.None)));

        var preview = await InTransactionAsync(r => r.TopicsAsync(new PersonId(_teacher), _math, 10, CancellationToken.None));
        var later = await _seed.SlotAsync(_teacher, _math, T0.AddDays(3), kind: "group", capacity: 10);
        var invited = await InTransactionAsync(r => r.AttachTopicsAsync(new PersonId(_teacher), _math, new SlotId(later), CancellationToken.None));

        Assert.Equal([free], preview.Select(t => t.Id));
        Assert.Equal([_student], invited.Select(a => a.Id.Value));
    }

    [Fact]
    public async Task ForgetPerson_OfATeacher_ReturnsTheirQuestionsThatAreNotClosedToTheSubjectsTeachers()
    {
        var open = await AskAsync(_teacher, T0);
        var answered = await AskAsync(_teacher, T0);
        await InTransactionAsync(r => r.AddMessageAsync(answered, new PersonId(_teacher), false, "ответ", T0.AddHours(1), CancellationToken.None));
        var closed = await AskAsync(_teacher, T0);
        await InTransactionAsync(r => r.CloseAsync(closed, new PersonId(_student), T0, CancellationToken.None));
        var colleagues = await AskAsync(_otherTeacher, T0);

        await db.ExecuteAsync("SELECT forget_person(@id)", ("id", _teacher));

        Assert.Null((await RowAsync(open)).Teacher);
        Assert.Null((await RowAsync(answered)).Teacher);
        Assert.Equal(_teacher, (await RowAsync(closed)).Teacher);
        Assert.Equal(_otherTeacher, (await RowAsync(colleagues)).Teacher);
        var inbox = await InTransactionAsync(r => r.InboxAsync(new PersonId(_otherTeacher), 20, CancellationToken.None));
        Assert.Contains(open, inbox.Select(q => q.Id));
    }

    [Fact]
    public async Task Table_RefusesAnAnonymousQuestionOfAnOrdinarySubject()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => AskAsync(_teacher, T0, anonymous: true));
        Assert.Equal("questions_anonymous", error.ConstraintName);
    }
}
