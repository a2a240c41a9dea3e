using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ConsultBot.Host.Operations;

public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>How long a stopping host waits for the update in flight, the sends in flight and the jobs to finish.</summary>
    [Range(1, 600, ErrorMessage = "Operations:ShutdownTimeoutSeconds must be between 1 and 600")]
    public int ShutdownTimeoutSeconds { get; set; } = 20;

    /// <summary>Serves <c>/metrics</c> at all.</summary>
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>
    /// Networks besides loopback allowed to read <c>/metrics</c>, comma-separated CIDR (<c>10.0.0.0/8,fd00::/8</c>); empty: loopback only.
    /// </summary>
    public string MetricsAllowedNetworks { get; set; } = string.Empty;

    internal IReadOnlyList<IPNetwork> ParsedNetworks() =>
        MetricsAllowedNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(IPNetwork.Parse).ToList();

    internal bool NetworksAreValid() =>
        MetricsAllowedNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .All(n => IPNetwork.TryParse(n, out _));
}
