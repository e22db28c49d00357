using System.Runtime.Intrinsics;

namespace InMood.Engine.Gemm;

/// <summary>The register-tiled micro-kernels of <see cref="Sgemm"/>, one per SIMD width.</summary>
public enum GemmKernel
{
    /// <summary>Plain C# loops over a 4x4 tile: the fallback and the reference for the others.</summary>
    Scalar,

    /// <summary>6 rows x 8 columns (2 x Vector128) of FMA accumulators.</summary>
    Vector128,

    /// <summary>6 rows x 16 columns (2 x Vector256) of FMA accumulators.</summary>
    Vector256,

    /// <summary>8 rows x 32 columns (2 x Vector512) of FMA accumulators.</summary>
    Vector512,
}

/// <summary>Tile sizes per kernel and the widest kernel this machine accelerates.</summary>
public static class GemmKernels
{
    /// <summary>The widest kernel the hardware (and the DOTNET_Enable* switches) allow.</summary>
    public static GemmKernel Best { get; } =
        Vector512.IsHardwareAccelerated ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated ? GemmKernel.Vector256
        : Vector128.IsHardwareAccelerated ? GemmKernel.Vector128
        : GemmKernel.Scalar;

    /// <summary>Every kernel this machine can run, scalar first.</summary>
    public static IReadOnlyList<GemmKernel> Available { get; } = Enum.GetValues<GemmKernel>().Where(k => k <= Best).ToArray();

    /// <summary>Rows of C per micro-tile (MR).</summary>
    public static int Rows(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Vector512 => 8,
        GemmKernel.Vector256 => 6,
        GemmKernel.Vector128 => 6,
        _ => 4,
    };

    /// <summary>Columns of C per micro-tile (NR).</summary>
    public static int Columns(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Vector512 => 32,
        GemmKernel.Vector256 => 16,
        GemmKernel.Vector128 => 8,
        _ => 4,
    };
}
