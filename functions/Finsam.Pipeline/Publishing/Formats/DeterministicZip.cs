using System.IO.Compression;

namespace Finsam.Pipeline.Publishing.Formats;

/// <summary>
/// Rewrites a zip (an .xlsx) with fixed entry times and order, so the same content gives the same bytes
/// and re-publishing unchanged data is recognised as unchanged.
/// </summary>
public static class DeterministicZip
{
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="rewriteText">Applied, in entry order, to every .xml and .rels entry (e.g. to replace random ids).</param>
    public static byte[] Normalise(byte[] zip, Func<string, string>? rewriteText = null)
    {
        using var input = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                var copy = archive.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = FixedTime;
                using var from = entry.Open();
                using var to = copy.Open();
                if (rewriteText is not null && (entry.FullName.EndsWith(".xml", StringComparison.Ordinal) || entry.FullName.EndsWith(".rels", StringComparison.Ordinal)))
                {
                    using var reader = new StreamReader(from, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
                    var bytes = System.Text.Encoding.UTF8.GetBytes(rewriteText(reader.ReadToEnd()));
                    to.Write(bytes);
                }
                else from.CopyTo(to);
            }
        }
        return output.ToArray();
    }
}
