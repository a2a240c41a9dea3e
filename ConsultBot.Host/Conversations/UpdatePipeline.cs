using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using Npgsql;

namespace ConsultBot.Host.Conversations;

public enum UpdateOutcome
{
    Processed,
    Duplicate,
    /// <summary>The conversation failed on this update; it was marked processed with an apology so it cannot block the chat.</summary>
    Failed,
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
    ILogger<UpdatePipeline> logger)
{
    private const int Stripes = 1024;
    private static readonly SemaphoreSlim[] ChatLocks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<PipelineResult> ProcessAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
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

    private async Task<PipelineResult> ProcessLockedAsync(IncomingEvent incoming, string chatKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            var people = new PgPeopleRepository(connection, tx);
            if (!await MarkProcessedAsync(connection, tx, incoming, chatKey, people, cancellationToken))
            {
                LogDuplicate(logger, incoming.Channel.ToKey(), incoming.UpdateId);
                return new PipelineResult(UpdateOutcome.Duplicate, null);
            }
            var context = new ConversationContext(
                people,
                new PgGroupRepository(connection, tx),
                new PgCodeRepository(connection, tx),
                new PgAuditLog(connection, tx),
                new PgChatNotices(connection, tx));
            var result = await engines.Engine.HandleAsync(incoming, context, cancellationToken);
            await using (var batch = new NpgsqlBatch(connection, tx))
            {
                OutboxWriter.AddTo(batch, result.Messages);
                if (batch.BatchCommands.Count > 0)
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            await tx.CommitAsync(cancellationToken);
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
            return await ApologiseAsync(incoming, chatKey, cancellationToken);
        }
    }

    private async Task<PipelineResult> ApologiseAsync(IncomingEvent incoming, string chatKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (!await MarkProcessedAsync(connection, tx, incoming, chatKey, people: null, cancellationToken))
        {
            return new PipelineResult(UpdateOutcome.Duplicate, null);
        }
        var texts = TextCatalog.For(Domain.People.LanguageCodes.FromMessenger(incoming.LanguageCode));
        if (incoming.Kind is EventKind.Text or EventKind.Unsupported)
        {
            await using var batch = new NpgsqlBatch(connection, tx);
            OutboxWriter.AddTo(batch, [new OutgoingMessage(Recipient.ToChat(incoming.ReplyAddress), texts.SomethingWentWrong)]);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        outboxSignal.Committed();
        return new PipelineResult(UpdateOutcome.Failed, texts.SomethingWentWrong);
    }

    /// <summary>
    /// First round trip of an update: the chat's advisory lock, the dedupe mark and (for the engine) the sender's
    /// person, locked. False when the update was already processed.
    /// </summary>
    private static async Task<bool> MarkProcessedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IncomingEvent incoming,
        string chatKey, PgPeopleRepository? people, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
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
            },
        };
        if (people is null)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return batch.BatchCommands[1].RecordsAffected == 1;
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
        if (batch.BatchCommands[1].RecordsAffected != 1)
        {
            return false;
        }
        people.Prefetched(incoming.Channel, incoming.SenderId, person);
        return true;
    }

    /// <summary>Connection trouble is worth a retry by the channel (Telegram resends, polling re-reads).</summary>
    private static bool IsTransient(Exception e) => e is NpgsqlException { IsTransient: true } or TimeoutException;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Duplicate {Channel} update {UpdateId} ignored")]
    private static partial void LogDuplicate(ILogger logger, string channel, string updateId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Processed {Channel} update {UpdateId} ({Kind}): {Replies} replies")]
    private static partial void LogProcessed(ILogger logger, string channel, string updateId, EventKind kind, int replies);

    [LoggerMessage(Level = LogLevel.Error, Message = "Conversation failed on {Channel} update {UpdateId} ({Kind}); apologised and moved on")]
    private static partial void LogFailed(ILogger logger, Exception exception, string channel, string updateId, EventKind kind);
}
