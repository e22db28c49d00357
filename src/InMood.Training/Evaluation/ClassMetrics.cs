namespace InMood.Training.Evaluation;

/// <summary>One class's precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R), and support = TP + FN.</summary>
public sealed record ClassMetrics(string Name, double Precision, double Recall, double F1, int Support);
