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
        DateTimeOffset bookableUntil, CancellationToken cancellationToken)
    {
        // One statement: the seat is counted and the booking written only if the slot is open, far enough ahead,
        // has a free seat and the student holds no active or waiting booking in it. The row lock of the UPDATE
        // serialises concurrent attempts on the same slot; the CHECK on booked is the backstop.
        await using var command = new NpgsqlCommand(
            """
            WITH existing AS (
                SELECT 1 FROM consultation_bookings
                WHERE slot_id = @slot AND student_id = @student AND status IN ('active', 'waiting')
            ), seat AS (
                UPDATE consultation_slots SET booked = booked + 1
                WHERE id = @slot AND status = 'open' AND starts_at > @until AND booked < capacity AND NOT EXISTS (SELECT 1 FROM existing)
                RETURNING id
            ), booking AS (
                INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, topic)
                SELECT id, @student, @by, 'active', @topic FROM seat
                RETURNING id
            )
            SELECT (SELECT id FROM booking),
                   EXISTS (SELECT 1 FROM existing),
                   (SELECT status = 'open' AND starts_at > @until FROM consultation_slots WHERE id = @slot)
            """, connection, transaction);
        command.Parameters.AddWithValue("slot", slot.Value);
        command.Parameters.AddWithValue("student", student.Value);
        command.Parameters.AddWithValue("by", bookedBy.Value);
        command.Parameters.AddWithValue("topic", (object?)topic ?? DBNull.Value);
        command.Parameters.AddWithValue("until", bookableUntil);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.IsDBNull(0))
        {
            return (SeatOutcome.Booked, new BookingId(reader.GetInt64(0)));
        }
        if (reader.GetBoolean(1))
        {
            return (SeatOutcome.AlreadyBooked, null);
        }
        return (reader.IsDBNull(2) || !reader.GetBoolean(2) ? SeatOutcome.Closed : SeatOutcome.Full, null);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
