using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.Consultations;

/// <summary>The database's own guards for consultations: no overlapping slots, no overbooking.</summary>
public sealed class PgConsultationRepositoryTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Tomorrow = DateTimeOffset.UtcNow.Date.AddDays(1).AddHours(12);

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        await db.ExecuteAsync(
            """
            INSERT INTO persons (role, status, full_name)
            SELECT CASE WHEN g <= 2 THEN 'teacher' ELSE 'student' END, 'active', 'Person ' || g FROM generate_series(1, 60) g
            """);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PublishAsync_RefusesOverlappingSlotOfSameTeacher_AndKeepsTransactionUsable()
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var repository = new PgConsultationRepository(connection, tx);

        var first = await repository.PublishAsync(new PersonId(1), null, Slot(Tomorrow, 60), CancellationToken.None);
        var overlapping = await repository.PublishAsync(new PersonId(1), null, Slot(Tomorrow.AddMinutes(30), 60), CancellationToken.None);
        var adjacent = await repository.PublishAsync(new PersonId(1), null, Slot(Tomorrow.AddMinutes(60), 30), CancellationToken.None);
        var otherTeacher = await repository.PublishAsync(new PersonId(2), null, Slot(Tomorrow, 60), CancellationToken.None);
        await tx.CommitAsync();

        Assert.Equal(PublishOutcome.Published, first.Outcome);
        Assert.Equal(PublishOutcome.OverlapsAnotherSlot, overlapping.Outcome);
        Assert.Equal(PublishOutcome.Published, adjacent.Outcome);
        Assert.Equal(PublishOutcome.Published, otherTeacher.Outcome);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_slots"));
    }

    [Fact]
    public async Task PublishAsync_AllowsTimeOfACancelledSlot()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60));
        await db.ExecuteAsync("UPDATE consultation_slots SET status = 'cancelled' WHERE id = @id", ("id", slot.Value));

        Assert.NotNull(await PublishOrNullAsync(Slot(Tomorrow, 60)));
    }

    [Fact]
    public async Task TakeSeatAsync_GivesTheLastSeatToExactlyOne_Of50ConcurrentAttempts()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60) with { Capacity = 3 });
        Assert.Equal(SeatOutcome.Booked, (await TakeAsync(slot, 3)).Outcome);
        Assert.Equal(SeatOutcome.Booked, (await TakeAsync(slot, 4)).Outcome);

        var attempts = await Task.WhenAll(Enumerable.Range(5, 50).Select(student => Task.Run(() => TakeAsync(slot, student))));

        Assert.Single(attempts, a => a.Outcome == SeatOutcome.Booked);
        Assert.Equal(49, attempts.Count(a => a.Outcome == SeatOutcome.Full));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT booked FROM consultation_slots"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_bookings WHERE status = 'active'"));
    }

    [Fact]
    public async Task TakeSeatAsync_RefusesSecondBookingOfSameStudent()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60) with { Capacity = 5 });

        await TakeAsync(slot, 3);
        var again = await TakeAsync(slot, 3);

        Assert.Equal(SeatOutcome.AlreadyBooked, again.Outcome);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT booked FROM consultation_slots"));
    }

    [Fact]
    public async Task TakeSeatAsync_RefusesCancelledStartedOrTooCloseSlots()
    {
        var cancelled = await PublishAsync(Slot(Tomorrow, 60));
        await db.ExecuteAsync("UPDATE consultation_slots SET status = 'cancelled' WHERE id = @id", ("id", cancelled.Value));
        var soon = await PublishAsync(Slot(DateTimeOffset.UtcNow.AddMinutes(30), 30));

        Assert.Equal(SeatOutcome.Closed, (await TakeAsync(cancelled, 3)).Outcome);
        Assert.Equal(SeatOutcome.Closed, (await TakeAsync(soon, 3, notice: TimeSpan.FromHours(2))).Outcome);
        Assert.Equal(SeatOutcome.Closed, (await TakeAsync(new SlotId(999_999), 3)).Outcome);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_bookings"));
    }

    [Fact]
    public async Task Database_RefusesOverbooking_EvenWithoutTheRepository()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60));

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            db.ExecuteAsync("UPDATE consultation_slots SET booked = capacity + 1 WHERE id = @id", ("id", slot.Value)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [Fact]
    public async Task TakeSeatAsync_RefusesOverlappingBookingAndTheActiveLimit()
    {
        var morning = await PublishAsync(Slot(Tomorrow, 60));
        var sameTime = await PublishAsync(Slot(Tomorrow.AddMinutes(30), 60), teacher: 2);
        var later = await PublishAsync(Slot(Tomorrow.AddHours(3), 30));

        Assert.Equal(SeatOutcome.Booked, (await TakeAsync(morning, 3)).Outcome);
        Assert.Equal(SeatOutcome.OverlapsAnotherBooking, (await TakeAsync(sameTime, 3)).Outcome);
        Assert.Equal(SeatOutcome.LimitReached, (await TakeAsync(later, 3, maxActiveBookings: 1)).Outcome);
        Assert.Equal(SeatOutcome.Booked, (await TakeAsync(later, 3, maxActiveBookings: 2)).Outcome);
    }

    [Fact]
    public async Task CancelAsync_PromotesFirstWaiting_AndKeepsSeatCount()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60));
        var first = (await TakeAsync(slot, 3)).Booking!.Value;
        await TakeAsync(slot, 4);
        Assert.Equal(SeatOutcome.Full, (await TakeAsync(slot, 5)).Outcome);
        await WaitAsync(slot, 5);
        await WaitAsync(slot, 6);

        var (outcome, promoted) = await CancelAsync(first, requester: 3);

        Assert.Equal(CancelOutcome.Cancelled, outcome);
        Assert.Equal(new PersonId(5), promoted!.Student);
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT booked FROM consultation_slots"));
        Assert.Equal("4,5", await db.ScalarAsync<string>(
            "SELECT string_agg(student_id::text, ',' ORDER BY student_id) FROM consultation_bookings WHERE status = 'active'"));
        Assert.Equal(6L, await db.ScalarAsync<long>("SELECT student_id FROM consultation_bookings WHERE status = 'waiting'"));
    }

    [Fact]
    public async Task CancelAsync_FreesSeat_WhenNobodyWaits_AndRefusesStrangersAndLateCancels()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60));
        var booking = (await TakeAsync(slot, 3)).Booking!.Value;

        Assert.Equal(CancelOutcome.NotFound, (await CancelAsync(booking, requester: 4)).Outcome);
        Assert.Equal(CancelOutcome.TooLate, (await CancelAsync(booking, requester: 3, cutoff: TimeSpan.FromDays(2))).Outcome);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT booked FROM consultation_slots"));

        Assert.Equal(CancelOutcome.Cancelled, (await CancelAsync(booking, requester: 3)).Outcome);
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT booked FROM consultation_slots"));
        Assert.Equal(CancelOutcome.NotFound, (await CancelAsync(booking, requester: 3)).Outcome);
    }

    private async Task WaitAsync(SlotId slot, long student)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.NotNull(await new PgConsultationRepository(connection, null).JoinWaitlistAsync(slot, new PersonId(student), new PersonId(student),
            null, CancellationToken.None));
    }

    private async Task<(CancelOutcome Outcome, Promotion? Promoted)> CancelAsync(BookingId booking, long requester, TimeSpan? cutoff = null)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await new PgConsultationRepository(connection, tx).CancelAsync(booking, new PersonId(requester),
            DateTimeOffset.UtcNow + (cutoff ?? TimeSpan.FromHours(3)), CancellationToken.None);
        await tx.CommitAsync();
        return result;
    }

    private static SlotDraft Slot(DateTimeOffset start, int minutes) => new()
    {
        Start = start,
        DurationMinutes = minutes,
        Kind = ConsultationKind.Group,
        Capacity = 2,
        Purpose = ConsultationPurpose.Review,
        Link = "https://meet.school.example/a",
    };

    private async Task<SlotId> PublishAsync(SlotDraft draft, long teacher = 1) =>
        await PublishOrNullAsync(draft, teacher) ?? throw new InvalidOperationException("slot was not published");

    private async Task<SlotId?> PublishOrNullAsync(SlotDraft draft, long teacher = 1)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var (_, slot) = await new PgConsultationRepository(connection, tx).PublishAsync(new PersonId(teacher), null, draft, CancellationToken.None);
        await tx.CommitAsync();
        return slot;
    }

    private async Task<(SeatOutcome Outcome, BookingId? Booking)> TakeAsync(SlotId slot, long student, TimeSpan? notice = null,
        int maxActiveBookings = 3)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await new PgConsultationRepository(connection, tx).TakeSeatAsync(slot, new PersonId(student), new PersonId(student), null,
            DateTimeOffset.UtcNow + (notice ?? TimeSpan.FromHours(1)), maxActiveBookings, CancellationToken.None);
        await tx.CommitAsync();
        return result;
    }
}
