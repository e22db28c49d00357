namespace InMood.Vision.Detection;

/// <summary>The two shipped BlazeFace variants (weights/blazeface, embedded in InMood.Vision).</summary>
public enum BlazeFaceModel
{
    /// <summary>face_detection_back_256x256: 256 x 256 input, for faces at any distance (group photos). The default.</summary>
    Back256,

    /// <summary>face_detection_front_128x128: 128 x 128 input, for close, selfie-like faces; about 5x faster.</summary>
    Front128,
}
