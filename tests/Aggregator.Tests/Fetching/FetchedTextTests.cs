using System.Text;
using Aggregator.Fetching;

namespace Aggregator.Tests.Fetching;

public sealed class FetchedTextTests
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("\uFEFF<rss><channel><title>Dépêches</title></channel></rss>");

    [Fact]
    public void Utf8_UtfEightDocument_IsItsOwnBytesPastTheByteOrderMark()
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Document.Length);
        Document.CopyTo(rented, 0);
        using var text = FetchedText.Rented(rented, 3, Document.Length - 3, Encoding.UTF8);

        Assert.True(text.Utf8.SequenceEqual(Document.AsSpan(3)));
        Assert.Equal("<rss><channel><title>Dépêches</title></channel></rss>", text.Text);
    }

    [Fact]
    public void IsUtf8_OtherEncoding_IsFalseAndTheTextIsDecoded()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var windows1252 = Encoding.GetEncoding(1252);
        using var text = new FetchedText(windows1252.GetBytes("<title>Dépêches</title>"), windows1252);

        Assert.False(text.IsUtf8);
        Assert.Equal("<title>Dépêches</title>", text.Text);
    }

    [Fact]
    public void Dispose_Twice_IsHarmlessAndLeavesNothingToRead()
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Document.Length);
        Document.CopyTo(rented, 0);
        var text = FetchedText.Rented(rented, 3, Document.Length - 3, Encoding.UTF8);

        text.Dispose();
        text.Dispose();

        Assert.Throws<ObjectDisposedException>(() => text.Text);
    }

    [Fact]
    public void Dispose_TextReadBefore_IsLetGoToo()
    {
        var text = new FetchedText([.. Document.AsSpan(3)], Encoding.UTF8);
        Assert.NotEmpty(text.Text);

        text.Dispose();

        Assert.Throws<ObjectDisposedException>(() => text.Text);
    }

    [Fact]
    public void Dispose_BytesNotYetRead_AreGone()
    {
        var text = new FetchedText([.. Document.AsSpan(3)], Encoding.UTF8);

        text.Dispose();

        Assert.Throws<ObjectDisposedException>(() => text.Text);
    }
}
