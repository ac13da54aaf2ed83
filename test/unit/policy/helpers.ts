/** A valid statement/document to break one rule at a time. */
export function statement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'wabbit',
    registryScopes: ['registry.wabbit-networks.io/net-monitor'],
    signatureVerification: { level: 'strict' },
    trustStores: ['ca:wabbit'],
    trustedIdentities: ['x509.subject: C=US, ST=WA, O=wabbit-networks.io'],
    ...overrides,
  };
}

export function document(...statements: Array<Record<string, unknown>>): Record<string, unknown> {
  return { version: '1.0', trustPolicies: statements.length > 0 ? statements : [statement()] };
}

export function codes(problems: ReadonlyArray<{ code: string }>): string[] {
  return problems.map((p) => p.code);
}
