import { describe, expect, it, vi } from 'vitest';
import {
  authorizeConnector, canConnect, canDisconnect, clearConnectorResultFromUrl, connectConnector, connectorResultFromUrl,
  connectorReturnPath, connectors, disconnectConnector, GatewayError, withoutConnectorResult,
} from '../src/lib/gateway';
import { jsonResponse, stubFetch, stubLocation } from './helpers';

const listed = {
  connectors: [
    { name: 'default', authorization: 'session', toolPrefix: '', state: 'connected', reason: null },
    { name: 'github', authorization: 'discover', toolPrefix: 'github__', state: 'authorization_required', reason: null },
    { name: 'search', authorization: 'none', toolPrefix: 'search__', state: 'unavailable', reason: 'connection refused' },
  ],
};

function stubHistory(): { replaceState: ReturnType<typeof vi.fn>; state: unknown } {
  const history = { state: { kept: true }, replaceState: vi.fn() };
  vi.stubGlobal('history', history);
  return history;
}

describe('connectors client', () => {
  it('list the connectors with GET, same-origin and without X-CSRF', async () => {
    const calls = stubFetch(() => jsonResponse(200, listed));
    await expect(connectors()).resolves.toEqual(listed.connectors);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: '/api/connectors', init: { method: 'GET', credentials: 'same-origin' } });
    expect(calls[0].headers['x-csrf']).toBeUndefined();
  });

  it('keep entries it can read and give missing members a safe value', async () => {
    stubFetch(() => jsonResponse(200, { connectors: [{ name: 'x' }, { authorization: 'discover' }, null, { name: 'y', state: 'connected', reason: '' }] }));
    await expect(connectors()).resolves.toEqual([
      { name: 'x', authorization: 'none', toolPrefix: '', state: 'unavailable', reason: null },
      { name: 'y', authorization: 'none', toolPrefix: '', state: 'connected', reason: null },
    ]);
  });

  it('reject a 401 as a GatewayError that asks to sign in', async () => {
    stubFetch(() => jsonResponse(401, { error: 'unauthenticated', error_description: 'Nobody is signed in.' }));
    const error = await connectors().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).signInRequired).toBe(true);
  });

  it('authorize with POST, X-CSRF: 1 and the current page as returnUrl, then go to the answered URL', async () => {
    const location = stubLocation('http://127.0.0.1:5000/chat?c=trip#top');
    const url = 'http://127.0.0.1:5200/auth?client_id=gw&state=s&code_challenge=c&resource=http%3A%2F%2F127.0.0.1%3A5300%2Fmcp';
    const calls = stubFetch(() => jsonResponse(200, { url }));

    await expect(connectConnector('git hub')).resolves.toBe(url);

    expect(calls[0]).toMatchObject({ url: '/api/connectors/git%20hub/authorize', init: { method: 'POST', credentials: 'same-origin' } });
    expect(calls[0].headers['x-csrf']).toBe('1');
    expect(calls[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ returnUrl: '/chat?c=trip#top' });
    expect(location.assign).toHaveBeenCalledExactlyOnceWith(url);
  });

  it('return to the page without an earlier connector result or auth_error', async () => {
    stubLocation('http://127.0.0.1:5000/chat?connector=github&connector_result=error&connector_error=access_denied&c=1&auth_error=x');
    expect(connectorReturnPath()).toBe('/chat?c=1');
    const calls = stubFetch(() => jsonResponse(200, { url: 'https://as.example/authorize' }));
    await authorizeConnector('github');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ returnUrl: '/chat?c=1' });
  });

  it('send a non-local returnUrl as "/"', async () => {
    const calls = stubFetch(() => jsonResponse(200, { url: 'https://as.example/authorize' }));
    await authorizeConnector('github', 'https://evil.example/');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ returnUrl: '/' });
  });

  it('never navigate to a javascript: URL or a missing one', async () => {
    const location = stubLocation();
    for (const body of [{ url: 'javascript:alert(1)' }, {}, { url: 42 }]) {
      stubFetch(() => jsonResponse(200, body));
      await expect(connectConnector('github')).rejects.toMatchObject({ code: 'invalid_response' });
    }
    expect(location.assign).not.toHaveBeenCalled();
  });

  it.each([
    [404, { error: 'connector_not_found', error_description: 'No connector "nope".' }, 'connector_not_found', 'No connector "nope".'],
    [409, { error: 'not_authorizable', error_description: 'default uses the sign-in token.' }, 'not_authorizable', 'default uses the sign-in token.'],
    [502, { error: 'connector_discovery_failed', message: 'The protected-resource metadata names another resource.' }, 'connector_discovery_failed', 'The protected-resource metadata names another resource.'],
  ])('reject an authorize %i as a typed GatewayError without navigating', async (status, body, code, description) => {
    const location = stubLocation();
    stubFetch(() => jsonResponse(status, body));
    await expect(connectConnector('nope')).rejects.toMatchObject({ status, code, description });
    expect(location.assign).not.toHaveBeenCalled();
  });

  it('disconnect with DELETE and X-CSRF: 1', async () => {
    const calls = stubFetch(() => jsonResponse(200, { name: 'github', state: 'authorization_required' }));
    await expect(disconnectConnector('github')).resolves.toEqual({ name: 'github', state: 'authorization_required' });
    expect(calls[0]).toMatchObject({ url: '/api/connectors/github', init: { method: 'DELETE', credentials: 'same-origin' } });
    expect(calls[0].headers['x-csrf']).toBe('1');
  });

  it('offer Connect for a discover connector waiting for authorization, Disconnect for a connected one, nothing else', () => {
    expect(canConnect({ authorization: 'discover', state: 'authorization_required' })).toBe(true);
    expect(canDisconnect({ authorization: 'discover', state: 'connected' })).toBe(true);
    for (const other of [
      { authorization: 'session', state: 'authorization_required' }, { authorization: 'session', state: 'connected' },
      { authorization: 'none', state: 'connected' }, { authorization: 'discover', state: 'unavailable' },
    ]) {
      expect(canConnect(other)).toBe(false);
      expect(canDisconnect(other)).toBe(false);
    }
  });
});

