namespace Finsam.Pipeline.Storage;

/// <summary>
/// A store whose blobs are files on this machine, which DuckDB can read where they are instead of
/// from a downloaded copy. A blob replaced while it is read stays whole: writes are renames.
/// </summary>
public interface ILocalFileStore
{
    /// <summary>The file that holds the blob (it need not exist).</summary>
    string LocalPath(string container, string name);
}
