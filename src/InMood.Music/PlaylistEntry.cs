namespace InMood.Music;

/// <summary>One playlist slot: the mood the slot aimed at and the track chosen for it.</summary>
public sealed record PlaylistEntry(Track Track, Mood Waypoint);
