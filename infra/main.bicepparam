// Parameters for `azd up` and for `az deployment group create -p infra/main.bicepparam`.
// azd exports its environment (AZURE_ENV_NAME, AZURE_PRINCIPAL_ID, ...) to the Bicep compiler, which reads it
// here; without azd the fallbacks apply. Every other parameter keeps its default from main.bicep (see
// docs/DEPLOY.md); set one here, e.g. `param issuer = 'https://login.example.com'`, or on the command line.
// location is not set: it defaults to the resource group's region (azd creates the group in AZURE_LOCATION).
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'oauth')

// The signed-in azd user gets Storage Table Data Contributor, to create the first client with the CLI.
// In CI, signed in as a service principal, set AZURE_PRINCIPAL_TYPE=ServicePrincipal (or clear the id).
param deployerPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param deployerPrincipalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')
