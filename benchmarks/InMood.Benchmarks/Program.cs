using System.Globalization;
using BenchmarkDotNet.Running;

namespace InMood.Benchmarks;

public static class Program
{
    /// <summary>
    /// BenchmarkDotNet's switcher; with "paired [rounds] [model ...]" the paired ours-vs-ORT comparison; with
    /// "profile MODEL [threads] [runs]" each side's time per step; with
    /// "profile-train [threads] [steps]" each layer's share of a FerVgg training step.
    /// </summary>
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "paired")
        {
            PairedOnnxComparison.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40, args.Skip(2).ToArray());
            return;
        }

        if (args.Length > 1 && args[0] == "profile")
        {
            OnnxProfile.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20);
            return;
        }

        if (args.Length > 0 && args[0] == "profile-train")
        {
            TrainingProfile.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
