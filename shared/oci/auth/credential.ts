/** What a registry credential is (its own file so the config reader and the helper protocol share it without a cycle). */
export type RegistryCredential =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (Docker `identitytoken`, ACR exchange result): used with POST to the token realm. */
  | { kind: 'refresh-token'; refreshToken: string };

/** Looks up the credential for a registry host as written in references (`docker.io`, `myacr.azurecr.io`). */
export type CredentialProvider = (registry: string) => Promise<RegistryCredential | undefined>;
