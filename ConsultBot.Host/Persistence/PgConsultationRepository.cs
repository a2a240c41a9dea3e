using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// Slots and seats on PostgreSQL, inside the caller's transaction. Methods that guard themselves with a savepoint
/// (publish, take a seat, reschedule, template slots) need one to be open: the pipeline's SQL-level BEGIN or an
/// <see cref="NpgsqlTransaction"/>. Business times come from parameters, never from the database's clock, so a fake
/// clock in tests means the same everywhere; <c>now()</c> only stamps rows (updated_at, activated_at).
/// Names are read from persons: in the pipeline a name changed in the same turn is not visible yet (decision 004).
/// </summary>
public sealed class PgConsultationRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IConsultationRepository
{
    private const string SlotColumns =
        """
        s.id, s.teacher_id, coalesce(t.full_name, ''), s.subject_id, sub.name, s.starts_at, s.ends_at, s.kind, s.capacity, s.booked,
        (SELECT count(*)::int FROM consultation_bookings w WHERE w.slot_id = s.id AND w.status = 'waiting'),
        s.purpose, s.topic_title, s.attestation_prep, s.link, s.room, s.note, s.status = 'cancelled'
        """;

    private const int SlotColumnCount = 18;

    private const string SlotJoins = "JOIN persons t ON t.id = s.teacher_id LEFT JOIN subjects sub ON sub.id = s.subject_id";

    private const string SlotFrom = "consultation_slots s " + SlotJoins;

    private const string BookingColumns =
        "b.id, " + SlotColumns + ", b.student_id, coalesce(st.full_name, ''), g.name, b.booked_by, b.status, b.topic, b.attendance";

    private const string StudentJoins = "JOIN persons st ON st.id = b.student_id LEFT JOIN school_groups g ON g.id = st.group_id";

    private const string BookingFrom = "consultation_bookings b JOIN consultation_slots s ON s.id = b.slot_id " + SlotJoins + " " + StudentJoins;

    // One statement: the seat is counted and the booking written only if the slot is open, far enough ahead, has a
    // free seat, and the student holds no booking in it, no overlapping booking and fewer than the allowed active
    // bookings. The UPDATE's row lock serialises attempts on one slot; the CHECK on booked is the backstop.
    // Bookings count toward the limit while their slot ends after @until (the booking horizon, from the caller's
    // clock): one ending sooner can no longer overlap a bookable slot anyway.
    private const string TakeSeatSql =
        """
        WITH target AS (
            SELECT id, starts_at, ends_at, status = 'open' AND starts_at > @until AS bookable FROM consultation_slots WHERE id = @slot
        ), mine AS (
            SELECT b.slot_id, s.starts_at, s.ends_at
            FROM consultation_bookings b JOIN consultation_slots s ON s.id = b.slot_id
            WHERE b.student_id = @student AND b.status IN ('active', 'waiting') AND s.status = 'open' AND s.ends_at > @until
        ), checks AS (
            SELECT EXISTS (SELECT 1 FROM mine WHERE slot_id = @slot) AS already,
                   (SELECT count(*) FROM mine) >= @maxActive AS limit_reached,
                   EXISTS (SELECT 1 FROM mine m, target t
                           WHERE m.slot_id <> t.id AND tstzrange(m.starts_at, m.ends_at) && tstzrange(t.starts_at, t.ends_at)) AS overlapping
        ), seat AS (
            UPDATE consultation_slots SET booked = booked + 1
            WHERE id = @slot AND status = 'open' AND starts_at > @until AND booked < capacity
              AND NOT (SELECT already OR limit_reached OR overlapping FROM checks)
            RETURNING id
        ), booking AS (
            INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, topic, activated_at)
            SELECT id, @student, @by, 'active', @topic, now() FROM seat
            RETURNING id
        )
        SELECT (SELECT id FROM booking), c.already, c.limit_reached, c.overlapping, (SELECT bookable FROM target)
        FROM checks c
        """;

