namespace InMood.Onnx.Model;

/// <summary>An operator set the model uses (ONNX <c>OperatorSetIdProto</c>); Domain "" is standard ONNX.</summary>
public readonly record struct OnnxOpsetImport(string Domain, long Version);
