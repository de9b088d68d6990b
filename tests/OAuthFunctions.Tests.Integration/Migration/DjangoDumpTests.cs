using System.Globalization;
using System.Text;
using OAuthFunctions.Storage.Migration;

namespace OAuthFunctions.Tests.Integration.Migration;

/// <summary>A dump is read as a stream, one record at a time: its size does not decide the memory an import needs.</summary>
public sealed class DjangoDumpTests
{
    [Fact]
    public async Task A_large_dump_is_read_in_bounded_memory()
    {
        const int Records = 200_000;
        using var dump = new GeneratedDump(Records);
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        var count = 0;

        await foreach (var record in DjangoDump.ReadAsync(dump, CancellationToken.None))
        {
            Assert.Equal("oauth2.accesstoken", record.Model);
            if (++count % 20_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        Assert.Equal(Records, count);
        Assert.True(dump.Length > 40_000_000, $"The dump was only {dump.Length} bytes.");
        Assert.True(peak < 16_000_000, $"Reading a {dump.Length / 1_000_000} MB dump held {peak / 1_000_000} MB.");
    }

    [Fact]
    public async Task A_file_that_is_not_an_array_is_a_format_error()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"model\": \"auth.user\"}"));

        await Assert.ThrowsAsync<DumpFormatException>(async () =>
        {
            await foreach (var unused in DjangoDump.ReadAsync(stream, CancellationToken.None))
            {
            }
        });
    }

    /// <summary>Writes a dumpdata array of access tokens as it is read, so that the test itself holds none of it.</summary>
    private sealed class GeneratedDump(int records) : Stream
    {
        private byte[] _pending = Encoding.UTF8.GetBytes("[\n");
        private int _offset;
        private int _written;
        private long _length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var copied = 0;
            while (copied < count)
            {
                if (_offset == _pending.Length && !Next())
                {
                    break;
                }

                var n = Math.Min(count - copied, _pending.Length - _offset);
                Array.Copy(_pending, _offset, buffer, offset + copied, n);
                _offset += n;
                copied += n;
            }

            _length += copied;
            return copied;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private bool Next()
        {
            if (_written > records)
            {
                return false;
            }

            var pk = _written++;
            var text = pk == records
                ? "]\n"
                : string.Create(CultureInfo.InvariantCulture, $"{(pk == 0 ? string.Empty : ",\n")}{{\"model\": \"oauth2.accesstoken\", \"pk\": {pk}, \"fields\": {{\"user\": 1, \"token\": \"{pk:x40}\", \"client\": 1, \"expires\": \"2099-01-01T00:00:00Z\", \"scope\": 2, \"padding\": \"{new string('x', 120)}\"}}}}");
            _pending = Encoding.UTF8.GetBytes(text);
            _offset = 0;
            return true;
        }
    }
}
