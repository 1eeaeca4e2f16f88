using Npgsql;
using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>The contract against Helm's SQL driver on a real PostgreSQL the tests start, plus its table layout.</summary>
public sealed class SqlReleaseStoreTests : ReleaseStoreContractTests, IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly PostgresServer _server;
    private readonly List<SqlReleaseStore> _stores = [];

    public SqlReleaseStoreTests(PostgresServer server) => _server = server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    protected override async Task<Backend> CreateBackendAsync()
    {
        var store = new SqlReleaseStore(_server.ConnectionString, TimeSpan.FromMilliseconds(50));
        _stores.Add(store);
        await store.EnsureSchemaAsync(CancellationToken.None);
        await ExecAsync("TRUNCATE releases_v1, custom_labels_v1");
        return new Backend(store, store, (ns, name) => ExecAsync(
            $"INSERT INTO releases_v1 (key, type, body, name, namespace, version, status, owner, createdAt) VALUES ('{name}', 'helm.sh/release.v1', 'H4sIAAAAnotgzip', 'broken', '{ns}', 1, 'deployed', 'helm', 0)"));
    }

    [Fact]
    public async Task EnsureSchemaAsync_CreatesHelmTablesAndMigrationIds()
    {
        await CreateBackendAsync();

        var columns = await QueryAsync("SELECT column_name FROM information_schema.columns WHERE table_name = 'releases_v1' ORDER BY ordinal_position");
        var labelColumns = await QueryAsync("SELECT column_name FROM information_schema.columns WHERE table_name = 'custom_labels_v1' ORDER BY ordinal_position");
        var migrations = await QueryAsync("SELECT id FROM gorp_migrations ORDER BY id");

        // Helm's migrations use unquoted identifiers, which PostgreSQL folds to lower case.
        Assert.Equal(["key", "type", "body", "name", "namespace", "version", "status", "owner", "createdat", "modifiedat"], columns);
        Assert.Equal(["releasekey", "releasenamespace", "key", "value"], labelColumns);
        Assert.Equal(["custom_labels", "init"], migrations);
    }

    [Fact]
    public async Task CreateAndUpdate_WriteHelmsRowShape()
    {
        var b = await CreateBackendAsync();
        await b.Store.CreateAsync(TestReleases.Build("db", 1, "data", labels: new Dictionary<string, string> { ["team"] = "dba" }));
        await b.Store.UpdateAsync(TestReleases.Build("db", 1, "data", status: ReleaseStatus.Superseded, labels: new Dictionary<string, string> { ["team"] = "dba" }));

        var row = await QueryAsync("SELECT key || '|' || type || '|' || name || '|' || namespace || '|' || version || '|' || status || '|' || owner || '|' || (createdat > 0) || '|' || (modifiedat > 0) FROM releases_v1");
        var body = await QueryAsync("SELECT body FROM releases_v1");
        var labels = await QueryAsync("SELECT releasekey || '|' || releasenamespace || '|' || key || '=' || value FROM custom_labels_v1");

        Assert.Equal(["sh.helm.release.v1.db.v1|helm.sh/release.v1|db|data|1|superseded|helm|true|true"], row);
        Assert.Equal(ReleaseStatus.Superseded, HelmReleaseCodec.Decode(body[0]).Status);
        Assert.Equal(["sh.helm.release.v1.db.v1|data|team=dba"], labels);
    }

    [Fact]
    public async Task WatchRecordsAsync_UnknownVersion_ThrowsExpired()
    {
        var b = await CreateBackendAsync();
        await Assert.ThrowsAsync<ReleaseFeedExpiredException>(async () =>
        {
            await foreach (var unused in b.Feed.WatchRecordsAsync(null, "sql-999999"))
            {
            }
        });
    }

    private async Task ExecAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var result = new List<string>();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
