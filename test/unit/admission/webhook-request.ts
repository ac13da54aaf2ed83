import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';

/** Builds an HttpRequest the way the Functions host hands it to an admission/Gatekeeper handler. */
export function webhookRequest(
  route: string,
  body: string,
  options: { key?: string; timeout?: string; clientCert?: string; contentType?: string } = {},
): HttpRequest {
  const query = options.timeout === undefined ? '' : `?timeout=${encodeURIComponent(options.timeout)}`;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (options.clientCert !== undefined) headers['x-arr-clientcert'] = options.clientCert;
  return new HttpRequest({
    method: 'POST',
    url: `https://trustgate.example/api/${route}${options.key === undefined ? '' : `/${options.key}`}${query}`,
    headers,
    params: options.key === undefined ? {} : { key: options.key },
    body: { string: body },
  });
}

export function context(name = 'admission-validate'): InvocationContext {
  return new InvocationContext({ invocationId: 'test-invocation', functionName: name, logHandler: () => undefined });
}

/** The JSON body of a handler response (jsonBody as set by the handler). */
export function bodyOf<T = Record<string, unknown>>(response: HttpResponseInit): T {
  return response.jsonBody as T;
}
