using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Reports;

/// <summary>
/// A school month (October 2026, school zone Europe/Moscow, UTC+3) with figures worked out by hand, and rows just outside
/// the month in the school's zone (that would fall inside it in UTC) that must not count. The expected rows are in
/// <see cref="PgActivityReportTests"/>.
/// </summary>
internal sealed class ReportSeed(PostgresFixture db)
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public long Belova { get; private set; }
    public long Antonov { get; private set; }
    public long Forgotten { get; private set; }
    public long Petrova { get; private set; }
    public long Sidorov { get; private set; }
    public long Director { get; private set; }
    public long IdleAdmin { get; private set; }

    public static DateTimeOffset Msk(int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.FromHours(3)).ToUniversalTime();

    public async Task SeedAsync()
    {
        // The fixture's reset empties the tables of issues 3-6 (and whatever references people); these have no such reference.
        await db.ExecuteAsync("TRUNCATE associations, monthly_reports RESTART IDENTITY CASCADE");
        var g7 = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('7Б') RETURNING id");
        var g5 = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('5А') RETURNING id");
        var association = await db.ScalarAsync<long>("INSERT INTO associations (name) VALUES ('МО естественных наук') RETURNING id");
        var math = await db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");

        Belova = await PersonAsync("student", "active", "Белова Анна", g7);
        Antonov = await PersonAsync("student", "active", "Антонов Пётр", g5);
        Forgotten = await PersonAsync("student", "forgotten", null, null);
        await PersonAsync("student", "deactivated", "Отчисленный Ученик", g5);            // nothing in the month: no row
        await PersonAsync("student", "active", "Новенький Ученик", g5, Msk(11, 10, 9));   // joined after the month: no row
        await PersonAsync("student", "registering", "Незаконченная Регистрация", g5);     // never registered: no row
        await PersonAsync("parent", "active", "Белова Мама", null);                       // parents are not in the report
        Petrova = await PersonAsync("teacher", "active", "Петрова Анна Сергеевна", null);
        Sidorov = await PersonAsync("teacher", "active", "Сидоров Иван", null);
        Director = await PersonAsync("admin", "active", "Директор Школы", null);
        IdleAdmin = await PersonAsync("admin", "active", "Завуч Без Уроков", null);       // taught nothing: no row
        await db.ExecuteAsync("INSERT INTO teacher_profiles (person_id, association_id) VALUES (@p, @a)", ("p", Petrova), ("a", association));

        // Days active and messages: Belova 3 days / 6 messages, Forgotten 1 / 2, Petrova 2 / 11.
        await ActivityAsync(Belova, new DateOnly(2026, 9, 30), 5);  // outside
        await ActivityAsync(Belova, new DateOnly(2026, 10, 1), 3);
        await ActivityAsync(Belova, new DateOnly(2026, 10, 15), 2);
        await ActivityAsync(Belova, new DateOnly(2026, 10, 31), 1);
        await ActivityAsync(Belova, new DateOnly(2026, 11, 1), 4);  // outside
        await ActivityAsync(Forgotten, new DateOnly(2026, 10, 10), 2);
        await ActivityAsync(Petrova, new DateOnly(2026, 10, 5), 10);
        await ActivityAsync(Petrova, new DateOnly(2026, 10, 6), 1);

        // Questions. Belova asks q1 (2 h), q2 (6 h, to any teacher, taken by Petrova), q3 (answered only in November);
        // q4 was asked before the month (23:30 on 30 September, Moscow) and answered in it (10.5 h); the forgotten student
        // asks q5 (open); q6 is Belova's anonymous question to the psychologist (answered after 20 h): Petrova's, not Belova's.
        await QuestionAsync(Belova, math, Petrova, Msk(10, 1, 0, 30), Msk(10, 1, 2, 30));
        await QuestionAsync(Belova, math, Petrova, Msk(10, 10, 10), Msk(10, 10, 16));
        await QuestionAsync(Belova, math, Petrova, Msk(10, 31, 20), Msk(11, 1, 9));
        await QuestionAsync(Belova, math, Petrova, Msk(9, 30, 23, 30), Msk(10, 1, 10));
        await QuestionAsync(Forgotten, math, Petrova, Msk(10, 12, 12), null);
        await QuestionAsync(Belova, math, Petrova, Msk(10, 20, 12), Msk(10, 21, 8), anonymous: true);

        // Consultations of Petrova: sl1 (group, 5 Oct): Belova present, Antonov absent; sl2 (25 Oct, individual): Belova
        // booked, Antonov waiting; sl3 (15 Oct) cancelled with its bookings; sl4 starts at 00:30 on 1 November, Moscow
        // (inside October in UTC): outside; sl5 starts at 00:15 on 1 October, Moscow (still 30 September in UTC): inside.
        var sl1 = await SlotAsync(Petrova, Msk(10, 5, 15), "group", 10, "open", 2);
        var sl2 = await SlotAsync(Petrova, Msk(10, 25, 10), "individual", 1, "open", 1);
        var sl3 = await SlotAsync(Petrova, Msk(10, 15, 10), "group", 10, "cancelled", 0);
        var sl4 = await SlotAsync(Petrova, Msk(11, 1, 0, 30), "individual", 1, "open", 1);
        var sl5 = await SlotAsync(Petrova, Msk(10, 1, 0, 15), "individual", 1, "open", 1);
        await BookingAsync(sl1, Belova, "active", "present");
        await BookingAsync(sl1, Antonov, "active", "absent");
        await BookingAsync(sl2, Belova, "active", null);
        await BookingAsync(sl2, Antonov, "waiting", null);
        await BookingAsync(sl3, Belova, "cancelled", null);
        await BookingAsync(sl3, Antonov, "cancelled", null);
        await BookingAsync(sl4, Belova, "active", "present");
        await BookingAsync(sl5, Antonov, "active", "present");

        // Materials: Petrova 2 in the month (one at 23:00 on 31 October, Moscow) and 1 at 00:10 on 1 November; the director 1.
        await MaterialAsync(Petrova, math, Msk(10, 2, 9));
        await MaterialAsync(Petrova, math, Msk(10, 31, 23));
        await MaterialAsync(Petrova, math, Msk(11, 1, 0, 10));
        await MaterialAsync(Director, math, Msk(10, 14, 9));
    }

    private Task<long> PersonAsync(string role, string status, string? name, long? group, DateTimeOffset? created = null) =>
        db.ScalarAsync<long>(
            """
            INSERT INTO persons (role, status, full_name, group_id, consented_at, created_at)
            VALUES (@role, @status, @name, @group, @created, @created) RETURNING id
            """,
            ("role", role), ("status", status), ("name", (object?)name ?? DBNull.Value), ("group", (object?)group ?? DBNull.Value),
            ("created", created ?? Msk(9, 1, 9)));

    private Task ActivityAsync(long person, DateOnly day, int messages) =>
        db.ExecuteAsync("INSERT INTO person_activity (person_id, day, messages) VALUES (@p, @d, @m)", ("p", person), ("d", day), ("m", messages));

    private Task QuestionAsync(long asker, long subject, long teacher, DateTimeOffset created, DateTimeOffset? answered, bool anonymous = false) =>
        db.ExecuteAsync(
            """
            INSERT INTO questions (asker_id, subject_id, teacher_id, confidential, anonymous, status, waiting_since, first_answered_at,
                                   answered_by, created_at)
            VALUES (@asker, @subject, @teacher, @anonymous, @anonymous, CASE WHEN @answered::timestamptz IS NULL THEN 'open' ELSE 'answered' END,
                    CASE WHEN @answered::timestamptz IS NULL THEN @created END, @answered,
                    CASE WHEN @answered::timestamptz IS NULL THEN NULL ELSE @teacher END, @created)
            """,
            ("asker", asker), ("subject", subject), ("teacher", teacher), ("anonymous", anonymous), ("created", created),
            ("answered", (object?)answered ?? DBNull.Value));

    private Task<long> SlotAsync(long teacher, DateTimeOffset start, string kind, int capacity, string status, int booked) =>
        db.ScalarAsync<long>(
            """
            INSERT INTO consultation_slots (teacher_id, starts_at, ends_at, kind, capacity, booked, purpose, status)
            VALUES (@t, @s, @s + interval '45 minutes', @kind, @cap, @booked, 'review', @status) RETURNING id
            """,
            ("t", teacher), ("s", start), ("kind", kind), ("cap", capacity), ("booked", booked), ("status", status));

    private Task BookingAsync(long slot, long student, string status, string? attendance) =>
        db.ExecuteAsync(
            """
            INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, attendance)
            VALUES (@slot, @student, @student, @status, @attendance)
            """,
            ("slot", slot), ("student", student), ("status", status), ("attendance", (object?)attendance ?? DBNull.Value));

    private Task MaterialAsync(long teacher, long subject, DateTimeOffset at) =>
        db.ExecuteAsync(
            "INSERT INTO materials (teacher_id, subject_id, kind, title, url, created_at) VALUES (@t, @s, 'material', 'Тема', 'https://example.org/m', @at)",
            ("t", teacher), ("s", subject), ("at", at));
}
