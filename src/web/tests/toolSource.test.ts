import { beforeEach, describe, expect, it } from 'vitest';
import {
  connectConnector, connectorAuthorizationNeeded, ErrorCode, McpError, McpSocket, missingConnectors, type Connector,
} from '../src/lib/gateway';
import { invokeTool, loadToolListing } from '../src/app/toolSource';
import { authorizationNeededText, connectorPlaceholders } from '../src/app/connectorView';
import { describeError } from '../src/app/errors';
import { FakeSocket, INITIALIZE_RESULT, flush, jsonResponse, stubFetch, stubLocation } from './helpers';

const META = 'io.mcpgateway/connectors';

function socket(): McpSocket {
  return new McpSocket({
    url: 'ws://127.0.0.1:5000/mcp',
    createWebSocket: (url, protocols) => new FakeSocket(url, protocols),
    verifySession: false,
    reconnect: false,
  });
}

async function openSocket(): Promise<{ socket: McpSocket; ws: FakeSocket }> {
  const s = socket();
  const connected = s.connect();
  const ws = FakeSocket.last;
  ws.open();
  await flush();
  ws.answer('initialize', INITIALIZE_RESULT);
  await connected;
  return { socket: s, ws };
}

/** Answers the next `tools/call` with a JSON-RPC error. */
async function refuseCall(ws: FakeSocket, error: { code: number; message: string; data?: unknown }): Promise<void> {
  await flush();
  const request = ws.requests('tools/call').at(-1)!;
  ws.push({ jsonrpc: '2.0', id: request.id, error });
}

beforeEach(() => {
  FakeSocket.all = [];
});

describe('tool listing', () => {
  it('ask tools/list over the open socket, every page, and read the missing connectors from _meta', async () => {
    const rest = stubFetch(() => jsonResponse(500, {}));
    const { socket: s, ws } = await openSocket();

    const listing = loadToolListing(s);
    await flush();
    expect(ws.requests('tools/list')[0].params).toBeUndefined();
    ws.answer('tools/list', {
      tools: [{ name: 'calculator' }, { name: 'echo' }],
      nextCursor: 'page-2',
      _meta: { [META]: [{ name: 'github', state: 'authorization_required' }] },
    });
    await flush();
    expect(ws.requests('tools/list')[1].params).toEqual({ cursor: 'page-2' });
    ws.answer('tools/list', { tools: [{ name: 'search__find' }], _meta: { [META]: [{ name: 'jira', state: 'unavailable', reason: 'connection refused' }] } });

    await expect(listing).resolves.toEqual({
      tools: [{ name: 'calculator' }, { name: 'echo' }, { name: 'search__find' }],
      missing: [{ name: 'github', state: 'authorization_required' }, { name: 'jira', state: 'unavailable', reason: 'connection refused' }],
      via: 'socket',
    });
    expect(rest).toHaveLength(0);
  });

  it('wait for a socket that is still opening', async () => {
    stubFetch(() => jsonResponse(500, {}));
    const s = socket();
    void s.connect();
    const listing = loadToolListing(s);
    const ws = FakeSocket.last;
    ws.open();
    await flush();
    ws.answer('initialize', INITIALIZE_RESULT);
    await flush();
    await flush();
    ws.answer('tools/list', { tools: [{ name: 'calculator' }] });
    await expect(listing).resolves.toMatchObject({ tools: [{ name: 'calculator' }], missing: [], via: 'socket' });
  });

  it('ask GET /api/tools without a socket, reading its upstream status and _meta', async () => {
    const calls = stubFetch(() => jsonResponse(200, {
      tools: [{ name: 'calculator' }],
      upstream: { status: 'unavailable', detail: 'The MCP server is unavailable: refused' },
      _meta: { [META]: [{ name: 'github', state: 'authorization_required' }, { name: 'github', state: 'unavailable' }, { state: 'x' }] },
    }));
    await expect(loadToolListing(null)).resolves.toEqual({
      tools: [{ name: 'calculator' }],
      upstream: { status: 'unavailable', detail: 'The MCP server is unavailable: refused' },
      missing: [{ name: 'github', state: 'authorization_required' }],
      via: 'rest',
    });
    expect(calls.map((c) => c.url)).toEqual(['/api/tools']);
  });

  it('fall back to REST when the socket is refused while opening', async () => {
    const calls = stubFetch(() => jsonResponse(200, { tools: [{ name: 'calculator' }], upstream: { status: 'ok' } }));
    const s = socket();
    void s.connect().catch(() => undefined);
    const listing = loadToolListing(s);
    FakeSocket.last.drop(1008, 'too many sockets');
    await expect(listing).resolves.toMatchObject({ tools: [{ name: 'calculator' }], via: 'rest' });
    expect(calls).toHaveLength(1);
  });

  it('ask REST when the socket does not open in time, without sending tools/list on it', async () => {
    const calls = stubFetch(() => jsonResponse(200, { tools: [{ name: 'calculator' }], upstream: { status: 'ok' } }));
    const s = socket();
    void s.connect().catch(() => undefined);
    await expect(loadToolListing(s, { openWaitMs: 20 })).resolves.toMatchObject({ tools: [{ name: 'calculator' }], via: 'rest' });
    expect(s.state).toBe('connecting');
    expect(calls).toHaveLength(1);
    FakeSocket.last.open();
    await flush();
    expect(FakeSocket.last.requests('tools/list')).toHaveLength(0);
    s.close();
  });

  it('ask REST when the socket opened but its MCP session did not start', async () => {
    const calls = stubFetch(() => jsonResponse(200, { tools: [{ name: 'calculator' }], upstream: { status: 'unavailable' } }));
    const s = socket();
    const connected = s.connect();
    const ws = FakeSocket.last;
    ws.open();
    await flush();
    const init = ws.requests('initialize')[0];
    ws.push({ jsonrpc: '2.0', id: init.id, error: { code: ErrorCode.UpstreamUnavailable, message: 'The MCP server is unavailable.' } });
    await connected;
    expect(s.initializeError).toBeDefined();

    await expect(loadToolListing(s)).resolves.toMatchObject({ upstream: { status: 'unavailable' }, via: 'rest' });
    expect(calls).toHaveLength(1);
    expect(ws.requests('tools/list')).toHaveLength(0);
  });

  it('read _meta only from objects that carry the connectors list', () => {
    expect(missingConnectors(undefined)).toEqual([]);
    expect(missingConnectors({ tools: [] })).toEqual([]);
    expect(missingConnectors({ _meta: { [META]: 'github' } })).toEqual([]);
    expect(missingConnectors({ _meta: { other: [{ name: 'x', state: 'unavailable' }] } })).toEqual([]);
  });
});

