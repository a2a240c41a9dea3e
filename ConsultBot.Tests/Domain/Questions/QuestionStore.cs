using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Questions;
using Moq;

namespace ConsultBot.Tests.Domain.Questions;

/// <summary>
/// Keeps questions in memory behind the harness's <see cref="IQuestionRepository"/> mock, with the rules the
/// PostgreSQL repository has (conditional take, nothing into a closed question, status and waiting_since moves), so a
/// dialog can be followed step by step and its rows inspected.
/// </summary>
internal sealed class QuestionStore
{
    private readonly EngineHarness _h;

    public QuestionStore(EngineHarness h)
    {
        _h = h;
        var q = h.Questions;
        q.Setup(r => r.SubjectsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Subjects.Where(s => Teachers(s.Id).Count > 0).OrderBy(s => s.Name).ToList());
        q.Setup(r => r.GetSubjectAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((long id, CancellationToken _) => Subjects.FirstOrDefault(s => s.Id == id));
        q.Setup(r => r.TeachersOfAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((long id, CancellationToken _) => Teachers(id));
        q.Setup(r => r.TeachesAsync(It.IsAny<PersonId>(), It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId p, long s, CancellationToken _) => Teachers(s).Any(t => t.Id == p));
        q.Setup(r => r.CountAskedSinceAsync(It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId p, DateTimeOffset since, CancellationToken _) => Rows.Count(x => x.Asker == p && x.CreatedAt > since));
        q.Setup(r => r.CountMessagesSinceAsync(It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId p, DateTimeOffset since, CancellationToken _) =>
                Rows.SelectMany(x => x.Messages).Count(m => m.Author == p && m.At > since));
        q.Setup(r => r.CreateAsync(It.IsAny<NewQuestion>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((NewQuestion n, CancellationToken _) =>
            {
                var row = new Row(new QuestionId(Rows.Count + 1), n.Asker, n.SubjectId, n.Teacher, n.Confidential, n.Anonymous, n.At);
                row.WaitingSince = n.At;
                row.Messages.Add(new Message(n.Asker, true, n.Body, n.At));
                Rows.Add(row);
                return row.Id;
            });
        q.Setup(r => r.GetAsync(It.IsAny<QuestionId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((QuestionId id, CancellationToken _) => Find(id) is { } row ? View(row) : null);
        q.Setup(r => r.TakeAsync(It.IsAny<QuestionId>(), It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((QuestionId id, PersonId t, CancellationToken _) =>
            {
                var row = Find(id)!;
                if (row.Status == QuestionStatus.Closed)
                {
                    return TakeOutcome.Closed;
                }
                if (row.Teacher is null)
                {
                    row.Teacher = t;
                    return TakeOutcome.Taken;
                }
                return row.Teacher == t ? TakeOutcome.AlreadyYours : TakeOutcome.TakenByAnother;
            });
        q.Setup(r => r.AddMessageAsync(It.IsAny<QuestionId>(), It.IsAny<PersonId>(), It.IsAny<bool>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(),
                It.IsAny<CancellationToken>()))
            .ReturnsAsync((QuestionId id, PersonId author, bool fromAsker, string body, DateTimeOffset at, CancellationToken _) =>
            {
                if (Find(id) is not { } row)
                {
                    return PostOutcome.NotFound;
                }
                if (row.Status == QuestionStatus.Closed)
                {
                    return PostOutcome.Closed;
                }
                row.Messages.Add(new Message(author, fromAsker, body, at));
                if (fromAsker)
                {
                    row.Status = QuestionStatus.Open;
                    row.WaitingSince ??= at;
                }
                else
                {
                    row.Status = QuestionStatus.Answered;
                    row.WaitingSince = null;
                    row.Teacher ??= author;
                    row.FirstAnsweredAt ??= at;
                }
                return PostOutcome.Added;
            });
        q.Setup(r => r.CloseAsync(It.IsAny<QuestionId>(), It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((QuestionId id, PersonId by, DateTimeOffset at, CancellationToken _) =>
            {
                var row = Find(id)!;
                if (row.Status == QuestionStatus.Closed)
                {
                    return false;
                }
                row.Status = QuestionStatus.Closed;
                row.WaitingSince = null;
                row.ClosedBy = by;
                return true;
            });
        q.Setup(r => r.MarkTopicAsync(It.IsAny<QuestionId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((QuestionId id, CancellationToken _) =>
            {
                var row = Find(id)!;
                if (row.Status == QuestionStatus.Closed || row.Confidential)
                {
                    return false;
                }
                row.IsTopic = true;
                return true;
            });
        q.Setup(r => r.AskedByAsync(It.IsAny<PersonId>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId p, int closed, int limit, CancellationToken _) => Rows.Where(x => x.Asker == p)
                .OrderBy(x => x.Status == QuestionStatus.Closed).ThenByDescending(x => x.CreatedAt).Take(limit).Select(View).ToList());
        q.Setup(r => r.InboxAsync(It.IsAny<PersonId>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId t, int limit, CancellationToken _) => Rows
                .Where(x => (x.Status == QuestionStatus.Open && (x.Teacher == t || (x.Teacher is null && Teachers(x.Subject).Any(p => p.Id == t))))
                            || (x.Status == QuestionStatus.Answered && x.Teacher == t))
                .OrderBy(x => x.Status != QuestionStatus.Open).ThenBy(x => x.WaitingSince).Take(limit).Select(View).ToList());
        q.Setup(r => r.ThreadAsync(It.IsAny<QuestionId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((QuestionId id, CancellationToken _) => Find(id)!.Messages
                .Select(m => new QuestionMessage(m.FromAsker, m.FromAsker ? null : h.Persons[m.Author].FullName, m.Body, m.At)).ToList());
    }

    public List<QuestionSubject> Subjects { get; } = [];
    public HashSet<(PersonId Teacher, long Subject)> Teaching { get; } = [];
    public List<Row> Rows { get; } = [];

    public QuestionSubject AddSubject(string name, bool confidential = false, params Person[] teachers)
    {
        var subject = new QuestionSubject(Subjects.Count + 1, name, confidential);
        Subjects.Add(subject);
        foreach (var teacher in teachers)
        {
            Teaching.Add((teacher.Id, subject.Id));
        }
        return subject;
    }

    public Row? Find(QuestionId id) => Rows.FirstOrDefault(x => x.Id == id);

    /// <summary>The question_readers view: active teachers and administrators; for a confidential subject teachers only.</summary>
    private List<QuestionTeacher> Teachers(long subject) => Teaching.Where(t => t.Subject == subject)
        .Select(t => _h.Persons.GetValueOrDefault(t.Teacher))
        .Where(p => p is { IsActive: true, Role: Role.Teacher } || (p is { IsActive: true, Role: Role.Admin } && !Subjects.First(s => s.Id == subject).Confidential))
        .Select(p => new QuestionTeacher(p!.Id, p.FullName ?? string.Empty, p.Language))
        .OrderBy(p => p.Name).ToList();

    private QuestionView View(Row row)
    {
        var asker = _h.Persons[row.Asker];
        var group = asker.GroupId is { } g ? _h.GroupList.First(x => x.Id == g).Name : null;
        var children = _h.Links.Where(l => l.Parent == asker.Id).Select(l => _h.Persons[l.Child])
            .Select(c => c.FullName + (c.GroupId is { } cg ? ", " + _h.GroupList.First(x => x.Id == cg).Name : string.Empty)).ToList();
        var subject = Subjects.First(s => s.Id == row.Subject);
        return new QuestionView(row.Id, row.Asker, row.Anonymous ? string.Empty : asker.FullName ?? string.Empty, asker.Role,
            row.Anonymous ? null : group, row.Anonymous ? [] : children, row.Subject, subject.Name, row.Teacher,
            row.Teacher is { } t ? _h.Persons[t].FullName : null, row.Confidential, row.Anonymous, row.Status, row.IsTopic, row.WaitingSince,
            row.CreatedAt, row.Messages[0].Body);
    }

    internal sealed record Message(PersonId Author, bool FromAsker, string Body, DateTimeOffset At);

    internal sealed class Row(QuestionId id, PersonId asker, long subject, PersonId? teacher, bool confidential, bool anonymous, DateTimeOffset createdAt)
    {
        public QuestionId Id { get; } = id;
        public PersonId Asker { get; } = asker;
        public long Subject { get; } = subject;
        public PersonId? Teacher { get; set; } = teacher;
        public bool Confidential { get; } = confidential;
        public bool Anonymous { get; } = anonymous;
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public QuestionStatus Status { get; set; } = QuestionStatus.Open;
        public bool IsTopic { get; set; }
        public DateTimeOffset? WaitingSince { get; set; }
        public DateTimeOffset? FirstAnsweredAt { get; set; }
        public PersonId? ClosedBy { get; set; }
        public List<Message> Messages { get; } = [];
    }
}
