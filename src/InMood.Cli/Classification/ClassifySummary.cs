using InMood.Music;

namespace InMood.Cli.Classification;

/// <summary>
/// Totals of a classify run: images written, faces found, failed inputs, wall seconds, whether Ctrl+C or a
/// closed output ended it early, and the mood of every face of the run (null without faces), each face
/// weighted by the share of its photo it covers.
/// </summary>
internal sealed record ClassifySummary(int Images, int Faces, int Failures, double Seconds, bool Cancelled, bool OutputClosed, Mood? Mood);
