import { describe, expect, it } from 'vitest';
import { api, GatewayError, parseRetryAfter, errorFromResponse } from '../src/lib/gateway';
import { jsonResponse, stubFetch } from './helpers';

describe('api helpers', () => {
  it('send X-CSRF: 1 and same-origin credentials on state-changing calls only', async () => {
    const calls = stubFetch(() => jsonResponse(200, { ok: true }));
    await api.get('/api/tools');
    await api.post('/api/tools/calculator/call', { arguments: {} });
    await api.delete('/api/conversations/c/contexts/1');

    expect(calls.map((c) => [c.init.method, c.headers['x-csrf']])).toEqual([
      ['GET', undefined],
      ['POST', '1'],
      ['DELETE', '1'],
    ]);
    expect(calls.every((c) => c.init.credentials === 'same-origin')).toBe(true);
    expect(calls[1].headers['content-type']).toBe('application/json');
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ arguments: {} });
  });

  it.each([
    [401, 'session_expired', 'session_expired'],
    [401, 'unauthenticated', 'unauthenticated'],
    [403, 'csrf_header_missing', 'csrf_header_missing'],
    [502, 'upstream_unavailable', 'upstream_unavailable'],
    [504, 'upstream_timeout', 'upstream_timeout'],
  ])('parse a %i {error: %s} into a typed GatewayError', async (status, code, expected) => {
    stubFetch(() => jsonResponse(status, { error: code, error_description: 'because' }));
    const error = await api.get('/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status, code: expected, description: 'because' });
    expect((error as GatewayError).signInRequired).toBe(status === 401);
  });

  it('carry Retry-After of a 429 and a 503', async () => {
    stubFetch((url) => url.endsWith('429')
      ? jsonResponse(429, { error: 'rate_limited', error_description: 'Too many requests; retry in 7 s.' }, { 'Retry-After': '7' })
      : jsonResponse(503, { error: 'temporarily_unavailable', error_description: 'Redis' }, { 'Retry-After': '2' }));
    await expect(api.post('/api/429', {})).rejects.toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 7 });
    await expect(api.get('/api/503')).rejects.toMatchObject({ status: 503, code: 'temporarily_unavailable', retryAfter: 2 });
  });

  it('derive the code from the status when the body is not the gateway\'s JSON', async () => {
    stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 502, code: 'upstream_unavailable' });
  });

  it('read the chat server\'s own {error: {code, message}} shape', async () => {
    const error = await errorFromResponse(jsonResponse(400, { error: { code: 'invalid_request', message: '"messages" must be a non-empty array' } }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', description: '"messages" must be a non-empty array' });
  });

  it('turn a failed fetch into network_error, and let an abort through', async () => {
    stubFetch(() => { throw new TypeError('Failed to fetch'); });
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'network_error' });

    stubFetch(() => { throw new DOMException('The operation was aborted.', 'AbortError'); });
    await expect(api.get('/api/x')).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('read Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
