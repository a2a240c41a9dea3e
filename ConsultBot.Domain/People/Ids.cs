using System.Globalization;

namespace ConsultBot.Domain.People;

public readonly record struct PersonId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

public readonly record struct GroupId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    public static GroupId? TryParse(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? new GroupId(v) : null;
}
