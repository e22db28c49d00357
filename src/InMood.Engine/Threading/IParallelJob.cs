namespace InMood.Engine.Threading;

/// <summary>
/// A unit of parallel work run by <see cref="WorkerPool"/>: <see cref="Execute"/> is called once per
/// item index in [0, count), from any worker, with that worker's index in [0, workers).
/// Implemented by long-lived objects so dispatching allocates nothing.
/// </summary>
public interface IParallelJob
{
    void Execute(int item, int worker);
}
