namespace InMood.Vision.Detection;

/// <summary>A point in image coordinates (pixels of the source image, or [0, 1] of the model input before mapping).</summary>
public readonly record struct FacePoint(float X, float Y);
