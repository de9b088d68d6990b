namespace OAuthFunctions.Http;

/// <summary>
/// A request body that ends after <c>limit</c> bytes. It asks the underlying stream for at most one byte more than
/// the limit allows, so a body of exactly the limit ends normally and a longer one is noticed
/// (<see cref="Exceeded"/>) after reading <c>limit + 1</c> bytes, never more, whatever the client keeps sending.
/// The underlying stream belongs to the server and is not disposed.
/// </summary>
internal sealed class BoundedBody(Stream inner, int limit) : Stream
{
    private long _read;

    /// <summary>Whether the body went on past the limit; what was read is then incomplete and must be refused.</summary>
    public bool Exceeded { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Exceeded)
        {
            return 0;
        }

        // A zero-length read (a pipe reader waiting for data) passes through unchanged.
        var allowed = limit - _read;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, allowed + 1)], cancellationToken);
        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (Exceeded)
        {
            return 0;
        }

        var allowed = limit - _read;
        return Count(inner.Read(buffer, offset, (int)Math.Min(count, allowed + 1)));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Past the limit the read ends the body early: the parser sees an end, and the caller sees <see cref="Exceeded"/>.</summary>
    private int Count(int read)
    {
        if (_read + read > limit)
        {
            Exceeded = true;
            return 0;
        }

        _read += read;
        return read;
    }
}
