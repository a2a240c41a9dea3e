using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Operations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.Reports;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Conversations;

public enum UpdateOutcome
{
    Processed,
    Duplicate,
    /// <summary>The conversation failed on this update; it was marked processed with an apology so it cannot block the chat.</summary>
    Failed,
    /// <summary>The sender is over the per-person rate limit: marked processed, not handled (the first one this minute answered "slow down").</summary>
    Throttled,
}

public sealed record PipelineResult(UpdateOutcome Outcome, string? CallbackAnswer);

/// <summary>
/// The inbound path shared by every channel: one PostgreSQL transaction holds the dedupe mark, the engine's state
/// changes and the outbox rows of the replies. Updates of one chat are serialised in this process (striped locks)
/// and across instances (an advisory transaction lock).
/// </summary>
public sealed partial class UpdatePipeline(
    NpgsqlDataSource dataSource,
    EngineProvider engines,
    OutboxSignal outboxSignal,
    IAttachmentReader attachments,
    SenderThrottle throttle,
    ILogger<UpdatePipeline> logger,
    SchoolClock clock,
    IOptions<SchoolOptions> school,
    BotMetrics metrics,
    ActivityCounter activity)
{
    private readonly TimeZoneInfo _zone = school.Value.TimeZoneInfo;

    private const int Stripes = 1024;
    private static readonly SemaphoreSlim[] ChatLocks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Processes one update under its correlation id (<c>{channel}:{update id}</c>): in a logging scope, and on every
    /// outbox row the update writes. The outcome is counted in <c>consultbot_updates_received_total</c>.
    /// </summary>
    public async Task<PipelineResult> ProcessAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        var correlation = Correlation.ForUpdate(incoming.Channel, incoming.UpdateId);
        var previous = Correlation.Current;
        Correlation.Current = correlation;
        using var scope = Correlation.BeginScope(logger, correlation);
        try
        {
            var result = await ProcessCorrelatedAsync(incoming, cancellationToken);
            metrics.UpdateReceived(incoming.Channel, result.Outcome);
            return result;
        }
        finally
        {
            Correlation.Current = previous;
        }
    }

    private async Task<PipelineResult> ProcessCorrelatedAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        if (throttle.Check(incoming) is not ThrottleDecision.Allowed and var decision)
        {
            return await ThrottledAsync(incoming, decision == ThrottleDecision.Warn, cancellationToken);
        }
        var chatKey = incoming.Channel.ToKey() + ":" + incoming.ChatId;
        var stripe = ChatLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(chatKey) % Stripes)];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return await ProcessLockedAsync(incoming, chatKey, cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>
    /// Two round trips for most updates: <c>BEGIN</c> + chat lock + dedupe mark + the sender's person, then (after
    /// the engine) the person's changes + the outbox rows + <c>COMMIT</c>. The transaction is SQL-level so the commit
    /// rides in the last batch; a connection given back mid-transaction is rolled back.
    /// </summary>
    private async Task<PipelineResult> ProcessLockedAsync(IncomingEvent incoming, string chatKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var committed = false;
        try
        {
            var people = new PgPeopleRepository(connection, null, deferSaves: true);
            if (!await BeginAsync(connection, incoming, chatKey, people, cancellationToken))
            {
                LogDuplicate(logger, incoming.Channel.ToKey(), incoming.UpdateId);
                return new PipelineResult(UpdateOutcome.Duplicate, null);
            }
            var context = new ConversationContext(
                people,
                new PgGroupRepository(connection, null),
                new PgCodeRepository(connection, null),
                new PgAuditLog(connection, null),
                new PgChatNotices(connection, null),
                new PgConsultationRepository(connection, null),
                new PgTimetableRepository(connection, null),
                new PgLessonRepository(connection, null),
                new PgReminderSettingsRepository(connection, null),
                new PgMaterialRepository(connection, null),
                attachments,
                new PgAnnouncementRepository(connection, null),
                new PgActivityReport(connection, counted: activity),
                new PgQuestionRepository(connection, null),
                new PgDirectoryRepository(connection, null));
            var result = await engines.Engine.HandleAsync(incoming, context, cancellationToken);
            await using (var batch = new NpgsqlBatch(connection))
            {
                people.MoveDeferredSavesTo(batch);
                OutboxWriter.AddTo(batch, result.Messages, incoming.ReplyAddress, result.SenderPerson?.Value);
                batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
            committed = true;
            CountActivity(incoming, result.SenderPerson);
            if (result.Messages.Count > 0)
            {
                outboxSignal.Committed();
            }
            LogProcessed(logger, incoming.Channel.ToKey(), incoming.UpdateId, incoming.Kind, result.Messages.Count);
            return new PipelineResult(UpdateOutcome.Processed, result.CallbackAnswer);
        }
        catch (Exception e) when (e is not OperationCanceledException && !IsTransient(e))
        {
            // A bug or a broken rule that escaped the engine: never retry forever, never show a stack trace.
            LogFailed(logger, e, incoming.Channel.ToKey(), incoming.UpdateId, incoming.Kind);
            await RollbackAsync(connection);
            committed = true; // nothing left open on this connection
            return await ApologiseAsync(incoming, chatKey, cancellationToken);
        }
        finally
        {
            if (!committed)
            {
                await RollbackAsync(connection);
            }
        }
    }

    /// <summary>
    /// Counts a committed update towards the sender's day for the monthly report's days active and messages (see
    /// <see cref="ActivityCounter"/>). Texts, button presses and files count; a blocked or edited message does not. The
    /// day is the school-local date of the school's clock.
    /// </summary>
    private void CountActivity(IncomingEvent incoming, PersonId? sender)
    {
        if (sender is { } person && incoming.Kind is EventKind.Text or EventKind.Callback or EventKind.Document)
        {
            activity.Count(person, SchoolTime.Today(clock.Now, _zone));
        }
    }

    private static async Task RollbackAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken connection is discarded by the pool; the server rolls its transaction back.
        }
    }

    private async Task<PipelineResult> ApologiseAsync(IncomingEvent incoming, string chatKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var texts = TextCatalog.For(LanguageCodes.FromMessenger(incoming.LanguageCode));
        try
        {
            if (!await BeginAsync(connection, incoming, chatKey, people: null, cancellationToken))
            {
                await RollbackAsync(connection);
                return new PipelineResult(UpdateOutcome.Duplicate, null);
            }
            await using var batch = new NpgsqlBatch(connection);
            if (incoming.Kind is EventKind.Text or EventKind.Unsupported)
            {
                OutboxWriter.AddTo(batch, [new OutgoingMessage(Recipient.ToChat(incoming.ReplyAddress), texts.SomethingWentWrong)]);
            }
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            await RollbackAsync(connection);
            throw;
        }
        outboxSignal.Committed();
        return new PipelineResult(UpdateOutcome.Failed, texts.SomethingWentWrong);
    }

    /// <summary>
    /// An update over the sender's rate limit costs one statement and no chat lock: its dedupe mark, and for the first one
    /// this minute a "please slow down" in the messenger's language (only when the mark is new, so a redelivery says
    /// nothing twice). The conversation never sees it.
    /// </summary>
    private async Task<PipelineResult> ThrottledAsync(IncomingEvent incoming, bool warn, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH marked AS (
                INSERT INTO processed_updates (channel, update_id) VALUES (@channel, @update) ON CONFLICT DO NOTHING RETURNING 1
            )
            INSERT INTO outbox (channel, chat_id, body, correlation_id)
            SELECT @channel, @chat, jsonb_build_object('text', @text::text, 'keyboard', NULL), @correlation FROM marked WHERE @warn
            """);
        command.Parameters.AddWithValue("correlation", Correlation.ForUpdate(incoming.Channel, incoming.UpdateId));
        command.Parameters.AddWithValue("channel", incoming.Channel.ToKey());
        command.Parameters.AddWithValue("update", incoming.UpdateId);
        command.Parameters.AddWithValue("chat", incoming.ReplyAddress.ChatId);
        command.Parameters.AddWithValue("text", TextCatalog.For(LanguageCodes.FromMessenger(incoming.LanguageCode)).SlowDown);
        command.Parameters.AddWithValue("warn", warn);
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            outboxSignal.Committed();
        }
        LogThrottled(logger, incoming.Channel.ToKey(), incoming.UpdateId, warn);
        return new PipelineResult(UpdateOutcome.Throttled, null);
    }

    /// <summary>
    /// First round trip of an update: BEGIN, the chat's advisory lock, the dedupe mark and (for the engine) the sender's
    /// person, locked. False when the update was already processed.
    /// </summary>
    private static async Task<bool> BeginAsync(NpgsqlConnection connection, IncomingEvent incoming, string chatKey,
        PgPeopleRepository? people, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("BEGIN"),
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended(@chat, 0))")
                {
                    Parameters = { new NpgsqlParameter("chat", chatKey) },
                },
                new NpgsqlBatchCommand(
                    "INSERT INTO processed_updates (channel, update_id) VALUES (@channel, @update) ON CONFLICT DO NOTHING")
                {
                    Parameters =
                    {
                        new NpgsqlParameter("channel", incoming.Channel.ToKey()),
                        new NpgsqlParameter("update", incoming.UpdateId),
                    },
                },
                // Transaction-local: every outbox row this transaction writes defaults its correlation_id to it.
                new NpgsqlBatchCommand("SELECT set_config('" + Correlation.Setting + "', @correlation, true)")
                {
                    Parameters = { new NpgsqlParameter("correlation", Correlation.ForUpdate(incoming.Channel, incoming.UpdateId)) },
                },
            },
        };
        if (people is null)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return batch.BatchCommands[2].RecordsAffected == 1;
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PgPeopleRepository.SelectByAccountSql)
        {
            Parameters =
            {
                new NpgsqlParameter("channel", incoming.Channel.ToKey()),
                new NpgsqlParameter("sender", incoming.SenderId),
            },
        });
        Person? person = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                if (reader.FieldCount == PgPeopleRepository.ColumnCount && await reader.ReadAsync(cancellationToken))
                {
                    person = PgPeopleRepository.Map(reader);
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }
        if (batch.BatchCommands[2].RecordsAffected != 1)
        {
            return false;
        }
        people.Prefetched(incoming.Channel, incoming.SenderId, person);
        return true;
    }

    /// <summary>Connection trouble is worth a retry by the channel (Telegram resends, polling re-reads).</summary>
    private static bool IsTransient(Exception e) => DatabaseErrors.IsUnavailable(e);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate {Channel} update {UpdateId} ignored")]
    private static partial void LogDuplicate(ILogger logger, string channel, string updateId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Processed {Channel} update {UpdateId} ({Kind}): {Replies} replies")]
    private static partial void LogProcessed(ILogger logger, string channel, string updateId, EventKind kind, int replies);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Throttled {Channel} update {UpdateId} (slow-down sent: {Warned})")]
    private static partial void LogThrottled(ILogger logger, string channel, string updateId, bool warned);

    [LoggerMessage(Level = LogLevel.Error, Message = "Conversation failed on {Channel} update {UpdateId} ({Kind}); apologised and moved on")]
    private static partial void LogFailed(ILogger logger, Exception exception, string channel, string updateId, EventKind kind);
}
