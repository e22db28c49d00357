namespace InMood.Onnx.Compiled;

/// <summary>Mean wall time of one compiled step over a profile's runs.</summary>
public readonly record struct StepTiming(string Name, string Kind, double Milliseconds);