describe('the return from a connector callback', () => {
  it('read connected and error results from the address', () => {
    expect(connectorResultFromUrl('http://127.0.0.1:5000/?connector=github&connector_result=connected'))
      .toEqual({ connector: 'github', result: 'connected' });
    expect(connectorResultFromUrl('http://127.0.0.1:5000/chat?x=1&connector=github&connector_result=error&connector_error=access_denied'))
      .toEqual({ connector: 'github', result: 'error', error: 'access_denied' });
    expect(connectorResultFromUrl('http://127.0.0.1:5000/?connector=github&connector_result=error'))
      .toEqual({ connector: 'github', result: 'error', error: 'unknown_error' });
  });

  it('ignore incomplete or unknown results', () => {
    for (const query of ['', '?connector=github', '?connector_result=connected', '?connector=&connector_result=connected', '?connector=github&connector_result=maybe']) {
      expect(connectorResultFromUrl(`http://127.0.0.1:5000/${query}`)).toBeUndefined();
    }
  });

  it('remove only the connector parameters, keeping the rest of the address', () => {
    expect(withoutConnectorResult('http://127.0.0.1:5000/chat?c=trip&connector=github&connector_result=error&connector_error=access_denied#m'))
      .toBe('/chat?c=trip#m');
    expect(withoutConnectorResult('http://127.0.0.1:5000/?connector=github&connector_result=connected')).toBe('/');
  });

  it('replace the address with history.replaceState, keeping its state', () => {
    stubLocation('http://127.0.0.1:5000/chat?c=trip&connector=github&connector_result=connected#m');
    const history = stubHistory();
    expect(clearConnectorResultFromUrl()).toBe(true);
    expect(history.replaceState).toHaveBeenCalledExactlyOnceWith({ kept: true }, '', '/chat?c=trip#m');
  });

  it('leave an address without connector parameters alone', () => {
    stubLocation('http://127.0.0.1:5000/chat?c=trip');
    const history = stubHistory();
    expect(clearConnectorResultFromUrl()).toBe(false);
    expect(history.replaceState).not.toHaveBeenCalled();
  });
});
