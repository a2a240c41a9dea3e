using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Host.Persistence;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.Consultations;

/// <summary>Consultations on PostgreSQL: the database's own guards (no overlapping slots, no overbooking) and every query of the port.</summary>
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

    [Fact]
    public async Task PublishAsync_StoresLocalTimesAsInstants_AndTheNote()
    {
        var local = Tomorrow.ToOffset(TimeSpan.FromHours(3));
        var slot = await PublishAsync(Slot(local, 45) with { Note = "Bring the workbook" });

        var view = await InTransactionAsync(r => r.GetSlotAsync(slot, CancellationToken.None));

        Assert.Equal(Tomorrow, view!.Start);
        Assert.Equal(Tomorrow.AddMinutes(45), view.End);
        Assert.Equal("Bring the workbook", view.Note);
    }

    [Fact]
    public async Task TakeSeatAsync_Gives20ConcurrentAttemptsOfOneStudent_OneSeat_WithoutBreakingTheirTransactions()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60) with { Capacity = 30 });

        // Like the update pipeline: a SQL-level transaction and no NpgsqlTransaction.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var connection = await db.DataSource.OpenConnectionAsync();
            await ExecuteAsync(connection, "BEGIN");
            var result = await new PgConsultationRepository(connection, null).TakeSeatAsync(slot, new PersonId(3), new PersonId(3), null,
                DateTimeOffset.UtcNow.AddHours(1), 3, CancellationToken.None);
            await ExecuteAsync(connection, "INSERT INTO audit_log (action, subject_id) VALUES ('seat attempt', 3)");
            await ExecuteAsync(connection, "COMMIT");
            return result.Outcome;
        })));

        Assert.Single(attempts, a => a == SeatOutcome.Booked);
        Assert.Equal(19, attempts.Count(a => a == SeatOutcome.AlreadyBooked));
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT booked FROM consultation_slots"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_bookings"));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task TakeSeatAsync_AndPromotion_RecordWhenTheBookingBecameActive()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60) with { Capacity = 2 });
        var first = (await TakeAsync(slot, 3)).Booking!.Value;
        await TakeAsync(slot, 4);
        var waiting = (await InTransactionAsync(r =>
            r.JoinWaitlistAsync(slot, new PersonId(5), new PersonId(5), null, CancellationToken.None)))!.Value;
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM consultation_bookings WHERE id = @id AND activated_at IS NOT NULL", ("id", waiting.Value)));

        await CancelAsync(first, requester: 3);

        Assert.Equal(2L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM consultation_bookings WHERE status = 'active' AND activated_at IS NOT NULL"));
    }

    [Fact]
    public async Task CancelAsync_AcceptsAParentOfTheStudent_AndRefusesOtherParents()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60));
        var booking = (await TakeAsync(slot, 3)).Booking!.Value;
        await db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id) VALUES (50, 3), (51, 4)");

        Assert.Equal(CancelOutcome.NotFound, (await CancelAsync(booking, requester: 51)).Outcome);
        Assert.Equal(CancelOutcome.Cancelled, (await CancelAsync(booking, requester: 50)).Outcome);
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT booked FROM consultation_slots"));
    }

    [Fact]
    public async Task RescheduleAsync_ChangesNothing_WhenTheTargetIsFull()
    {
        var from = await PublishAsync(Slot(Tomorrow, 60));
        var to = await PublishAsync(Slot(Tomorrow.AddHours(2), 60));
        var booking = (await TakeAsync(from, 3)).Booking!.Value;
        await TakeAsync(from, 4);
        await WaitAsync(from, 5);
        await TakeAsync(to, 6);
        await TakeAsync(to, 7);
        var before = await BookingsSnapshotAsync();

        var result = await RescheduleAsync(booking, requester: 3, to);

        Assert.Equal(new RescheduleResult(CancelOutcome.Cancelled, SeatOutcome.Full, null, null), result);
        Assert.False(result.Moved);
        Assert.Equal(before, await BookingsSnapshotAsync());
        Assert.Equal("2,2", await db.ScalarAsync<string>("SELECT string_agg(booked::text, ',' ORDER BY id) FROM consultation_slots"));
    }

    [Fact]
    public async Task RescheduleAsync_MovesTheBooking_AndPromotesTheFirstWaiting()
    {
        var from = await PublishAsync(Slot(Tomorrow, 60));
        var to = await PublishAsync(Slot(Tomorrow.AddHours(2), 60));
        await db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id) VALUES (50, 3)");
        var booking = (await TakeAsync(from, 3, topic: "Fractions")).Booking!.Value;
        await TakeAsync(from, 4);
        await WaitAsync(from, 5);

        var result = await RescheduleAsync(booking, requester: 50, to, maxActiveBookings: 1);

        Assert.True(result.Moved);
        Assert.Equal(new PersonId(5), result.Promoted!.Student);
        var moved = await InTransactionAsync(r => r.GetBookingAsync(result.NewBooking!.Value, CancellationToken.None));
        Assert.Equal((to, new PersonId(3), new PersonId(50), BookingStatus.Active, "Fractions"),
            (moved!.Slot.Id, moved.StudentId, moved.BookedBy, moved.Status, moved.Topic));
        Assert.Equal(BookingStatus.Cancelled, (await InTransactionAsync(r => r.GetBookingAsync(booking, CancellationToken.None)))!.Status);
        Assert.Equal("2,1", await db.ScalarAsync<string>("SELECT string_agg(booked::text, ',' ORDER BY id) FROM consultation_slots"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_bookings WHERE status = 'waiting'"));
    }

    [Fact]
    public async Task RescheduleAsync_RefusesSameSlot_StrangersAndLateMoves_WithoutChanges()
    {
        var from = await PublishAsync(Slot(Tomorrow, 60));
        var to = await PublishAsync(Slot(Tomorrow.AddHours(2), 60));
        var booking = (await TakeAsync(from, 3)).Booking!.Value;
        var before = await BookingsSnapshotAsync();

        Assert.Equal(new RescheduleResult(CancelOutcome.Cancelled, SeatOutcome.AlreadyBooked, null, null),
            await RescheduleAsync(booking, requester: 3, from));
        Assert.Equal(new RescheduleResult(CancelOutcome.NotFound, null, null, null), await RescheduleAsync(booking, requester: 4, to));
        Assert.Equal(new RescheduleResult(CancelOutcome.TooLate, null, null, null),
            await RescheduleAsync(booking, requester: 3, to, cutoff: TimeSpan.FromDays(2)));
        Assert.Equal(before, await BookingsSnapshotAsync());
        Assert.Equal("1,0", await db.ScalarAsync<string>("SELECT string_agg(booked::text, ',' ORDER BY id) FROM consultation_slots"));
    }

    [Fact]
    public async Task CancelSlotAsync_ReturnsEveryParticipant_AndClosesTheSlot()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60));
        await TakeAsync(slot, 3);
        await TakeAsync(slot, 4);
        await WaitAsync(slot, 5);

        Assert.Null(await InTransactionAsync(r => r.CancelSlotAsync(slot, new PersonId(2), "ill", CancellationToken.None)));
        var cancelled = await InTransactionAsync(r => r.CancelSlotAsync(slot, new PersonId(1), "ill", CancellationToken.None));

        Assert.Equal([(3L, BookingStatus.Active), (4L, BookingStatus.Active), (5L, BookingStatus.Waiting)],
            cancelled!.Select(b => (b.StudentId.Value, b.Status)));
        Assert.All(cancelled!, b => Assert.True(b.Slot.Cancelled));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_bookings WHERE status <> 'cancelled'"));
        Assert.Equal("cancelled ill", await db.ScalarAsync<string>("SELECT status || ' ' || cancel_reason FROM consultation_slots"));
        Assert.Equal(SeatOutcome.Closed, (await TakeAsync(slot, 6)).Outcome);
        Assert.Null(await InTransactionAsync(r => r.JoinWaitlistAsync(slot, new PersonId(6), new PersonId(6), null, CancellationToken.None)));
        Assert.Null(await InTransactionAsync(r => r.CancelSlotAsync(slot, new PersonId(1), "again", CancellationToken.None)));
    }

    [Fact]
    public async Task CancelSlotAsync_ReturnsAnEmptyList_WhenNobodyBooked()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60));

        Assert.Empty((await InTransactionAsync(r => r.CancelSlotAsync(slot, new PersonId(1), "moved", CancellationToken.None)))!);
        Assert.True((await InTransactionAsync(r => r.GetSlotAsync(slot, CancellationToken.None)))!.Cancelled);
    }

    [Fact]
    public async Task MarkAttendanceAsync_RefusesBeforeTheStart_OtherTeachersAndWaitingBookings()
    {
        var slot = await PublishAsync(Slot(Tomorrow, 60) with { Capacity = 2 });
        var booking = (await TakeAsync(slot, 3)).Booking!.Value;
        await TakeAsync(slot, 4);
        var waiting = (await InTransactionAsync(r => r.JoinWaitlistAsync(slot, new PersonId(5), new PersonId(5), null, CancellationToken.None)))!.Value;
        var started = Tomorrow.AddMinutes(5);

        Assert.False(await MarkAsync(booking, teacher: 1, Attendance.Present, Tomorrow.AddMinutes(-1)));
        Assert.False(await MarkAsync(booking, teacher: 2, Attendance.Present, started));
        Assert.False(await MarkAsync(waiting, teacher: 1, Attendance.Present, started));
        Assert.True(await MarkAsync(booking, teacher: 1, Attendance.Late, started));

        Assert.Equal(Attendance.Late, (await InTransactionAsync(r => r.GetBookingAsync(booking, CancellationToken.None)))!.Attendance);
    }

    [Fact]
    public async Task Views_CarryNamesSubjectsGroupsAndTheWaitlist()
    {
        await db.ExecuteAsync("INSERT INTO school_groups (name) VALUES ('7B')");
        await db.ExecuteAsync("UPDATE persons SET group_id = 1 WHERE id = 4");
        var algebra = await InTransactionAsync(r => r.AddSubjectAsync("Algebra", CancellationToken.None));
        var slot = await PublishAsync(Slot(Tomorrow, 60) with { Kind = ConsultationKind.Individual, Capacity = 1, Purpose = ConsultationPurpose.Topic,
            TopicTitle = "Quadratics", Link = null, Room = "12" }, subject: algebra.Id);
        await TakeAsync(slot, 4, topic: "Exam");
        await WaitAsync(slot, 3);
        await db.ExecuteAsync("UPDATE persons SET full_name = NULL WHERE id = 3"); // a name erased

        var view = (await InTransactionAsync(r => r.GetSlotAsync(slot, CancellationToken.None)))!;
        var bookings = await InTransactionAsync(r => r.BookingsOfSlotAsync(slot, CancellationToken.None));

        Assert.Equal(new SlotView(slot, new PersonId(1), "Person 1", algebra.Id, "Algebra", Tomorrow, Tomorrow.AddHours(1),
            ConsultationKind.Individual, 1, 1, 1, ConsultationPurpose.Topic, "Quadratics", false, null, "12", null, false), view);
        Assert.True(view.Full);
        Assert.Equal([(4L, "Person 4", "7B", BookingStatus.Active, "Exam"), (3L, "", null, BookingStatus.Waiting, null)],
            bookings.Select(b => (b.StudentId.Value, b.StudentName, b.StudentGroup, b.Status, b.Topic)));
        Assert.All(bookings, b => Assert.Equal(view, b.Slot));
    }

    [Fact]
    public async Task ForgetPerson_GivesTheStudentsSeatToTheFirstWaiting_AndDropsTheirWaitlistPlaces()
    {
        var full = await PublishAsync(Slot(Tomorrow, 60) with { Kind = ConsultationKind.Individual, Capacity = 1 });
        var other = await PublishAsync(Slot(Tomorrow.AddHours(2), 60) with { Kind = ConsultationKind.Individual, Capacity = 1 });
        var free = await PublishAsync(Slot(Tomorrow.AddHours(4), 60));
        await TakeAsync(full, 3);
        var waiting = await WaitAsync(full, 4);
        await TakeAsync(other, 5);
        await WaitAsync(other, 3);
        await TakeAsync(free, 3);

        await db.ExecuteAsync("SELECT forget_person(3)");

        var promoted = (await InTransactionAsync(r => r.GetBookingAsync(waiting, CancellationToken.None)))!;
        Assert.Equal(BookingStatus.Active, promoted.Status);
        Assert.Equal(1, promoted.Slot.Booked);
        var otherSlot = await InTransactionAsync(r => r.BookingsOfSlotAsync(other, CancellationToken.None));
        Assert.Equal([5L], otherSlot.Select(b => b.StudentId.Value));
        Assert.Equal(0, (await InTransactionAsync(r => r.GetSlotAsync(free, CancellationToken.None)))!.Booked);
    }

    [Fact]
    public async Task BookingsOfAsync_ListsOwnMadeAndChildrensBookings_OnOpenSlotsStillToEnd()
    {
        await db.ExecuteAsync("INSERT INTO parent_links (parent_id, child_id) VALUES (50, 3), (50, 4)");
        var later = await PublishAsync(Slot(Tomorrow.AddHours(3), 60));
        var sooner = await PublishAsync(Slot(Tomorrow, 60), teacher: 2);
        var ended = await PublishAsync(Slot(Tomorrow.AddDays(-3), 60));
        var cancelledSlot = await PublishAsync(Slot(Tomorrow.AddHours(6), 60));
        await TakeAsync(later, 3);
        await TakeAsync(sooner, 4);
        await TakeAsync(later, 5, bookedBy: 50);
        await TakeAsync(later, 6);
        await db.ExecuteAsync("INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status) VALUES (@s, 3, 3, 'active')",
            ("s", ended.Value));
        await TakeAsync(cancelledSlot, 3);
        await InTransactionAsync(r => r.CancelSlotAsync(cancelledSlot, new PersonId(1), "x", CancellationToken.None));

        var parent = await InTransactionAsync(r => r.BookingsOfAsync(new PersonId(50), DateTimeOffset.UtcNow, CancellationToken.None));
        var student = await InTransactionAsync(r => r.BookingsOfAsync(new PersonId(3), DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal([(sooner, 4L), (later, 3L), (later, 5L)], parent.Select(b => (b.Slot.Id, b.StudentId.Value)));
        Assert.Equal([(later, 3L)], student.Select(b => (b.Slot.Id, b.StudentId.Value)));
    }

    [Fact]
    public async Task Browsing_ListsOpenBookableSlotsBySubjectAndTeacher()
    {
        var algebra = await InTransactionAsync(r => r.AddSubjectAsync("Algebra", CancellationToken.None));
        var biology = await InTransactionAsync(r => r.AddSubjectAsync("Biology", CancellationToken.None));
        await InTransactionAsync(r => r.AddSubjectAsync("Chemistry", CancellationToken.None));
        var a1 = await PublishAsync(Slot(Tomorrow, 60), subject: algebra.Id);
        var a2 = await PublishAsync(Slot(Tomorrow.AddHours(2), 60), subject: algebra.Id, teacher: 2);
        var a3 = await PublishAsync(Slot(Tomorrow.AddHours(4), 60), subject: algebra.Id);
        var soon = await PublishAsync(Slot(DateTimeOffset.UtcNow.AddMinutes(30), 10), subject: biology.Id);
        var cancelled = await PublishAsync(Slot(Tomorrow.AddHours(6), 60), subject: biology.Id);
        await InTransactionAsync(r => r.CancelSlotAsync(cancelled, new PersonId(1), "x", CancellationToken.None));
        await InTransactionAsync(r => r.SetWeeklyCapAsync(new PersonId(2), 4.5, CancellationToken.None));
        var after = DateTimeOffset.UtcNow.AddHours(2);

        await InTransactionAsync(async r =>
        {
            Assert.Equal([algebra], await r.SubjectsWithOpenSlotsAsync(after, CancellationToken.None));
            Assert.Equal([algebra, biology], await r.SubjectsWithOpenSlotsAsync(DateTimeOffset.UtcNow, CancellationToken.None));
            Assert.Equal([new TeacherSummary(new PersonId(1), "Person 1", null), new TeacherSummary(new PersonId(2), "Person 2", 4.5)],
                await r.TeachersWithOpenSlotsAsync(algebra.Id, after, CancellationToken.None));
            Assert.Empty(await r.TeachersWithOpenSlotsAsync(biology.Id, after, CancellationToken.None));
            Assert.Equal([a1, a2, a3], Ids(await r.OpenSlotsAsync(new SlotQuery(after, 10), CancellationToken.None)));
            Assert.Equal([a1, a2], Ids(await r.OpenSlotsAsync(new SlotQuery(after, 2) { SubjectId = algebra.Id }, CancellationToken.None)));
            Assert.Equal([a1, a3], Ids(await r.OpenSlotsAsync(new SlotQuery(after, 10) { TeacherId = new PersonId(1) }, CancellationToken.None)));
            Assert.Equal([a3], Ids(await r.OpenSlotsAsync(
                new SlotQuery(after, 10) { TeacherId = new PersonId(1), SubjectId = algebra.Id, Except = a1 }, CancellationToken.None)));
            Assert.Equal([soon, a1, a2, a3], Ids(await r.OpenSlotsAsync(new SlotQuery(DateTimeOffset.UtcNow, 10), CancellationToken.None)));
            Assert.Equal([a1, a3], Ids(await r.TeacherSlotsAsync(new PersonId(1), Tomorrow.AddMinutes(30), Tomorrow.AddHours(7), CancellationToken.None)));
            Assert.Equal([a1], Ids(await r.TeacherSlotsAsync(new PersonId(1), Tomorrow, Tomorrow.AddHours(4), CancellationToken.None)));
        });
    }

    [Fact]
    public async Task Subjects_AreAddedOnce_WhateverTheCase()
    {
        var added = await InTransactionAsync(r => r.AddSubjectAsync("Physics", CancellationToken.None));
        var again = await InTransactionAsync(r => r.AddSubjectAsync("PHYSICS", CancellationToken.None));
        var other = await InTransactionAsync(r => r.AddSubjectAsync("Art", CancellationToken.None));

        Assert.Equal(new Subject(1, "Physics"), added);
        Assert.Equal(added, again);
        Assert.Equal([other, added], await InTransactionAsync(r => r.SubjectsAsync(CancellationToken.None)));
        Assert.Equal(other, await InTransactionAsync(r => r.GetSubjectAsync(other.Id, CancellationToken.None)));
        Assert.Null(await InTransactionAsync(r => r.GetSubjectAsync(999, CancellationToken.None)));
    }

    [Fact]
    public async Task Workload_CountsOpenMinutesInTheRange_AndCapsAreUpserted()
    {
        await PublishAsync(Slot(Tomorrow, 60));
        await PublishAsync(Slot(Tomorrow.AddHours(2), 45));
        await PublishAsync(Slot(Tomorrow.AddDays(1), 30));
        var cancelled = await PublishAsync(Slot(Tomorrow.AddHours(4), 60));
        await InTransactionAsync(r => r.CancelSlotAsync(cancelled, new PersonId(1), "x", CancellationToken.None));
        await PublishAsync(Slot(Tomorrow, 90), teacher: 2);
        await db.ExecuteAsync("UPDATE persons SET role = 'admin' WHERE id = 3");
        await db.ExecuteAsync("UPDATE persons SET status = 'forgotten' WHERE id = 2");

        await InTransactionAsync(async r =>
        {
            Assert.Equal(105, await r.ScheduledMinutesAsync(new PersonId(1), Tomorrow, Tomorrow.AddDays(1), CancellationToken.None));
            Assert.Equal(135, await r.ScheduledMinutesAsync(new PersonId(1), Tomorrow, Tomorrow.AddDays(2), CancellationToken.None));
            Assert.Equal(0, await r.ScheduledMinutesAsync(new PersonId(4), Tomorrow, Tomorrow.AddDays(2), CancellationToken.None));

            Assert.Null(await r.WeeklyCapAsync(new PersonId(1), CancellationToken.None));
            await r.SetWeeklyCapAsync(new PersonId(1), 8, CancellationToken.None);
            await r.SetWeeklyCapAsync(new PersonId(1), 2.5, CancellationToken.None);
            Assert.Equal(2.5, await r.WeeklyCapAsync(new PersonId(1), CancellationToken.None));

            Assert.Equal([new TeacherSummary(new PersonId(1), "Person 1", 2.5), new TeacherSummary(new PersonId(3), "Person 3", null)],
                await r.TeachersAsync(CancellationToken.None));
        });
    }

    [Fact]
    public async Task OfficeHours_AreStoredListedAndRemovedByTheirTeacherOnly()
    {
        var algebra = await InTransactionAsync(r => r.AddSubjectAsync("Algebra", CancellationToken.None));
        var tuesday = await InTransactionAsync(r => r.AddOfficeHoursAsync(Hours(DayOfWeek.Tuesday) with { SubjectId = algebra.Id },
            CancellationToken.None));
        var monday = await InTransactionAsync(r => r.AddOfficeHoursAsync(Hours(DayOfWeek.Monday) with { Room = "5" }, CancellationToken.None));
        var sunday = await InTransactionAsync(r => r.AddOfficeHoursAsync(Hours(DayOfWeek.Sunday), CancellationToken.None));

        Assert.Equal((1L, "Algebra"), (tuesday.Id, tuesday.SubjectName));
        Assert.Equal([monday, tuesday, sunday], await InTransactionAsync(r => r.OfficeHoursOfAsync(new PersonId(1), CancellationToken.None)));
        Assert.Empty(await InTransactionAsync(r => r.OfficeHoursOfAsync(new PersonId(2), CancellationToken.None)));

        Assert.False(await InTransactionAsync(r => r.RemoveOfficeHoursAsync(monday.Id, new PersonId(2), DateTimeOffset.UtcNow, CancellationToken.None)));
        Assert.True(await InTransactionAsync(r => r.RemoveOfficeHoursAsync(monday.Id, new PersonId(1), DateTimeOffset.UtcNow, CancellationToken.None)));
        Assert.Equal([tuesday, sunday], await InTransactionAsync(r => r.OfficeHoursOfAsync(new PersonId(1), CancellationToken.None)));
    }

    [Fact]
    public async Task InsertTemplateSlotsAsync_IsIdempotent_AndSkipsOverlaps()
    {
        var template = await InTransactionAsync(r => r.AddOfficeHoursAsync(Hours(DayOfWeek.Tuesday) with { Link = "https://meet.school.example/t" },
            CancellationToken.None));
        var starts = Enumerable.Range(0, 3).Select(i => Tomorrow.AddMinutes(20 * i)).ToList();
        await PublishAsync(Slot(Tomorrow.AddMinutes(50), 30));
        await PublishAsync(Slot(Tomorrow, 20), teacher: 2);

        var first = await InTransactionAsync(r => r.InsertTemplateSlotsAsync(template, starts, CancellationToken.None));
        var second = await InTransactionAsync(r => r.InsertTemplateSlotsAsync(template, starts, CancellationToken.None));

        Assert.Equal((2, 0), (first, second));
        var slots = await InTransactionAsync(r => r.TeacherSlotsAsync(new PersonId(1), Tomorrow, Tomorrow.AddHours(2), CancellationToken.None));
        Assert.Equal([(Tomorrow, Tomorrow.AddMinutes(20)), (Tomorrow.AddMinutes(20), Tomorrow.AddMinutes(40)), (Tomorrow.AddMinutes(50), Tomorrow.AddMinutes(80))],
            slots.Select(s => (s.Start, s.End)));
        Assert.All(slots.Take(2), s => Assert.Equal((ConsultationKind.Individual, 1, ConsultationPurpose.Review, "https://meet.school.example/t"),
            (s.Kind, s.Capacity, s.Purpose, s.Link)));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_slots WHERE template_id = @t", ("t", template.Id)));
        Assert.Equal(new HashSet<DateTimeOffset>(starts.Take(2)),
            await InTransactionAsync(r => r.TemplateStartsAsync(template.Id, Tomorrow, Tomorrow.AddDays(1), CancellationToken.None)));
        Assert.Empty(await InTransactionAsync(r => r.TemplateStartsAsync(template.Id, Tomorrow.AddMinutes(1), Tomorrow.AddMinutes(20),
            CancellationToken.None)));
    }

    [Fact]
    public async Task InsertTemplateSlotsAsync_DoesNotRefillAStartWhoseSlotWasCancelled_AndThinsOverlappingStarts()
    {
        var template = await InTransactionAsync(r => r.AddOfficeHoursAsync(Hours(DayOfWeek.Tuesday), CancellationToken.None));
        Assert.Equal(1, await InTransactionAsync(r => r.InsertTemplateSlotsAsync(template, [Tomorrow], CancellationToken.None)));
        await db.ExecuteAsync("UPDATE consultation_slots SET status = 'cancelled'");

        var inserted = await InTransactionAsync(r => r.InsertTemplateSlotsAsync(template,
            [Tomorrow, Tomorrow.AddMinutes(10), Tomorrow.AddMinutes(20), Tomorrow.AddMinutes(20)], CancellationToken.None));

        Assert.Equal(1, inserted);
        Assert.Equal(Tomorrow.AddMinutes(20).UtcDateTime, await db.ScalarAsync<DateTime>("SELECT starts_at FROM consultation_slots WHERE status = 'open'"));
    }

    [Fact]
    public async Task OfficeHoursGenerator_FillsWeeksInTheSchoolZone_OnceAndWithinTheCap()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("School", TimeSpan.FromHours(3), "School", "School");
        var now = new DateTimeOffset(2030, 3, 4, 9, 0, 0, TimeSpan.Zero); // a Monday
        var template = await InTransactionAsync(r => r.AddOfficeHoursAsync(Hours(DayOfWeek.Tuesday), CancellationToken.None));
        var policy = new ConsultationPolicy { WeeklyWorkloadHours = 1 };

        var added = await InTransactionAsync(r => OfficeHoursGenerator.GenerateAsync(r, template, now, zone, 2, policy, CancellationToken.None));
        var again = await InTransactionAsync(r => OfficeHoursGenerator.GenerateAsync(r, template, now, zone, 2, policy, CancellationToken.None));

        // 15:00–17:00 local in 20-minute slots is six a week; the cap of one hour allows three.
        Assert.Equal((6, 0), (added, again));
        Assert.Equal(new DateTime(2030, 3, 5, 12, 0, 0, DateTimeKind.Utc), await db.ScalarAsync<DateTime>("SELECT min(starts_at) FROM consultation_slots"));
        Assert.Equal(60, await InTransactionAsync(r => r.ScheduledMinutesAsync(new PersonId(1), now, now.AddDays(7), CancellationToken.None)));
    }

    [Fact]
    public async Task RemoveOfficeHoursAsync_CancelsFutureSlotsNobodyBookedOrWaitsFor()
    {
        var template = await InTransactionAsync(r => r.AddOfficeHoursAsync(Hours(DayOfWeek.Tuesday), CancellationToken.None));
        var past = Tomorrow.AddDays(-2);
        await InTransactionAsync(r => r.InsertTemplateSlotsAsync(template,
            [past, Tomorrow, Tomorrow.AddMinutes(20), Tomorrow.AddMinutes(40)], CancellationToken.None));
        var slots = await InTransactionAsync(r => r.TeacherSlotsAsync(new PersonId(1), Tomorrow, Tomorrow.AddHours(1), CancellationToken.None));
        await TakeAsync(slots[0].Id, 3);
        await WaitAsync(slots[1].Id, 4);

        Assert.True(await InTransactionAsync(r => r.RemoveOfficeHoursAsync(template.Id, new PersonId(1), DateTimeOffset.UtcNow, CancellationToken.None)));

        Assert.Equal("open,open,open,cancelled", await db.ScalarAsync<string>(
            "SELECT string_agg(status, ',' ORDER BY starts_at) FROM consultation_slots"));
        Assert.Empty(await InTransactionAsync(r => r.OfficeHoursOfAsync(new PersonId(1), CancellationToken.None)));
    }

    private static OfficeHours Hours(DayOfWeek day) => new()
    {
        TeacherId = new PersonId(1),
        Day = day,
        From = new TimeOnly(15, 0),
        To = new TimeOnly(17, 0),
        SlotMinutes = 20,
        Link = "https://meet.school.example/o",
    };

    private static List<SlotId> Ids(IEnumerable<SlotView> slots) => slots.Select(s => s.Id).ToList();

    private async Task<string> BookingsSnapshotAsync() => await db.ScalarAsync<string>(
        "SELECT coalesce(string_agg(id || ':' || slot_id || ':' || student_id || ':' || status, ',' ORDER BY id), '') FROM consultation_bookings");

    private async Task InTransactionAsync(Func<PgConsultationRepository, Task> action) =>
        await InTransactionAsync(async r =>
        {
            await action(r);
            return true;
        });

    private async Task<T> InTransactionAsync<T>(Func<PgConsultationRepository, Task<T>> action)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await action(new PgConsultationRepository(connection, tx));
        await tx.CommitAsync();
        return result;
    }

    private Task<RescheduleResult> RescheduleAsync(BookingId booking, long requester, SlotId to, TimeSpan? cutoff = null, int maxActiveBookings = 3) =>
        InTransactionAsync(r => r.RescheduleAsync(booking, new PersonId(requester), to, DateTimeOffset.UtcNow + (cutoff ?? TimeSpan.FromHours(3)),
            DateTimeOffset.UtcNow.AddHours(1), maxActiveBookings, CancellationToken.None));

    private Task<bool> MarkAsync(BookingId booking, long teacher, Attendance attendance, DateTimeOffset now) =>
        InTransactionAsync(r => r.MarkAttendanceAsync(booking, new PersonId(teacher), attendance, now, CancellationToken.None));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<BookingId> WaitAsync(SlotId slot, long student)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var booking = await new PgConsultationRepository(connection, null).JoinWaitlistAsync(slot, new PersonId(student), new PersonId(student),
            null, CancellationToken.None);
        Assert.NotNull(booking);
        return booking.Value;
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

    private async Task<SlotId> PublishAsync(SlotDraft draft, long teacher = 1, long? subject = null) =>
        await PublishOrNullAsync(draft, teacher, subject) ?? throw new InvalidOperationException("slot was not published");

    private async Task<SlotId?> PublishOrNullAsync(SlotDraft draft, long teacher = 1, long? subject = null)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var (_, slot) = await new PgConsultationRepository(connection, tx).PublishAsync(new PersonId(teacher), subject, draft, CancellationToken.None);
        await tx.CommitAsync();
        return slot;
    }

    private async Task<(SeatOutcome Outcome, BookingId? Booking)> TakeAsync(SlotId slot, long student, TimeSpan? notice = null,
        int maxActiveBookings = 3, long? bookedBy = null, string? topic = null)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var result = await new PgConsultationRepository(connection, tx).TakeSeatAsync(slot, new PersonId(student),
            new PersonId(bookedBy ?? student), topic,
            DateTimeOffset.UtcNow + (notice ?? TimeSpan.FromHours(1)), maxActiveBookings, CancellationToken.None);
        await tx.CommitAsync();
        return result;
    }
}
