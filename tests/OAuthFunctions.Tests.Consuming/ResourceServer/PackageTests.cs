using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using OAuthFunctions.LocalHost;

namespace OAuthFunctions.Tests.Consuming.ResourceServer;

/// <summary>OAuthFunctions.ResourceServer is a NuGet package of its own: its README inside, nothing of the server's.</summary>
public sealed class PackageTests
{
    [Fact]
    public async Task The_package_carries_its_readme_and_depends_on_nothing_of_the_server()
    {
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var output = Directory.CreateTempSubdirectory("oauthfunctions-pack-");
        try
        {
#if DEBUG
            const string Configuration = "Debug";
#else
            const string Configuration = "Release";
#endif
            var pack = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "pack", Path.Combine(root, "src", "OAuthFunctions.ResourceServer"), "--no-build", "--no-restore", "-c", Configuration, "-o", output.FullName, "-nologo" })
            {
                pack.ArgumentList.Add(arg);
            }

            using var process = Process.Start(pack)!;
            var log = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, log);

            var package = Assert.Single(output.GetFiles("OAuthFunctions.ResourceServer.*.nupkg"));
            using var zip = ZipFile.OpenRead(package.FullName);
            Assert.NotNull(zip.GetEntry("README.md"));
            Assert.NotNull(zip.GetEntry("lib/net10.0/OAuthFunctions.ResourceServer.dll"));
            await using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var nuspec = await XDocument.LoadAsync(nuspecStream, LoadOptions.None, CancellationToken.None);
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            Assert.Equal("README.md", metadata.Elements().Single(e => e.Name.LocalName == "readme").Value);
            Assert.DoesNotContain(nuspec.Descendants().Where(e => e.Name.LocalName == "dependency"), d => d.Attribute("id")!.Value.StartsWith("OAuthFunctions", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
