namespace Finsam.Pipeline.Storage;

/// <summary>
/// Which backend to use. With nothing set, the local folder <see cref="DefaultLocalFolder"/> is used.
/// A connection string wins over an account URL; either selects Azure Blob Storage.
/// </summary>
public sealed record StorageOptions(string? LocalFolder = null, string? ConnectionString = null, string? AccountUrl = null)
{
    public const string DefaultLocalFolder = "./finsam-data";

    public IBlobStore Create()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString)) return AzureBlobStore.FromConnectionString(ConnectionString);
        if (!string.IsNullOrWhiteSpace(AccountUrl))
        {
            if (!Uri.TryCreate(AccountUrl, UriKind.Absolute, out var url))
                throw new ArgumentException($"The storage account URL '{AccountUrl}' is not a valid absolute URL (expected https://ACCOUNT.blob.core.windows.net).");
            return AzureBlobStore.FromAccountUrl(url);
        }
        return new LocalFolderBlobStore(string.IsNullOrWhiteSpace(LocalFolder) ? DefaultLocalFolder : LocalFolder);
    }
}