    // The slot row is locked first, so a cancel and a promotion on the same slot never interleave. A booking in
    // @keep (the slot a reschedule moves to) is found but not cancelled.
    private const string CancelSql =
        """
        WITH target AS (
            SELECT b.id, b.slot_id, b.status, b.student_id, b.topic, s.starts_at > @until AS in_time
            FROM consultation_bookings b JOIN consultation_slots s ON s.id = b.slot_id
            WHERE b.id = @booking AND b.status IN ('active', 'waiting')
              AND (b.student_id = @me OR b.booked_by = @me
                   OR EXISTS (SELECT 1 FROM parent_links l WHERE l.parent_id = @me AND l.child_id = b.student_id))
            FOR UPDATE OF s, b
        ), cancelled AS (
            UPDATE consultation_bookings b SET status = 'cancelled', updated_at = now()
            FROM target t WHERE b.id = t.id AND t.in_time AND t.slot_id IS DISTINCT FROM @keep
            RETURNING t.slot_id, t.status AS was
        ), next AS (
            SELECT w.id FROM consultation_bookings w JOIN cancelled c ON w.slot_id = c.slot_id AND c.was = 'active'
            WHERE w.status = 'waiting' ORDER BY w.created_at, w.id LIMIT 1
            FOR UPDATE OF w
        ), promoted AS (
            UPDATE consultation_bookings b SET status = 'active', activated_at = now(), updated_at = now()
            FROM next n WHERE b.id = n.id
            RETURNING b.id, b.student_id
        ), seats AS (
            -- A row may be updated once per statement: the seat count changes only when nobody was waiting.
            UPDATE consultation_slots s SET booked = booked - 1
            FROM cancelled c WHERE s.id = c.slot_id AND c.was = 'active' AND NOT EXISTS (SELECT 1 FROM next)
            RETURNING s.id
        )
        SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM cancelled), p.id, p.student_id, t.slot_id, t.student_id, t.topic
        FROM (SELECT 1) one LEFT JOIN promoted p ON true LEFT JOIN target t ON true
        """;

    // Subjects

