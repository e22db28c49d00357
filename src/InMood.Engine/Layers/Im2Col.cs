using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace InMood.Engine.Layers;

/// <summary>
/// im2col and its adjoint col2im for one image and one channel group.
/// Shapes: x [ic, H, W]; col rows r = (c * kH + i) * kW + j of OH * OW values each, starting at
/// col[r * rowStride] (rowStride >= OH * OW lets several images share one matrix side by side), where
/// col[r * rowStride + oh * OW + ow] = x[c, oh * sH - padTop + i, ow * sW - padLeft + j] (zero outside the image).
/// </summary>
internal static class Im2Col
{
    public static void Forward(ReadOnlySpan<float> x, int channels, int height, int width, in ConvGeometry g, Span<float> col, int rowStride)
    {
        int oh = g.OutHeight, ow = g.OutWidth, plane = oh * ow;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> xc = x.Slice(c * height * width, height * width);
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row++)
                {
                    Span<float> dst = col.Slice(row * rowStride, plane);
                    for (int y = 0; y < oh; y++)
                    {
                        Span<float> dstRow = dst.Slice(y * ow, ow);
                        int ih = y * g.StrideHeight - g.PadTop + i;
                        if ((uint)ih >= (uint)height)
                        {
                            dstRow.Clear();
                            continue;
                        }

                        ReadOnlySpan<float> src = xc.Slice(ih * width, width);
                        int shift = j - g.PadLeft;
                        if (g.StrideWidth == 1)
                        {
                            int lo = Math.Clamp(-shift, 0, ow), hi = Math.Clamp(width - shift, lo, ow);
                            dstRow[..lo].Clear();
                            src.Slice(lo + shift, hi - lo).CopyTo(dstRow[lo..hi]);
                            dstRow[hi..].Clear();
                        }
                        else
                        {
                            for (int x0 = 0; x0 < ow; x0++)
                            {
                                int iw = x0 * g.StrideWidth + shift;
                                dstRow[x0] = (uint)iw < (uint)width ? src[iw] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>dx[c, ih, iw] += dcol[r, p] over every (r, p) that im2col read from (c, ih, iw).</summary>
    public static void Backward(ReadOnlySpan<float> dcol, int channels, int height, int width, in ConvGeometry g, Span<float> dx, int rowStride)
    {
        int oh = g.OutHeight, ow = g.OutWidth, plane = oh * ow;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            Span<float> dxc = dx.Slice(c * height * width, height * width);
            for (int i = 0; i < g.KernelHeight; i++)
            {
                for (int j = 0; j < g.KernelWidth; j++, row++)
                {
                    ReadOnlySpan<float> src = dcol.Slice(row * rowStride, plane);
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * g.StrideHeight - g.PadTop + i;
                        if ((uint)ih >= (uint)height)
                        {
                            continue;
                        }

                        ReadOnlySpan<float> srcRow = src.Slice(y * ow, ow);
                        Span<float> dst = dxc.Slice(ih * width, width);
                        int shift = j - g.PadLeft;
                        if (g.StrideWidth == 1)
                        {
                            int lo = Math.Clamp(-shift, 0, ow), hi = Math.Clamp(width - shift, lo, ow);
                            Span<float> target = dst.Slice(lo + shift, hi - lo);
                            TensorPrimitives.Add(target, srcRow[lo..hi], target);
                        }
                        else
                        {
                            for (int x0 = 0; x0 < ow; x0++)
                            {
                                int iw = x0 * g.StrideWidth + shift;
                                if ((uint)iw < (uint)width)
                                {
                                    dst[iw] += srcRow[x0];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
