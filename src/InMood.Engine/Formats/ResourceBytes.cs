namespace InMood.Engine.Formats;

/// <summary>The bytes of an embedded resource (shipped weights), without copying them when the runtime maps them.</summary>
public static class ResourceBytes
{
    /// <summary>
    /// A manifest resource of a loaded assembly is mapped with the binary (an <see cref="UnmanagedMemoryStream"/>)
    /// and stays mapped while the assembly is loaded, so its bytes are returned in place; any other stream is read
    /// into an array. NOTE: fresh pages fault slowly on the dev VMs (about 2.75 ms per MB), and copying the 7 MB
    /// emotion model into a MemoryStream first cost about 45 ms of a 230 ms cold start.
    /// </summary>
    public static unsafe ReadOnlySpan<byte> Read(Stream stream)
    {
        if (stream is UnmanagedMemoryStream mapped)
        {
            return new ReadOnlySpan<byte>(mapped.PositionPointer, checked((int)(mapped.Length - mapped.Position)));
        }

        var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.GetBuffer().AsSpan(0, (int)memory.Length);
    }
}
