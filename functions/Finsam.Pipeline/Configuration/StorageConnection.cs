using Azure.Storage.Blobs;
using Finsam.Pipeline.Storage;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;

namespace Finsam.Pipeline.Configuration;

/// <summary>
/// The storage the pipeline uses, read from the one connection name <c>FinsamStorage</c> that the Functions blob trigger
/// reads too: a connection string, or <c>FinsamStorage__blobServiceUri</c> with a credential
/// (<c>__credential</c> = managedidentity and <c>__clientId</c> for a user-assigned identity; otherwise
/// DefaultAzureCredential). With neither, the local folder <c>Finsam__Storage__LocalFolder</c> (default ./finsam-data).
/// The earlier names are read under these (<see cref="FinsamConfiguration"/>).
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? BlobServiceUri, string LocalFolder)
{
    public bool IsLocal => ConnectionString is null && BlobServiceUri is null;

    /// <exception cref="FinsamConfigurationException">A connection string or URI that cannot be used.</exception>
    public static StorageConnection Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(FinsamSettings.StorageConnection);
        var connectionString = Value(section.Value);
        if (connectionString is not null)
        {
            try
            {
                _ = new BlobServiceClient(connectionString);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                // The value is not repeated: a connection string may hold an account key.
                throw new FinsamConfigurationException($"{FinsamSettings.StorageConnection} is not a usable storage connection string ({e.Message}). " +
                    $"Use 'UseDevelopmentStorage=true' for Azurite, an account's connection string, or {FinsamSettings.StorageConnection}__blobServiceUri for a managed identity.");
            }
            return new StorageConnection(connectionString, null, DefaultFolder(configuration));
        }
        var uriName = $"{FinsamSettings.StorageConnection}__blobServiceUri";
        var uri = Value(section["blobServiceUri"]) ?? Value(section["serviceUri"]);
        if (uri is not null)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
                throw new FinsamConfigurationException($"{uriName} ('{uri}') is not a valid absolute URL; expected https://ACCOUNT.blob.core.windows.net.");
            return new StorageConnection(null, parsed, DefaultFolder(configuration));
        }
        return new StorageConnection(null, null, DefaultFolder(configuration));
    }

    /// <summary>The store this connection names. <paramref name="azure"/> makes the credential of an identity-based connection.</summary>
    public IBlobStore CreateStore(IConfiguration configuration, AzureComponentFactory azure)
    {
        if (ConnectionString is not null) return AzureBlobStore.FromConnectionString(ConnectionString);
        if (BlobServiceUri is not null)
        {
            var credential = azure.CreateTokenCredential(configuration.GetSection(FinsamSettings.StorageConnection));
            return new AzureBlobStore(new BlobServiceClient(BlobServiceUri, credential));
        }
        return new LocalFolderBlobStore(LocalFolder);
    }

    /// <summary>The local folder the configuration names, whether or not a connection is set.</summary>
    public static string DefaultFolder(IConfiguration configuration) =>
        Value(FinsamConfiguration.WithSharedAndEarlierNames(configuration)[FinsamSettings.Key(o => o.Storage.LocalFolder)]) ?? StorageSettings.DefaultLocalFolder;

    private static string? Value(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
