namespace OAuthFunctions.Tests.Infra;

/// <summary>Shares one <see cref="CompiledTemplate"/> between every test class of this project: Bicep compiles once per run.</summary>
[CollectionDefinition(Name)]
public sealed class CompiledTemplateGroup : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "Compiled Bicep template";
}
