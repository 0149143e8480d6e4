import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, McpConnectionError, McpError, McpSocket, type McpSocketOptions, type StateChange } from '../src/lib/gateway';
import { FakeSocket, INITIALIZE_RESULT, flush } from './helpers';

function create(options: McpSocketOptions = {}): { socket: McpSocket; states: StateChange[] } {
  const socket = new McpSocket({
    url: 'ws://127.0.0.1:5000/mcp',
    createWebSocket: (url, protocols) => new FakeSocket(url, protocols),
    verifySession: false,
    random: () => 1,
    ...options,
  });
  const states: StateChange[] = [];
  socket.onState((change) => states.push(change));
  return { socket, states };
}

/** Opens the current fake socket and completes the MCP handshake. */
async function handshake(): Promise<FakeSocket> {
  const ws = FakeSocket.last;
  ws.open();
  await flush();
  ws.answer('initialize', INITIALIZE_RESULT);
  await flush();
  return ws;
}

beforeEach(() => {
  FakeSocket.all = [];
});

afterEach(() => {
  vi.useRealTimers();
});

describe('McpSocket', () => {
  it('open with subprotocol mcp and perform the MCP handshake', async () => {
    const { socket, states } = create({ clientInfo: { name: 'test', version: '1' } });
    const connected = socket.connect();
    expect(FakeSocket.last.protocols).toEqual(['mcp']);
    expect(socket.state).toBe('connecting');

    const ws = await handshake();
    await expect(connected).resolves.toEqual(INITIALIZE_RESULT);
    expect(ws.sent[0]).toEqual({
      jsonrpc: '2.0', id: 1, method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
    });
    expect(ws.notifications('notifications/initialized')).toHaveLength(1);
    expect(socket.state).toBe('open');
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open']);
  });

  it('declare the capabilities of the server requests it can answer', async () => {
    const { socket } = create({ capabilities: { experimental: {} } });
    socket.onRequest('sampling/createMessage', () => ({}));
    socket.onRequest('roots/list', () => ({ roots: [] }));
    void socket.connect();
    FakeSocket.last.open();
    await flush();
    expect(FakeSocket.last.requests('initialize')[0].params.capabilities).toEqual({ experimental: {}, sampling: {}, roots: {} });
  });

  it('correlate answers by id, in any order, and reject JSON-RPC errors with their code', async () => {
    const { socket } = create();
    void socket.connect();
    const ws = await handshake();

    const first = socket.request('tools/list');
    const second = socket.request('tools/call', { name: 'calculator', arguments: { expression: '1+' } });
    const third = socket.request('tools/call', { name: 'echo', arguments: {} });
    await flush();
    const [a, b, c] = ws.sent.slice(-3);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);

    ws.push({ jsonrpc: '2.0', id: c.id, error: { code: ErrorCode.RateLimited, message: 'Too many tool calls; retry in 4 s.', data: { retryAfter: 4 } } });
    ws.push({ jsonrpc: '2.0', id: b.id, result: { content: [{ type: 'text', text: 'bad expression' }], isError: true } });
    ws.push({ jsonrpc: '2.0', id: a.id, result: { tools: [{ name: 'calculator' }] } });

    await expect(first).resolves.toEqual({ tools: [{ name: 'calculator' }] });
    await expect(second).resolves.toMatchObject({ isError: true });
    const error = await third.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: -32004, method: 'tools/call', retryAfter: 4 });
  });

  it('send notifications/cancelled when a request is aborted', async () => {
    const { socket } = create();
    void socket.connect();
    const ws = await handshake();
    const abort = new AbortController();
    const pending = socket.request('tools/call', { name: 'slow' }, { signal: abort.signal });
    await flush();
    const id = ws.requests('tools/call')[0].id;
    abort.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(ws.notifications('notifications/cancelled')[0].params).toMatchObject({ requestId: id });
    // A late answer is ignored.
    ws.push({ jsonrpc: '2.0', id, result: {} });
  });

  it('time a request out, and tell the server', async () => {
    vi.useFakeTimers();
    const { socket } = create();
    void socket.connect();
    const ws = await handshake();
    const pending = socket.request('tools/call', { name: 'slow' }, { timeoutMs: 1000 });
    const outcome = pending.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1001);
    expect(await outcome).toMatchObject({ code: ErrorCode.RequestTimeout });
    expect(ws.notifications('notifications/cancelled')).toHaveLength(1);
  });

  it('dispatch notifications to their subscribers', async () => {
    const { socket } = create();
    void socket.connect();
    const ws = await handshake();
    const updates: unknown[] = [];
    const all: string[] = [];
    const off = socket.on('notifications/context/updated', (params) => updates.push(params));
    socket.on('*', (_params, method) => all.push(method));

    ws.push({ jsonrpc: '2.0', method: 'notifications/context/updated', params: { conversation_id: 'c', action: 'stored', id: '1' } });
    ws.push({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 5 } });
    off();
    ws.push({ jsonrpc: '2.0', method: 'notifications/context/updated', params: { conversation_id: 'c', action: 'deleted', id: '1' } });

    expect(updates).toEqual([{ conversation_id: 'c', action: 'stored', id: '1' }]);
    expect(all).toEqual(['notifications/context/updated', 'notifications/progress', 'notifications/context/updated']);
  });

  it('answer server requests with the handler, -32601 without one, and ping with {}', async () => {
    const { socket } = create();
    socket.onRequest('roots/list', () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
    socket.onRequest('elicitation/create', () => { throw new McpError(-32602, 'declined'); });
    void socket.connect();
    const ws = await handshake();

    ws.push({ jsonrpc: '2.0', id: 's1', method: 'roots/list' });
    ws.push({ jsonrpc: '2.0', id: 's2', method: 'sampling/createMessage', params: {} });
    ws.push({ jsonrpc: '2.0', id: 's3', method: 'ping' });
    ws.push({ jsonrpc: '2.0', id: 's4', method: 'elicitation/create', params: {} });
    await flush();

    const answers = Object.fromEntries(ws.sent.filter((m) => typeof m.id === 'string').map((m) => [m.id, m]));
    expect(answers.s1).toEqual({ jsonrpc: '2.0', id: 's1', result: { roots: [{ uri: 'file:///work', name: 'work' }] } });
    expect(answers.s2.error).toMatchObject({ code: -32601 });
    expect(answers.s3).toEqual({ jsonrpc: '2.0', id: 's3', result: {} });
    expect(answers.s4.error).toEqual({ code: -32602, message: 'declined' });
  });

  it('reconnect with growing delays after 1006, re-initialise, and reject what was in flight', async () => {
    vi.useFakeTimers();
    const { socket, states } = create({ reconnect: { initialDelayMs: 100, maxDelayMs: 250 } });
    void socket.connect();
    const first = await handshake();
    const inFlight = socket.request('tools/list').catch((e: unknown) => e);
    await flush();

    first.drop(1006);
    const error = await inFlight;
    expect(error).toBeInstanceOf(McpConnectionError);
    expect((error as McpConnectionError).closeCode).toBe(1006);
    expect(socket.state).toBe('connecting');
    expect(states.at(-1)).toMatchObject({ state: 'connecting', code: 1006, attempt: 1, retryInMs: 100 });

    // A request made while reconnecting waits for the new connection.
    const waiting = socket.request('tools/list');

    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last.drop(1006); // the gateway is still down
    expect(states.at(-1)).toMatchObject({ attempt: 2, retryInMs: 200 });
    await vi.advanceTimersByTimeAsync(200);
    FakeSocket.last.drop(1013);
    expect(states.at(-1)).toMatchObject({ attempt: 3, retryInMs: 250 }); // capped
    await vi.advanceTimersByTimeAsync(250);

    const second = await handshake();
    expect(second.requests('initialize')).toHaveLength(1);
    expect(socket.state).toBe('open');
    await flush();
    second.answer('tools/list', { tools: [] });
    await expect(waiting).resolves.toEqual({ tools: [] });
  });

  it.each([1001, 1011, 1013, 4408])('reconnect after close code %i', async (code) => {
    vi.useFakeTimers();
    const { socket } = create({ reconnect: { initialDelayMs: 10 } });
    void socket.connect();
    const ws = await handshake();
    ws.drop(code, 'bye');
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeSocket.all).toHaveLength(2);
    expect(socket.state).toBe('connecting');
  });

  it('end with sessionEnded on 4401, without reconnecting', async () => {
    vi.useFakeTimers();
    const { socket } = create();
    const ended = vi.fn();
    socket.onSessionEnded(ended);
    void socket.connect();
    const ws = await handshake();
    ws.drop(4401, 'The session ended.');
    expect(socket.state).toBe('sessionEnded');
    expect(ended).toHaveBeenCalledWith({ code: 4401, reason: 'The session ended.' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    await expect(socket.request('tools/list')).rejects.toBeInstanceOf(McpConnectionError);
  });

  it('stay closed after 1008 (too many sockets)', async () => {
    vi.useFakeTimers();
    const { socket, states } = create();
    void socket.connect();
    const ws = await handshake();
    ws.drop(1008, 'Too many open sockets: at most 8 per user.');
    expect(socket.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ state: 'closed', code: 1008, reason: 'Too many open sockets: at most 8 per user.' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('end with sessionEnded when a refused upgrade (1006) turns out to be a lost session', async () => {
    vi.useFakeTimers();
    const verifySession = vi.fn(async () => false);
    const { socket } = create({ verifySession, reconnect: { initialDelayMs: 10 } });
    const ended = vi.fn();
    socket.onSessionEnded(ended);
    const connected = socket.connect().catch((e: unknown) => e);
    FakeSocket.last.drop(1006);
    await vi.advanceTimersByTimeAsync(10);
    expect(verifySession).toHaveBeenCalled();
    expect(socket.state).toBe('sessionEnded');
    expect(ended).toHaveBeenCalled();
    expect(await connected).toBeInstanceOf(McpConnectionError);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('stay usable when initialize fails upstream, and retry initialize before the next request', async () => {
    const { socket } = create();
    const connected = socket.connect();
    const ws = FakeSocket.last;
    ws.open();
    await flush();
    ws.push({ jsonrpc: '2.0', id: ws.requests('initialize')[0].id, error: { code: -32000, message: 'The MCP server is unavailable' } });
    await expect(connected).resolves.toBeUndefined();
    expect(socket.state).toBe('open');
    expect(socket.initializeError).toMatchObject({ code: -32000 });

    const listed = socket.request('context/list', { conversation_id: 'c' });
    await flush();
    expect(ws.requests('initialize')).toHaveLength(2);
    ws.answer('initialize', INITIALIZE_RESULT);
    await flush();
    expect(socket.initializeError).toBeUndefined();
    ws.answer('context/list', { contexts: [] });
    await expect(listed).resolves.toEqual({ contexts: [] });
  });

  it('close for good on close(), rejecting pending requests', async () => {
    const { socket } = create();
    void socket.connect();
    const ws = await handshake();
    const pending = socket.request('tools/list');
    await flush();
    socket.close();
    await expect(pending).rejects.toBeInstanceOf(McpConnectionError);
    expect(ws.closedByClient).toEqual({ code: 1000, reason: 'Closed by the client.' });
    expect(socket.state).toBe('closed');
    expect(socket.notify('notifications/progress', {})).toBe(false);
  });
});

describe('McpSocket resumption', () => {
  const withHandle = (handle: string, resumed: boolean) => ({
    ...INITIALIZE_RESULT,
    _meta: { 'io.mcpgateway/resume': handle, 'io.mcpgateway/resumed': resumed },
  });

  async function handshakeWith(result: unknown): Promise<FakeSocket> {
    const ws = FakeSocket.last;
    ws.open();
    await flush();
    ws.answer('initialize', result);
    await flush();
    return ws;
  }

  it('keep the handle of the initialize answer and pass it on reconnect, then initialize again on the resumed socket', async () => {
    vi.useFakeTimers();
    const { socket } = create({ reconnect: { initialDelayMs: 10 } });
    void socket.connect();
    const first = await handshakeWith(withHandle('h/1+=', false));
    expect(first.url).toBe('ws://127.0.0.1:5000/mcp');
    expect(socket.resumeHandle).toBe('h/1+=');
    expect(socket.resumed).toBe(false);

    first.drop(1006);
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:5000/mcp?resume=h%2F1%2B%3D');
    const second = await handshakeWith(withHandle('h/1+=', true));
    expect(second.requests('initialize')).toHaveLength(1);
    expect(socket.resumed).toBe(true);
    expect(socket.state).toBe('open');
  });

  it('take the new handle when the gateway started a new session (expired handle), and pass that one next time', async () => {
    vi.useFakeTimers();
    const { socket } = create({ url: 'ws://127.0.0.1:5000/mcp?x=1', reconnect: { initialDelayMs: 10 } });
    void socket.connect();
    (await handshakeWith(withHandle('old', false))).drop(1001);
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:5000/mcp?x=1&resume=old');
    (await handshakeWith(withHandle('new', false))).drop(1006);
    await vi.advanceTimersByTimeAsync(10);

    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:5000/mcp?x=1&resume=new');
    expect(socket.resumed).toBe(false);
  });

  it('reconnect at once without the handle when the gateway refuses it (4403)', async () => {
    vi.useFakeTimers();
    const { socket } = create({ reconnect: { initialDelayMs: 10 } });
    void socket.connect();
    (await handshakeWith(withHandle('theirs', false))).drop(1006);
    await vi.advanceTimersByTimeAsync(10);
    FakeSocket.last.drop(4403, 'This resume handle belongs to another sign-in session');

    expect(FakeSocket.all).toHaveLength(3);
    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:5000/mcp');
    expect(socket.resumeHandle).toBeUndefined();
    expect(socket.state).toBe('connecting');
  });

  it('forget the handle on close(), so that the next connect() starts a new session', async () => {
    const { socket } = create();
    void socket.connect();
    await handshakeWith(withHandle('mine', false));
    socket.close();
    expect(socket.resumeHandle).toBeUndefined();

    void socket.connect();
    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:5000/mcp');
  });

  it('keep the requests a lost connection left unanswered that the resumed session still answers, and reject the others', async () => {
    vi.useFakeTimers();
    const { socket } = create({ reconnect: { initialDelayMs: 10 } });
    void socket.connect();
    const first = await handshakeWith(withHandle('h', false));
    const kept = socket.request('tools/call', { name: 'slow', arguments: {} });
    const lost = socket.request('tools/call', { name: 'echo', arguments: {} }).catch((error: unknown) => error);
    await flush();
    const [keptFrame, lostFrame] = first.sent.slice(-2);

    first.drop(1006);
    await vi.advanceTimersByTimeAsync(10);
    const second = await handshakeWith({
      ...INITIALIZE_RESULT,
      _meta: { 'io.mcpgateway/resume': 'h', 'io.mcpgateway/resumed': true, 'io.mcpgateway/pending': [keptFrame.id] },
    });

    const error = await lost;
    expect(error).toBeInstanceOf(McpConnectionError);
    expect(String(error)).toContain('may or may not have run');
    expect(second.sent.some((frame) => frame.id === keptFrame.id || frame.id === lostFrame.id)).toBe(false);
    second.push({ jsonrpc: '2.0', id: keptFrame.id, result: { content: [{ type: 'text', text: 'done' }] } });
    await expect(kept).resolves.toEqual({ content: [{ type: 'text', text: 'done' }] });
  });

  it('reject every request in flight when the gateway started a new session instead of resuming', async () => {
    vi.useFakeTimers();
    const { socket } = create({ reconnect: { initialDelayMs: 10 } });
    void socket.connect();
    const first = await handshakeWith(withHandle('expired', false));
    const call = socket.request('tools/call', { name: 'slow', arguments: {} }).catch((error: unknown) => error);
    await flush();
    const [frame] = first.sent.slice(-1);

    first.drop(1006);
    await vi.advanceTimersByTimeAsync(10);
    await handshakeWith({ ...INITIALIZE_RESULT, _meta: { 'io.mcpgateway/resume': 'new', 'io.mcpgateway/resumed': false, 'io.mcpgateway/pending': [frame.id] } });

    expect(await call).toBeInstanceOf(McpConnectionError);
  });

  it('reject the requests in flight at once when the connection closes for good', async () => {
    const { socket } = create({ reconnect: { initialDelayMs: 10, maxAttempts: 0 } });
    void socket.connect();
    const ws = await handshakeWith(withHandle('h', false));
    const call = socket.request('tools/call', { name: 'slow', arguments: {} }).catch((error: unknown) => error);
    await flush();

    ws.drop(1006);

    expect(await call).toBeInstanceOf(McpConnectionError);
    expect(socket.state).toBe('closed');
  });

  it('connect without a handle when the gateway issues none (the envelope dialect, or an older gateway)', async () => {
    vi.useFakeTimers();
    const { socket } = create({ reconnect: { initialDelayMs: 10 } });
    void socket.connect();
    (await handshake()).drop(1006);
    await vi.advanceTimersByTimeAsync(10);
    expect(socket.resumeHandle).toBeUndefined();
    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:5000/mcp');
  });
});
