using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Tests.Domain;

public sealed class CallbackPayloadTests
{
    [Fact]
    public void Encode_RoundTrips_ThroughTryParse()
    {
        var payload = new CallbackPayload("gr", 7, ["12", "x"]);

        var parsed = CallbackPayload.TryParse(payload.Encode());

        Assert.Equal("gr", parsed!.Verb);
        Assert.Equal(7, parsed.Version);
        Assert.Equal(["12", "x"], parsed.Args);
    }

    [Fact]
    public void Encode_Throws_WhenOver64Bytes() =>
        Assert.Throws<InvalidOperationException>(() => new CallbackPayload("x", 1, [new string('a', 70)]).Encode());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nover")]
    [InlineData("a:-1")]
    [InlineData("a:1 :b")]
    [InlineData("a:ё")]
    public void TryParse_ReturnsNull_WhenMalformed(string? data) => Assert.Null(CallbackPayload.TryParse(data));
}

public sealed class OneTimeCodeTests
{
    [Theory]
    [InlineData("abcd-2345", "ABCD2345")]
    [InlineData(" ABCD 2345 ", "ABCD2345")]
    [InlineData("ABCD2345", "ABCD2345")]
    public void Normalize_AcceptsHumanForms(string input, string expected) => Assert.Equal(expected, OneTimeCode.Normalize(input));

    [Theory]
    [InlineData("ABCD-234")]
    [InlineData("ABCD-23456")]
    [InlineData("ABC0-2345")]
    [InlineData("ABCI-2345")]
    [InlineData("")]
    public void Normalize_ReturnsNull_WhenNotACode(string input) => Assert.Null(OneTimeCode.Normalize(input));

    [Fact]
    public void Generate_ProducesNormalisedDistinctCodes()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => OneTimeCode.Generate()).ToList();

        Assert.All(codes, c => Assert.Equal(c, OneTimeCode.Normalize(c)));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}

public sealed class PersonNameTests
{
    [Theory]
    [InlineData("  Анна   Мария  Петрова ", "Анна Мария Петрова")]
    [InlineData("Jean-Luc O'Neil", "Jean-Luc O'Neil")]
    [InlineData("Ан\u200Bна\u2060 Ли", "Анна Ли")]
    public void TryCreate_NormalisesValidNames(string input, string expected)
    {
        Assert.Equal(NameError.None, PersonName.TryCreate(input, out var name));
        Assert.Equal(expected, name!.Value);
    }

    [Theory]
    [InlineData("", NameError.Empty)]
    [InlineData("\u200B\u200B", NameError.Empty)]
    [InlineData("Я", NameError.InvalidCharacters)]
    [InlineData("Анна 🙂", NameError.InvalidCharacters)]
    [InlineData("Анна\nПетрова<", NameError.InvalidCharacters)]
    public void TryCreate_RefusesInvalidNames(string input, NameError expected) =>
        Assert.Equal(expected, PersonName.TryCreate(input, out _));

    [Fact]
    public void TryCreate_RefusesOverlongName() =>
        Assert.Equal(NameError.TooLong, PersonName.TryCreate(new string('а', PersonName.MaxLength + 1), out _));
}
