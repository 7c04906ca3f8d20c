using Azure.Storage.Blobs;
using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>A fresh, empty store per test: a temporary folder, or containers with a unique prefix in Azurite.</summary>
public interface IStoreFactory
{
    IBlobStore Create();
}

public sealed class LocalStoreFactory : IStoreFactory, IDisposable
{
    private readonly List<TempFolder> _folders = [];

    public IBlobStore Create()
    {
        var folder = new TempFolder();
        _folders.Add(folder);
        return new LocalFolderBlobStore(folder.Path);
    }

    public void Dispose() => _folders.ForEach(f => f.Dispose());
}

public sealed class AzuriteStoreFactory(AzuriteFixture azurite) : IStoreFactory
{
    public IBlobStore Create() =>
        new AzureBlobStore(new BlobServiceClient(azurite.ConnectionString), $"t{Guid.NewGuid():N}"[..12] + "-");
}
