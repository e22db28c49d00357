using System.Globalization;
using BenchmarkDotNet.Running;

namespace InMood.Benchmarks;

public static class Program
{
    /// <summary>BenchmarkDotNet's switcher, or with "paired [rounds] [model ...]" the paired ours-vs-ORT comparison.</summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "paired")
        {
            PairedOnnxComparison.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40, args.Skip(2).ToArray());
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