describe('tool calls refused for a connector', () => {
  it('read -32008 over the socket as authorization required for the named connector', async () => {
    stubFetch(() => jsonResponse(500, {}));
    const { socket: s, ws } = await openSocket();
    const call = invokeTool(s, 'github__create_issue', { title: 't' });
    await refuseCall(ws, {
      code: -32008,
      message: 'Connector github needs your authorization.',
      data: { connector: 'github', state: 'authorization_required', authorize: '/api/connectors/github/authorize' },
    });
    const error = await call.catch((e: unknown) => e);

    expect(ws.requests('tools/call')[0].params).toEqual({ name: 'github__create_issue', arguments: { title: 't' } });
    expect(error).toBeInstanceOf(McpError);
    const needed = connectorAuthorizationNeeded(error);
    expect(needed).toEqual({
      connector: 'github', state: 'authorization_required',
      message: 'Connector github needs your authorization.', authorize: '/api/connectors/github/authorize',
    });
    expect(authorizationNeededText(needed!)).toBe('github is not connected yet. Connect it to use its tools.');
  });

  it('read -32009 as a step-up with the scope it needs', async () => {
    const { socket: s, ws } = await openSocket();
    const call = invokeTool(s, 'github__delete_repo', {});
    await refuseCall(ws, {
      code: -32009,
      message: 'The server needs scope repo:delete.',
      data: { connector: 'github', state: 'insufficient_scope', scope: 'repo:delete', authorize: '/api/connectors/github/authorize' },
    });
    const needed = connectorAuthorizationNeeded(await call.catch((e: unknown) => e));
    expect(needed).toMatchObject({ connector: 'github', state: 'insufficient_scope', scope: 'repo:delete' });
    expect(authorizationNeededText(needed!)).toBe('github needs more permissions for this call (scope: repo:delete). Connect it again to grant them (what you granted before stays).');
  });

  it('re-authorize after -32009 with the same Connect: only the returnUrl is sent, never the demanded scope', async () => {
    const { socket: s, ws } = await openSocket();
    const call = invokeTool(s, 'github__delete_repo', {});
    await refuseCall(ws, {
      code: -32009,
      message: 'The server needs scope repo:delete.',
      data: { connector: 'github', state: 'insufficient_scope', scope: 'repo repo:delete', authorize: '/api/connectors/github/authorize' },
    });
    const needed = connectorAuthorizationNeeded(await call.catch((e: unknown) => e))!;
    const location = stubLocation('http://127.0.0.1:5000/tools');
    const url = 'http://127.0.0.1:5200/auth?client_id=gw&scope=repo%20repo%3Adelete';
    const calls = stubFetch(() => jsonResponse(200, { url }));

    await connectConnector(needed.connector);

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: '/api/connectors/github/authorize', init: { method: 'POST' } });
    expect(calls[0].headers['x-csrf']).toBe('1');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ returnUrl: '/tools' });
    expect(location.assign).toHaveBeenCalledExactlyOnceWith(url);
  });

  it('leave other errors, and -32008 without a connector or with a foreign authorize URL, as they are', () => {
    expect(connectorAuthorizationNeeded(new McpError(ErrorCode.UpstreamUnavailable, 'down'))).toBeUndefined();
    expect(connectorAuthorizationNeeded(new McpError(-32008, 'x', undefined))).toBeUndefined();
    expect(connectorAuthorizationNeeded(new McpError(-32008, 'x', { state: 'authorization_required' }))).toBeUndefined();
    expect(connectorAuthorizationNeeded(new Error('-32008'))).toBeUndefined();
    expect(connectorAuthorizationNeeded(new McpError(-32008, 'x', { connector: 'g', authorize: 'https://evil.example/' })))
      .toEqual({ connector: 'g', state: 'authorization_required', message: 'x' });
  });

  it('describe a -32008 that reaches the banner with its own code', () => {
    const notice = describeError(new McpError(-32008, 'Connector github needs your authorization.', { connector: 'github' }), 'Tool call');
    expect(notice).toMatchObject({ code: 'authorization_required', detail: 'Connector github needs your authorization.' });
    expect(notice?.message).toContain('github is not connected yet.');
  });

  it('call over REST when the socket is not open', async () => {
    const calls = stubFetch(() => jsonResponse(200, { content: [{ type: 'text', text: '2' }] }));
    await expect(invokeTool(null, 'calculator', { expression: '1+1' })).resolves.toEqual({ content: [{ type: 'text', text: '2' }] });
    expect(calls[0]).toMatchObject({ url: '/api/tools/calculator/call' });
    expect(calls[0].headers['x-csrf']).toBe('1');
  });
});