    public async Task<IReadOnlyList<Subject>> SubjectsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, name FROM subjects ORDER BY name, id");
        return await ReadSubjectsAsync(command, cancellationToken);
    }

    public async Task<Subject> AddSubjectAsync(string name, CancellationToken cancellationToken)
    {
        // The insert and the look-up share a snapshot: when a concurrent insert of the same name wins, neither sees
        // it, and the second attempt (a new snapshot) finds it.
        for (var attempt = 0; ; attempt++)
        {
            await using var command = Command(
                """
                WITH added AS (
                    INSERT INTO subjects (name) VALUES (@name) ON CONFLICT (lower(name)) DO NOTHING RETURNING id, name
                )
                SELECT id, name FROM added
                UNION ALL
                SELECT id, name FROM subjects WHERE lower(name) = lower(@name)
                LIMIT 1
                """);
            command.Parameters.AddWithValue("name", name);
            var subjects = await ReadSubjectsAsync(command, cancellationToken);
            if (subjects.Count > 0 || attempt == 1)
            {
                return subjects.Count > 0 ? subjects[0] : throw new InvalidOperationException("The subject was neither added nor found.");
            }
        }
    }

    public async Task<Subject?> GetSubjectAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, name FROM subjects WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        var subjects = await ReadSubjectsAsync(command, cancellationToken);
        return subjects.Count > 0 ? subjects[0] : null;
    }

    // Publishing

    public async Task<(PublishOutcome Outcome, SlotId? Slot)> PublishAsync(PersonId teacher, long? subjectId, SlotDraft draft,
        CancellationToken cancellationToken)
    {
        // A savepoint keeps the caller's transaction usable when the exclusion constraint refuses the slot.
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT publish_slot"));
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose, topic_title,
                attestation_prep, link, room, note)
            VALUES (@teacher, @subject, @start, @end, @kind, @capacity, @purpose, @topic, @prep, @link, @room, @note)
            RETURNING id
            """);
        insert.Parameters.AddWithValue("teacher", teacher.Value);
        insert.Parameters.Add(Bigint("subject", subjectId));
        insert.Parameters.AddWithValue("start", draft.Start.ToUniversalTime());
        insert.Parameters.AddWithValue("end", draft.End.ToUniversalTime());
        insert.Parameters.AddWithValue("kind", KindKey(draft.Kind));
        insert.Parameters.AddWithValue("capacity", draft.Capacity);
        insert.Parameters.AddWithValue("purpose", PurposeKey(draft.Purpose));
        insert.Parameters.Add(Text("topic", draft.TopicTitle));
        insert.Parameters.AddWithValue("prep", draft.PreparesForAttestation);
        insert.Parameters.Add(Text("link", draft.Link));
        insert.Parameters.Add(Text("room", draft.Room));
        insert.Parameters.Add(Text("note", draft.Note));
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT publish_slot"));
        try
        {
            var id = (long)(await batch.ExecuteScalarAsync(cancellationToken))!;
            return (PublishOutcome.Published, new SlotId(id));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT publish_slot; RELEASE SAVEPOINT publish_slot", cancellationToken);
            return (PublishOutcome.OverlapsAnotherSlot, null);
        }
    }

    public async Task<int> ScheduledMinutesAsync(PersonId teacher, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT coalesce(sum(extract(epoch FROM ends_at - starts_at)) / 60, 0)::int
            FROM consultation_slots
            WHERE teacher_id = @teacher AND status = 'open' AND starts_at >= @from AND starts_at < @to
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<double?> WeeklyCapAsync(PersonId teacher, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT weekly_cap_hours::float8 FROM teacher_settings WHERE person_id = @teacher");
        command.Parameters.AddWithValue("teacher", teacher.Value);
        return await command.ExecuteScalarAsync(cancellationToken) is double hours ? hours : null;
    }

    public async Task SetWeeklyCapAsync(PersonId teacher, double hours, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO teacher_settings (person_id, weekly_cap_hours) VALUES (@teacher, @hours)
            ON CONFLICT (person_id) DO UPDATE SET weekly_cap_hours = excluded.weekly_cap_hours
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("hours", (decimal)hours);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TeacherSummary>> TeachersAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT p.id, coalesce(p.full_name, ''), c.weekly_cap_hours::float8
            FROM persons p LEFT JOIN teacher_settings c ON c.person_id = p.id
            WHERE p.status = 'active' AND p.role IN ('teacher', 'admin')
            ORDER BY p.full_name, p.id
            """);
        return await ReadTeachersAsync(command, cancellationToken);
    }

    // Browsing

    public async Task<IReadOnlyList<Subject>> SubjectsWithOpenSlotsAsync(DateTimeOffset bookableAfter, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT sub.id, sub.name FROM subjects sub
            WHERE EXISTS (SELECT 1 FROM consultation_slots s WHERE s.subject_id = sub.id AND s.status = 'open' AND s.starts_at > @after)
            ORDER BY sub.name, sub.id
            """);
        command.Parameters.AddWithValue("after", bookableAfter.ToUniversalTime());
        return await ReadSubjectsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TeacherSummary>> TeachersWithOpenSlotsAsync(long subjectId, DateTimeOffset bookableAfter,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT p.id, coalesce(p.full_name, ''), c.weekly_cap_hours::float8
            FROM persons p LEFT JOIN teacher_settings c ON c.person_id = p.id
            WHERE EXISTS (SELECT 1 FROM consultation_slots s
                          WHERE s.teacher_id = p.id AND s.subject_id = @subject AND s.status = 'open' AND s.starts_at > @after)
            ORDER BY p.full_name, p.id
            """);
        command.Parameters.AddWithValue("subject", subjectId);
        command.Parameters.AddWithValue("after", bookableAfter.ToUniversalTime());
        return await ReadTeachersAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<SlotView>> OpenSlotsAsync(SlotQuery query, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT {SlotColumns}
            FROM {SlotFrom}
            WHERE s.status = 'open' AND s.starts_at > @after
              AND (@subject IS NULL OR s.subject_id = @subject)
              AND (@teacher IS NULL OR s.teacher_id = @teacher)
              AND (@except IS NULL OR s.id <> @except)
            ORDER BY s.starts_at, s.id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("after", query.BookableAfter.ToUniversalTime());
        command.Parameters.Add(Bigint("subject", query.SubjectId));
        command.Parameters.Add(Bigint("teacher", query.TeacherId?.Value));
        command.Parameters.Add(Bigint("except", query.Except?.Value));
        command.Parameters.AddWithValue("limit", query.Limit);
        return await ReadSlotsAsync(command, cancellationToken);
    }

    public async Task<SlotView?> GetSlotAsync(SlotId slot, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT {SlotColumns} FROM {SlotFrom} WHERE s.id = @slot");
        command.Parameters.AddWithValue("slot", slot.Value);
        var slots = await ReadSlotsAsync(command, cancellationToken);
        return slots.Count > 0 ? slots[0] : null;
    }

    public async Task<IReadOnlyList<SlotView>> TeacherSlotsAsync(PersonId teacher, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT {SlotColumns}
            FROM {SlotFrom}
            WHERE s.teacher_id = @teacher AND s.status = 'open' AND s.ends_at > @from AND s.starts_at < @to
            ORDER BY s.starts_at, s.id
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        return await ReadSlotsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<BookingView>> BookingsOfSlotAsync(SlotId slot, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT {BookingColumns}
            FROM {BookingFrom}
            WHERE b.slot_id = @slot AND b.status IN ('active', 'waiting')
            ORDER BY b.status = 'waiting', b.created_at, b.id
            """);
        command.Parameters.AddWithValue("slot", slot.Value);
        return await ReadBookingsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<BookingView>> BookingsOfAsync(PersonId person, DateTimeOffset endsAfter, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT {BookingColumns}
            FROM {BookingFrom}
            WHERE b.status IN ('active', 'waiting') AND s.status = 'open' AND s.ends_at > @after
              AND (b.student_id = @me OR b.booked_by = @me
                   OR b.student_id IN (SELECT l.child_id FROM parent_links l WHERE l.parent_id = @me))
            ORDER BY s.starts_at, b.id
            """);
        command.Parameters.AddWithValue("me", person.Value);
        command.Parameters.AddWithValue("after", endsAfter.ToUniversalTime());
        return await ReadBookingsAsync(command, cancellationToken);
    }

    public async Task<BookingView?> GetBookingAsync(BookingId booking, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT {BookingColumns} FROM {BookingFrom} WHERE b.id = @booking");
        command.Parameters.AddWithValue("booking", booking.Value);
        var bookings = await ReadBookingsAsync(command, cancellationToken);
        return bookings.Count > 0 ? bookings[0] : null;
    }

    // Seats

    public async Task<(SeatOutcome Outcome, BookingId? Booking)> TakeSeatAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic,
        DateTimeOffset bookableUntil, int maxActiveBookings, CancellationToken cancellationToken)
    {
        // The checks read the statement's snapshot, so two attempts of one student on one slot can both pass them; the
        // later one then meets the unique index consultation_bookings_once. The savepoint (sent in the same round trip)
        // turns that into AlreadyBooked and leaves the caller's transaction usable.
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT take_seat"));
        var take = new NpgsqlBatchCommand(TakeSeatSql);
        take.Parameters.AddWithValue("slot", slot.Value);
        take.Parameters.AddWithValue("student", student.Value);
        take.Parameters.AddWithValue("by", bookedBy.Value);
        take.Parameters.Add(Text("topic", topic));
        take.Parameters.AddWithValue("until", bookableUntil.ToUniversalTime());
        take.Parameters.AddWithValue("maxActive", maxActiveBookings);
        batch.BatchCommands.Add(take);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT take_seat"));
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (!reader.IsDBNull(0))
            {
                return (SeatOutcome.Booked, new BookingId(reader.GetInt64(0)));
            }
            if (reader.IsDBNull(4) || !reader.GetBoolean(4))
            {
                return (SeatOutcome.Closed, null);
            }
            if (reader.GetBoolean(1))
            {
                return (SeatOutcome.AlreadyBooked, null);
            }
            if (reader.GetBoolean(3))
            {
                return (SeatOutcome.OverlapsAnotherBooking, null);
            }
            return (reader.GetBoolean(2) ? SeatOutcome.LimitReached : SeatOutcome.Full, null);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT take_seat; RELEASE SAVEPOINT take_seat", cancellationToken);
            return (SeatOutcome.AlreadyBooked, null);
        }
    }

    public async Task<BookingId?> JoinWaitlistAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic,
        CancellationToken cancellationToken)
    {
        // FOR SHARE waits for a slot cancellation in progress and then sees the slot cancelled.
        await using var command = Command(
            """
            INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, topic)
            SELECT id, @student, @by, 'waiting', @topic FROM consultation_slots WHERE id = @slot AND status = 'open' FOR SHARE
            ON CONFLICT (slot_id, student_id) WHERE status IN ('active', 'waiting') DO NOTHING
            RETURNING id
            """);
        command.Parameters.AddWithValue("slot", slot.Value);
        command.Parameters.AddWithValue("student", student.Value);
        command.Parameters.AddWithValue("by", bookedBy.Value);
        command.Parameters.Add(Text("topic", topic));
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? new BookingId(id) : null;
    }

    public async Task<(CancelOutcome Outcome, Promotion? Promoted)> CancelAsync(BookingId booking, PersonId requester,
        DateTimeOffset cancellableUntil, CancellationToken cancellationToken)
    {
        await using var command = Command(CancelSql);
        AddCancelParameters(command.Parameters, booking, requester, cancellableUntil, keep: null);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = await ReadCancelAsync(reader, cancellationToken);
        return (result.Outcome, result.Promoted);
    }

    public async Task<RescheduleResult> RescheduleAsync(BookingId booking, PersonId requester, SlotId to, DateTimeOffset cancellableUntil,
        DateTimeOffset bookableUntil, int maxActiveBookings, CancellationToken cancellationToken)
    {
        CancelRead cancel;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT reschedule"));
            var cancelCommand = new NpgsqlBatchCommand(CancelSql);
            AddCancelParameters(cancelCommand.Parameters, booking, requester, cancellableUntil, keep: to);
            batch.BatchCommands.Add(cancelCommand);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            cancel = await ReadCancelAsync(reader, cancellationToken);
        }

        if (cancel.Outcome != CancelOutcome.Cancelled)
        {
            // Nothing was changed: no such booking, too late to cancel, or it already is in the target slot.
            await ExecuteAsync("RELEASE SAVEPOINT reschedule", cancellationToken);
            return cancel.Slot == to
                ? new RescheduleResult(CancelOutcome.Cancelled, SeatOutcome.AlreadyBooked, null, null)
                : new RescheduleResult(cancel.Outcome, null, null, null);
        }

        var (seat, newBooking) = await TakeSeatAsync(to, cancel.Student!.Value, requester, cancel.Topic, bookableUntil, maxActiveBookings,
            cancellationToken);
        if (seat != SeatOutcome.Booked)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT reschedule; RELEASE SAVEPOINT reschedule", cancellationToken);
            return new RescheduleResult(CancelOutcome.Cancelled, seat, null, null);
        }
        await ExecuteAsync("RELEASE SAVEPOINT reschedule", cancellationToken);
        return new RescheduleResult(CancelOutcome.Cancelled, SeatOutcome.Booked, newBooking, cancel.Promoted);
    }

    public async Task<IReadOnlyList<BookingView>?> CancelSlotAsync(SlotId slot, PersonId teacher, string reason, CancellationToken cancellationToken)
    {
        // The lock comes first, in a statement of its own: the cancelling statement's snapshot, taken after it, sees
        // every seat taken before the lock. (A seat taken meanwhile waits for the lock, then finds the slot cancelled.)
        // The returned views show the bookings as they were and their slot as cancelled.
        await using var batch = new NpgsqlBatch(connection, transaction);
        var lockSlot = new NpgsqlBatchCommand(
            "SELECT id FROM consultation_slots WHERE id = @slot AND teacher_id = @teacher AND status = 'open' FOR UPDATE");
        lockSlot.Parameters.AddWithValue("slot", slot.Value);
        lockSlot.Parameters.AddWithValue("teacher", teacher.Value);
        batch.BatchCommands.Add(lockSlot);
        var cancel = new NpgsqlBatchCommand(
            $"""
            WITH target AS (
                SELECT id FROM consultation_slots WHERE id = @slot AND teacher_id = @teacher AND status = 'open'
            ), gone AS (
                SELECT b.id FROM consultation_bookings b JOIN target t ON b.slot_id = t.id WHERE b.status IN ('active', 'waiting')
            ), cancelled_bookings AS (
                UPDATE consultation_bookings b SET status = 'cancelled', updated_at = now() FROM gone WHERE b.id = gone.id
            ), cancelled_slot AS (
                UPDATE consultation_slots s SET status = 'cancelled', cancel_reason = @reason, booked = 0 FROM target WHERE s.id = target.id
            )
            SELECT b.id, {SlotColumns}, b.student_id, coalesce(st.full_name, ''), g.name, b.booked_by, b.status, b.topic, b.attendance
            FROM target JOIN consultation_slots s ON s.id = target.id {SlotJoins}
            LEFT JOIN (gone JOIN consultation_bookings b ON b.id = gone.id {StudentJoins}) ON true
            ORDER BY b.status = 'waiting', b.created_at, b.id
            """);
        cancel.Parameters.AddWithValue("slot", slot.Value);
        cancel.Parameters.AddWithValue("teacher", teacher.Value);
        cancel.Parameters.AddWithValue("reason", reason);
        batch.BatchCommands.Add(cancel);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var bookings = new List<BookingView>();
        var found = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            found = true;
            if (!reader.IsDBNull(0))
            {
                var view = ReadBooking(reader);
                bookings.Add(view with { Slot = view.Slot with { Cancelled = true } });
            }
        }
        return found ? bookings : null;
    }

    public async Task<bool> MarkAttendanceAsync(BookingId booking, PersonId teacher, Attendance attendance, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            UPDATE consultation_bookings b SET attendance = @attendance, updated_at = now()
            FROM consultation_slots s
            WHERE b.id = @booking AND s.id = b.slot_id AND s.teacher_id = @teacher AND b.status = 'active' AND s.starts_at <= @now
            """);
        command.Parameters.AddWithValue("booking", booking.Value);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("attendance", AttendanceKey(attendance));
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    // Office hours

    public async Task<OfficeHours> AddOfficeHoursAsync(OfficeHours template, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            INSERT INTO office_hours (teacher_id, subject_id, day_of_week, from_time, to_time, slot_minutes, link, room)
            VALUES (@teacher, @subject, @day, @from, @to, @minutes, @link, @room)
            RETURNING id, (SELECT name FROM subjects WHERE id = @subject)
            """);
        command.Parameters.AddWithValue("teacher", template.TeacherId.Value);
        command.Parameters.Add(Bigint("subject", template.SubjectId));
        command.Parameters.AddWithValue("day", (short)template.Day);
        command.Parameters.AddWithValue("from", template.From);
        command.Parameters.AddWithValue("to", template.To);
        command.Parameters.AddWithValue("minutes", template.SlotMinutes);
        command.Parameters.Add(Text("link", template.Link));
        command.Parameters.Add(Text("room", template.Room));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return template with { Id = reader.GetInt64(0), SubjectName = reader.IsDBNull(1) ? null : reader.GetString(1) };
    }

    public async Task<IReadOnlyList<OfficeHours>> OfficeHoursOfAsync(PersonId teacher, CancellationToken cancellationToken)
    {
        // Monday first, as the school's week.
        await using var command = Command(
            """
            SELECT o.id, o.teacher_id, o.subject_id, sub.name, o.day_of_week, o.from_time, o.to_time, o.slot_minutes, o.link, o.room
            FROM office_hours o LEFT JOIN subjects sub ON sub.id = o.subject_id
            WHERE o.teacher_id = @teacher AND o.active
            ORDER BY (o.day_of_week + 6) % 7, o.from_time, o.id
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        var templates = new List<OfficeHours>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            templates.Add(new OfficeHours
            {
                Id = reader.GetInt64(0),
                TeacherId = new PersonId(reader.GetInt64(1)),
                SubjectId = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                SubjectName = NullableString(reader, 3),
                Day = (DayOfWeek)reader.GetInt16(4),
                From = reader.GetFieldValue<TimeOnly>(5),
                To = reader.GetFieldValue<TimeOnly>(6),
                SlotMinutes = reader.GetInt32(7),
                Link = NullableString(reader, 8),
                Room = NullableString(reader, 9),
            });
        }
        return templates;
    }

    public async Task<bool> RemoveOfficeHoursAsync(long templateId, PersonId teacher, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // booked = 0 is re-checked on the slot row's latest version if a seat is taken concurrently; the NOT EXISTS
        // also keeps slots someone waits for.
        await using var command = Command(
            """
            WITH template AS (
                UPDATE office_hours SET active = false WHERE id = @template AND teacher_id = @teacher RETURNING id
            ), slots AS (
                UPDATE consultation_slots s SET status = 'cancelled'
                FROM template t
                WHERE s.template_id = t.id AND s.status = 'open' AND s.starts_at > @now AND s.booked = 0
                  AND NOT EXISTS (SELECT 1 FROM consultation_bookings b WHERE b.slot_id = s.id AND b.status IN ('active', 'waiting'))
            )
            SELECT count(*) FROM template
            """);
        command.Parameters.AddWithValue("template", templateId);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public async Task<IReadOnlySet<DateTimeOffset>> TemplateStartsAsync(long templateId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            "SELECT starts_at FROM consultation_slots WHERE template_id = @template AND starts_at >= @from AND starts_at < @to");
        command.Parameters.AddWithValue("template", templateId);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        var starts = new HashSet<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            starts.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }
        return starts;
    }

    public async Task<int> InsertTemplateSlotsAsync(OfficeHours template, IReadOnlyList<DateTimeOffset> starts, CancellationToken cancellationToken)
    {
        // The NOT EXISTS filter sees only slots stored before this statement, so starts overlapping each other are
        // thinned here first; otherwise the exclusion constraint would refuse the whole statement.
        var duration = TimeSpan.FromMinutes(template.SlotMinutes);
        var kept = new List<DateTime>();
        foreach (var start in starts.Select(s => s.UtcDateTime).Distinct().Order())
        {
            if (kept.Count == 0 || kept[^1] + duration <= start)
            {
                kept.Add(start);
            }
        }
        if (kept.Count == 0)
        {
            return 0;
        }

        // A slot published concurrently can still overlap: the savepoint turns that into "nothing added this time"
        // (generation is idempotent; the next run fills the gaps) instead of a failed transaction.
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT template_slots"));
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose, link, room, template_id)
            SELECT @teacher, @subject, n.starts_at, n.starts_at + make_interval(mins => @minutes), 'individual', 1, 'review', @link, @room, @template
            FROM unnest(@starts) AS n (starts_at)
            WHERE NOT EXISTS (
                SELECT 1 FROM consultation_slots o
                WHERE o.teacher_id = @teacher AND o.status = 'open'
                  AND tstzrange(o.starts_at, o.ends_at) && tstzrange(n.starts_at, n.starts_at + make_interval(mins => @minutes)))
            ON CONFLICT (template_id, starts_at) WHERE template_id IS NOT NULL DO NOTHING
            """);
        insert.Parameters.AddWithValue("teacher", template.TeacherId.Value);
        insert.Parameters.Add(Bigint("subject", template.SubjectId));
        insert.Parameters.AddWithValue("minutes", template.SlotMinutes);
        insert.Parameters.Add(Text("link", template.Link));
        insert.Parameters.Add(Text("room", template.Room));
        insert.Parameters.AddWithValue("template", template.Id);
        insert.Parameters.Add(new NpgsqlParameter("starts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = kept.ToArray() });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT template_slots"));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return insert.RecordsAffected;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT template_slots; RELEASE SAVEPOINT template_slots", cancellationToken);
            return 0;
        }
    }

    // Helpers

    private sealed record CancelRead(CancelOutcome Outcome, Promotion? Promoted, SlotId? Slot, PersonId? Student, string? Topic);

    private static void AddCancelParameters(NpgsqlParameterCollection parameters, BookingId booking, PersonId requester, DateTimeOffset until,
        SlotId? keep)
    {
        parameters.AddWithValue("booking", booking.Value);
        parameters.AddWithValue("me", requester.Value);
        parameters.AddWithValue("until", until.ToUniversalTime());
        parameters.Add(Bigint("keep", keep?.Value));
    }

    private static async Task<CancelRead> ReadCancelAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) == 0)
        {
            return new CancelRead(CancelOutcome.NotFound, null, null, null, null);
        }
        var slot = new SlotId(reader.GetInt64(4));
        var student = new PersonId(reader.GetInt64(5));
        var topic = NullableString(reader, 6);
        if (reader.GetInt64(1) == 0)
        {
            return new CancelRead(CancelOutcome.TooLate, null, slot, student, topic);
        }
        var promoted = reader.IsDBNull(2) ? null : new Promotion(new BookingId(reader.GetInt64(2)), new PersonId(reader.GetInt64(3)));
        return new CancelRead(CancelOutcome.Cancelled, promoted, slot, student, topic);
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Bigint(string name, long? value) =>
        new(name, NpgsqlDbType.Bigint) { Value = value is { } v ? v : DBNull.Value };

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static async Task<IReadOnlyList<Subject>> ReadSubjectsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var subjects = new List<Subject>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            subjects.Add(new Subject(reader.GetInt64(0), reader.GetString(1)));
        }
        return subjects;
    }

    private static async Task<IReadOnlyList<TeacherSummary>> ReadTeachersAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var teachers = new List<TeacherSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            teachers.Add(new TeacherSummary(new PersonId(reader.GetInt64(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)));
        }
        return teachers;
    }

    private static async Task<IReadOnlyList<SlotView>> ReadSlotsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var slots = new List<SlotView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            slots.Add(ReadSlot(reader, 0));
        }
        return slots;
    }

    private static async Task<IReadOnlyList<BookingView>> ReadBookingsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var bookings = new List<BookingView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            bookings.Add(ReadBooking(reader));
        }
        return bookings;
    }

    private static SlotView ReadSlot(NpgsqlDataReader r, int o) => new(
        new SlotId(r.GetInt64(o)),
        new PersonId(r.GetInt64(o + 1)),
        r.GetString(o + 2),
        r.IsDBNull(o + 3) ? null : r.GetInt64(o + 3),
        NullableString(r, o + 4),
        r.GetFieldValue<DateTimeOffset>(o + 5),
        r.GetFieldValue<DateTimeOffset>(o + 6),
        r.GetString(o + 7) == "group" ? ConsultationKind.Group : ConsultationKind.Individual,
        r.GetInt32(o + 8),
        r.GetInt32(o + 9),
        r.GetInt32(o + 10),
        r.GetString(o + 11) == "topic" ? ConsultationPurpose.Topic : ConsultationPurpose.Review,
        NullableString(r, o + 12),
        r.GetBoolean(o + 13),
        NullableString(r, o + 14),
        NullableString(r, o + 15),
        NullableString(r, o + 16),
        r.GetBoolean(o + 17));

    /// <summary>Reads <see cref="BookingColumns"/>.</summary>
    private static BookingView ReadBooking(NpgsqlDataReader r)
    {
        const int o = 1 + SlotColumnCount;
        return new BookingView(
            new BookingId(r.GetInt64(0)),
            ReadSlot(r, 1),
            new PersonId(r.GetInt64(o)),
            r.GetString(o + 1),
            NullableString(r, o + 2),
            new PersonId(r.GetInt64(o + 3)),
            r.GetString(o + 4) switch
            {
                "active" => BookingStatus.Active,
                "waiting" => BookingStatus.Waiting,
                _ => BookingStatus.Cancelled,
            },
            NullableString(r, o + 5),
            r.IsDBNull(o + 6)
                ? null
                : r.GetString(o + 6) switch
                {
                    "present" => Attendance.Present,
                    "late" => Attendance.Late,
                    _ => Attendance.Absent,
                });
    }

    private static string? NullableString(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static string KindKey(ConsultationKind kind) => kind == ConsultationKind.Group ? "group" : "individual";

    private static string PurposeKey(ConsultationPurpose purpose) => purpose == ConsultationPurpose.Topic ? "topic" : "review";

    private static string AttendanceKey(Attendance attendance) => attendance switch
    {
        Attendance.Present => "present",
        Attendance.Late => "late",
        _ => "absent",
    };
}
