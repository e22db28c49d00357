using System.Globalization;

namespace InMood.Cli.Tests;

/// <summary>
/// A fact that sends the tool SIGINT; skipped when this test process ignores SIGINT (started in the background by a
/// script, as `cmd &amp;` does), because the tool inherits that and could not see Ctrl+C at all.
/// </summary>
internal sealed class SigIntDeliveredFactAttribute : FactAttribute
{
    public const int SigInt = 2;

    public SigIntDeliveredFactAttribute()
    {
        string? ignored = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(line => line.StartsWith("SigIgn:", StringComparison.Ordinal))
            : null;
        if (ignored is not null && (ulong.Parse(ignored["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << (SigInt - 1))) != 0)
        {
            Skip = "SIGINT is ignored by this test process (started in the background), so the tool inherits that";
        }
    }
}