describe('connector placeholders in the tools list', () => {
  const known: Connector[] = [
    { name: 'default', authorization: 'session', toolPrefix: '', state: 'connected', reason: null },
    { name: 'github', authorization: 'discover', toolPrefix: 'github__', state: 'authorization_required', reason: null },
    { name: 'jira', authorization: 'discover', toolPrefix: 'jira__', state: 'authorization_required', reason: null },
    { name: 'wiki', authorization: 'discover', toolPrefix: 'wiki__', state: 'connected', reason: null },
  ];

  it('offer Connect for the connectors tools/list names as authorization_required, then for the others waiting', () => {
    const rows = connectorPlaceholders([
      { name: 'github', state: 'authorization_required' },
      { name: 'search', state: 'unavailable', reason: 'connection refused' },
    ], known);
    expect(rows).toEqual([
      { name: 'github', state: 'authorization_required', connectable: true },
      { name: 'search', state: 'unavailable', reason: 'connection refused', connectable: false },
      { name: 'jira', state: 'authorization_required', connectable: true },
    ]);
  });

  it('offer no Connect for a connector that is not a discover one', () => {
    expect(connectorPlaceholders([{ name: 'default', state: 'authorization_required' }], known))
      .toEqual([{ name: 'default', state: 'authorization_required', connectable: false }, { name: 'github', state: 'authorization_required', connectable: true }, { name: 'jira', state: 'authorization_required', connectable: true }]);
  });

  it('show nothing when every connector is connected', () => {
    expect(connectorPlaceholders([], known.filter((c) => c.state === 'connected'))).toEqual([]);
  });
});
