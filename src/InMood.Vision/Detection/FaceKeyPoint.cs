namespace InMood.Vision.Detection;

/// <summary>BlazeFace's six key points, in the model's output order (right and left as seen from the person).</summary>
public enum FaceKeyPoint
{
    RightEye,
    LeftEye,
    Nose,
    Mouth,
    RightEar,
    LeftEar,
}
