using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>Slots and seats on PostgreSQL, inside the caller's transaction.</summary>
public sealed class PgConsultationRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IConsultationRepository
{
    public async Task<(PublishOutcome Outcome, SlotId? Slot)> PublishAsync(PersonId teacher, long? subjectId, SlotDraft draft,
        CancellationToken cancellationToken)
    {
        // A savepoint keeps the caller's transaction usable when the exclusion constraint refuses the slot.
        await using (var savepoint = new NpgsqlCommand("SAVEPOINT publish_slot", connection, transaction))
        {
            await savepoint.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose, topic_title,
                attestation_prep, link, room)
            VALUES (@teacher, @subject, @start, @end, @kind, @capacity, @purpose, @topic, @prep, @link, @room)
            RETURNING id
            """, connection, transaction);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("subject", (object?)subjectId ?? DBNull.Value);
        command.Parameters.AddWithValue("start", draft.Start);
        command.Parameters.AddWithValue("end", draft.End);
        command.Parameters.AddWithValue("kind", draft.Kind == ConsultationKind.Group ? "group" : "individual");
        command.Parameters.AddWithValue("capacity", draft.Capacity);
        command.Parameters.AddWithValue("purpose", draft.Purpose == ConsultationPurpose.Topic ? "topic" : "review");
        command.Parameters.AddWithValue("topic", (object?)draft.TopicTitle ?? DBNull.Value);
        command.Parameters.AddWithValue("prep", draft.PreparesForAttestation);
        command.Parameters.AddWithValue("link", (object?)draft.Link ?? DBNull.Value);
        command.Parameters.AddWithValue("room", (object?)draft.Room ?? DBNull.Value);
        try
        {
            var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            await ExecuteAsync("RELEASE SAVEPOINT publish_slot", cancellationToken);
            return (PublishOutcome.Published, new SlotId(id));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT publish_slot", cancellationToken);
            return (PublishOutcome.OverlapsAnotherSlot, null);
        }
    }

    public async Task<(SeatOutcome Outcome, BookingId? Booking)> TakeSeatAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic,
        DateTimeOffset bookableUntil, int maxActiveBookings, CancellationToken cancellationToken)
    {
        // One statement: the seat is counted and the booking written only if the slot is open, far enough ahead,
        // has a free seat, and the student holds no booking in it, no overlapping booking and fewer than the allowed
        // active bookings. The UPDATE's row lock serialises attempts on one slot; the CHECK on booked is the backstop.
        await using var command = new NpgsqlCommand(
            """
            WITH target AS (
                SELECT id, starts_at, ends_at, status = 'open' AND starts_at > @until AS bookable FROM consultation_slots WHERE id = @slot
            ), mine AS (
                SELECT b.slot_id, s.starts_at, s.ends_at
                FROM consultation_bookings b JOIN consultation_slots s ON s.id = b.slot_id
                WHERE b.student_id = @student AND b.status IN ('active', 'waiting') AND s.status = 'open' AND s.ends_at > now()
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
                INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, topic)
                SELECT id, @student, @by, 'active', @topic FROM seat
                RETURNING id
            )
            SELECT (SELECT id FROM booking), c.already, c.limit_reached, c.overlapping, (SELECT bookable FROM target)
            FROM checks c
            """, connection, transaction);
        command.Parameters.AddWithValue("slot", slot.Value);
        command.Parameters.AddWithValue("student", student.Value);
        command.Parameters.AddWithValue("by", bookedBy.Value);
        command.Parameters.AddWithValue("topic", (object?)topic ?? DBNull.Value);
        command.Parameters.AddWithValue("until", bookableUntil);
        command.Parameters.AddWithValue("maxActive", maxActiveBookings);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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

    public async Task<BookingId?> JoinWaitlistAsync(SlotId slot, PersonId student, PersonId bookedBy, string? topic,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, topic)
            SELECT id, @student, @by, 'waiting', @topic FROM consultation_slots WHERE id = @slot AND status = 'open'
            ON CONFLICT (slot_id, student_id) WHERE status IN ('active', 'waiting') DO NOTHING
            RETURNING id
            """, connection, transaction);
        command.Parameters.AddWithValue("slot", slot.Value);
        command.Parameters.AddWithValue("student", student.Value);
        command.Parameters.AddWithValue("by", bookedBy.Value);
        command.Parameters.AddWithValue("topic", (object?)topic ?? DBNull.Value);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? new BookingId(id) : null;
    }

    public async Task<(CancelOutcome Outcome, Promotion? Promoted)> CancelAsync(BookingId booking, PersonId requester,
        DateTimeOffset cancellableUntil, CancellationToken cancellationToken)
    {
        // The slot row is locked first, so a cancel and a promotion on the same slot never interleave.
        await using var command = new NpgsqlCommand(
            """
            WITH target AS (
                SELECT b.id, b.slot_id, b.status, s.starts_at > @until AS in_time
                FROM consultation_bookings b JOIN consultation_slots s ON s.id = b.slot_id
                WHERE b.id = @booking AND (b.student_id = @me OR b.booked_by = @me) AND b.status IN ('active', 'waiting')
                FOR UPDATE OF s, b
            ), cancelled AS (
                UPDATE consultation_bookings b SET status = 'cancelled', updated_at = now()
                FROM target t WHERE b.id = t.id AND t.in_time
                RETURNING t.slot_id, t.status AS was
            ), next AS (
                SELECT w.id FROM consultation_bookings w JOIN cancelled c ON w.slot_id = c.slot_id AND c.was = 'active'
                WHERE w.status = 'waiting' ORDER BY w.created_at, w.id LIMIT 1
                FOR UPDATE OF w
            ), promoted AS (
                UPDATE consultation_bookings b SET status = 'active', updated_at = now()
                FROM next n WHERE b.id = n.id
                RETURNING b.id, b.student_id
            ), seats AS (
                -- A row may be updated once per statement: the seat count changes only when nobody was waiting.
                UPDATE consultation_slots s SET booked = booked - 1
                FROM cancelled c WHERE s.id = c.slot_id AND c.was = 'active' AND NOT EXISTS (SELECT 1 FROM next)
                RETURNING s.id
            )
            SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM cancelled), p.id, p.student_id
            FROM (SELECT 1) one LEFT JOIN promoted p ON true
            """, connection, transaction);
        command.Parameters.AddWithValue("booking", booking.Value);
        command.Parameters.AddWithValue("me", requester.Value);
        command.Parameters.AddWithValue("until", cancellableUntil);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) == 0)
        {
            return (CancelOutcome.NotFound, null);
        }
        if (reader.GetInt64(1) == 0)
        {
            return (CancelOutcome.TooLate, null);
        }
        return (CancelOutcome.Cancelled,
            reader.IsDBNull(2) ? null : new Promotion(new BookingId(reader.GetInt64(2)), new PersonId(reader.GetInt64(3))));
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
