import type { TokenCredential } from '@azure/identity';

let shared: Promise<TokenCredential> | undefined;

/**
 * The app's Entra ID identity (managed identity in Azure, workload identity, or a developer sign-in locally;
 * AZURE_CLIENT_ID picks a user-assigned identity). Loaded on first use: @azure/identity costs ~280 ms to import,
 * which must not land on the Functions host's module load.
 */
export function azureCredential(): Promise<TokenCredential> {
  shared ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
  return shared;
}
