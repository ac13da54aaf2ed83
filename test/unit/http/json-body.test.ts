import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorResponse, readJsonBody } from '../../../shared/http/index.js';
import { expectAppError } from '../../helpers/expect-error.js';

const schema = z.strictObject({ subjects: z.array(z.string()).max(2) });

function request(body: string, contentType = 'application/json'): HttpRequest {
  return new HttpRequest({ method: 'POST', url: 'http://localhost/api/x', headers: { 'content-type': contentType }, body: { string: body } });
}

describe('readJsonBody', () => {
  it('parses a valid body', async () => {
    await expect(readJsonBody(request('{"subjects":["a"]}'), { maxBytes: 100, schema })).resolves.toEqual({ subjects: ['a'] });
  });

  it.each([
    ['not json', 'application/json', 'ERR_INVALID_JSON'],
    ['{"subjects":["a"],"extra":1}', 'application/json', 'ERR_INVALID_REQUEST'],
    ['{"subjects":["a","b","c"]}', 'application/json', 'ERR_INVALID_REQUEST'],
    ['{"subjects":[]}', 'text/plain', 'ERR_UNSUPPORTED_MEDIA_TYPE'],
    [JSON.stringify({ subjects: ['x'.repeat(200)] }), 'application/json', 'ERR_BODY_TOO_LARGE'],
  ])('rejects %s', async (body, contentType, code) => {
    await expectAppError(readJsonBody(request(body, contentType), { maxBytes: 100, schema }), code, 'invalid-input');
  });
});

describe('errorResponse', () => {
  it('maps kinds to statuses and hides internal messages', async () => {
    const { AppError } = await import('../../../shared/core/index.js');
    expect(errorResponse(new AppError('ERR_X', 'invalid-input', 'bad')).status).toBe(400);
    expect(errorResponse(new AppError('ERR_BODY_TOO_LARGE', 'invalid-input', 'big')).status).toBe(413);
    const internal = errorResponse(new AppError('ERR_Y', 'internal', 'secret path /etc/x'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.jsonBody)).not.toContain('/etc/x');
    expect(errorResponse(new Error('boom')).status).toBe(500);
  });
});
