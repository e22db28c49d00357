namespace InMood.Training.Data;

/// <summary>Which views <see cref="TestTimeAugmentation"/> writes for each evaluation image.</summary>
public enum TestTimeViews
{
    /// <summary>1 view: the image itself.</summary>
    Identity,

    /// <summary>2 views: the image, then its mirror.</summary>
    IdentityAndFlip,

    /// <summary>
    /// 10 views (ten-crop): the centre crop and the four corner crops of the image padded by the shift on each
    /// side (edge replication), each followed by its mirror. View 0 is the image itself.
    /// </summary>
    TenCrop,
}
