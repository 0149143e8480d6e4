import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/lib/gateway';
import { authorizationLabel, connectorReturnNotice, prefixLabel, stateLabel } from '../src/app/connectorView';
import { describeError } from '../src/app/errors';

describe('the notice after a connector callback', () => {
  it('say "Connected to X" as good news', () => {
    expect(connectorReturnNotice({ connector: 'github', result: 'connected' }))
      .toEqual({ title: 'Connectors', tone: 'success', code: 'connector_connected', message: 'Connected to github.' });
  });

  it('say "Could not connect X: <error>" as a failure, explained when the code is known', () => {
    expect(connectorReturnNotice({ connector: 'github', result: 'error', error: 'access_denied' })).toEqual({
      title: 'Connectors', code: 'access_denied', message: 'Could not connect github: access_denied',
      detail: 'The connector was not connected: the authorization was refused or cancelled.',
    });
    const unknown = connectorReturnNotice({ connector: 'jira', result: 'error', error: 'something_new' });
    expect(unknown).toEqual({ title: 'Connectors', code: 'something_new', message: 'Could not connect jira: something_new' });
    expect(unknown.tone).toBeUndefined();
  });
});

describe('connector labels', () => {
  it('name states, modes and prefixes in words', () => {
    expect(stateLabel('connected')).toBe('Connected');
    expect(stateLabel('authorization_required')).toBe('Authorization required');
    expect(stateLabel('unavailable')).toBe('Unavailable');
    expect(stateLabel('future_state')).toBe('future_state');
    expect(authorizationLabel('session')).toBe('your sign-in');
    expect(authorizationLabel('discover')).toBe('its own authorization');
    expect(authorizationLabel('none')).toBe('no authorization');
    expect(prefixLabel('github__')).toBe('github__…');
    expect(prefixLabel('')).toBe('no prefix');
  });
});

describe('connector errors in the banner', () => {
  it.each([
    ['connector_not_found', 404, 'The gateway has no such connector'],
    ['not_authorizable', 409, 'nothing to connect'],
    ['connector_discovery_failed', 502, 'authorization server could not be found'],
  ])('explain %s', (code, status, words) => {
    const notice = describeError(new GatewayError(status, code, 'The metadata names another resource.'), 'Connect github');
    expect(notice?.message).toContain(words);
    expect(notice).toMatchObject({ title: 'Connect github', code, detail: 'The metadata names another resource.' });
  });
});
