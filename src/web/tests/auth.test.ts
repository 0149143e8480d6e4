import { describe, expect, it } from 'vitest';
import { authErrorFromUrl, isLocalPath, login, loginUrl, logout, session } from '../src/lib/gateway';
import { jsonResponse, stubFetch, stubLocation } from './helpers';

describe('session', () => {
  it('return the signed-in user', async () => {
    const calls = stubFetch(() => jsonResponse(200, { authenticated: true, sub: 'alice', name: 'Alice', email: 'a@example.com', expiresAt: '2026-01-01T08:00:00Z' }));
    await expect(session()).resolves.toEqual({ authenticated: true, sub: 'alice', name: 'Alice', email: 'a@example.com', expiresAt: '2026-01-01T08:00:00Z' });
    expect(calls[0]).toMatchObject({ url: '/auth/session', init: { credentials: 'same-origin' } });
  });

  it('answer a 401 as signed out, with the reason', async () => {
    stubFetch(() => jsonResponse(401, { authenticated: false, error: 'session_expired', error_description: 'The session has ended.' }));
    await expect(session()).resolves.toEqual({ authenticated: false, error: 'session_expired', error_description: 'The session has ended.' });
  });

  it('throw on a 503', async () => {
    stubFetch(() => jsonResponse(503, { error: 'temporarily_unavailable', error_description: 'Redis is down' }, { 'Retry-After': '1' }));
    await expect(session()).rejects.toMatchObject({ code: 'temporarily_unavailable', retryAfter: 1 });
  });
});

describe('login', () => {
  it('go to /auth/login with a local return URL only', () => {
    const location = stubLocation();
    login('/chat?c=trip');
    expect(location.assign).toHaveBeenLastCalledWith('/auth/login?returnUrl=%2Fchat%3Fc%3Dtrip');
    for (const foreign of ['https://evil.example/', '//evil.example', '/\\evil.example', 'chat', '/a\u0000b']) {
      expect(isLocalPath(foreign)).toBe(false);
      expect(loginUrl(foreign)).toBe('/auth/login?returnUrl=%2F');
    }
  });

  it('return to the current page by default, without a previous auth_error', () => {
    const location = stubLocation('http://127.0.0.1:5000/chat?auth_error=login_failed&c=1#x');
    login();
    expect(location.assign).toHaveBeenLastCalledWith(`/auth/login?returnUrl=${encodeURIComponent('/chat?c=1#x')}`);
  });

  it('read auth_error from the address', () => {
    expect(authErrorFromUrl('http://127.0.0.1:5000/?auth_error=access_denied')).toBe('access_denied');
    expect(authErrorFromUrl('http://127.0.0.1:5000/')).toBeUndefined();
  });
});

describe('logout', () => {
  it('POST with X-CSRF, then follow the redirect', async () => {
    const location = stubLocation();
    const end = 'http://127.0.0.1:5100/session/end?client_id=x&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2F';
    const calls = stubFetch(() => jsonResponse(200, { redirect: end }));
    await expect(logout()).resolves.toBe(end);
    expect(calls[0]).toMatchObject({ url: '/auth/logout', init: { method: 'POST', credentials: 'same-origin' } });
    expect(calls[0].headers['x-csrf']).toBe('1');
    expect(location.assign).toHaveBeenCalledWith(end);
  });

  it('go home when the session was already gone, and never follow a javascript: redirect', async () => {
    const location = stubLocation();
    stubFetch(() => jsonResponse(401, { error: 'unauthenticated', error_description: 'Nobody is signed in.' }));
    await logout();
    expect(location.assign).toHaveBeenLastCalledWith('/');

    stubFetch(() => jsonResponse(200, { redirect: 'javascript:alert(1)' }));
    await logout();
    expect(location.assign).toHaveBeenLastCalledWith('/');
  });

  it('throw other failures (e.g. CSRF refusal) without navigating', async () => {
    const location = stubLocation();
    stubFetch(() => jsonResponse(403, { error: 'csrf_header_missing', error_description: 'X-CSRF' }));
    await expect(logout()).rejects.toMatchObject({ status: 403, code: 'csrf_header_missing' });
    expect(location.assign).not.toHaveBeenCalled();
  });
});
