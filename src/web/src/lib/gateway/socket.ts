import { session } from './auth';
import {
  ErrorCode, McpConnectionError, McpError,
  type JsonRpcErrorObject, type JsonRpcMessage, type JsonRpcRequest, type RequestId,
} from './jsonrpc';

/**
 * `McpSocket`: an MCP client over the gateway's WebSocket (`/mcp`, subprotocol `mcp`, JSON-RPC 2.0).
 * The session cookie authenticates the upgrade; the gateway relays to the MCP server with the user's
 * token and answers its own methods (`context/*`, its tools) itself.
 */

export const PROTOCOL_VERSION = '2025-11-25';

/** Close codes after which the socket reconnects (going away, abnormal, server error, try later, idle). */
export const RECONNECT_CODES: ReadonlySet<number> = new Set([1001, 1006, 1011, 1013, 4408]);
/** The gateway ended the user's session (logout, back-channel logout, refresh refused): sign in again. */
export const SESSION_ENDED_CODE = 4401;
/** Policy violation, e.g. too many sockets for the user: reconnecting would be refused again. */
export const POLICY_VIOLATION_CODE = 1008;
/** The resume handle was refused (not this sign-in session's): reconnect at once without it, as a new session. */
export const RESUME_REFUSED_CODE = 4403;
/** Where the gateway's `initialize` answer carries the session's resume handle (`result._meta`). */
export const RESUME_META = 'io.mcpgateway/resume';
/** Beside it: whether the connection continued the earlier session (`true`) or started a new one. */
export const RESUMED_META = 'io.mcpgateway/resumed';
/**
 * In a resumed `initialize` answer: the ids of the requests the lost connection left unanswered whose answers the
 * gateway still delivers (read again from the MCP server). The other requests in flight at the loss are rejected.
 */
export const PENDING_META = 'io.mcpgateway/pending';

export type SocketState = 'connecting' | 'open' | 'closed' | 'sessionEnded';

export interface StateChange {
  state: SocketState;
  previous: SocketState;
  /** The close code and reason, when a close caused the change. */
  code?: number;
  reason?: string;
  /** While reconnecting: the attempt about to be made (1, 2, …) and how long until it. */
  attempt?: number;
  retryInMs?: number;
}

export interface Implementation {
  name: string;
  version: string;
  title?: string;
}

export interface InitializeResult {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: Implementation;
  instructions?: string;
  _meta?: Record<string, unknown>;
}

export interface RequestContext {
  id: RequestId;
  method: string;
  /** Aborted when the server cancels the request or the socket closes. */
  signal: AbortSignal;
}

export type NotificationHandler<P = unknown> = (params: P, method: string) => void;
export type RequestHandler<P = unknown> = (params: P, context: RequestContext) => unknown;

export interface SocketRequestOptions {
  signal?: AbortSignal;
  /** Milliseconds to wait for the answer (including waiting for the socket to open). */
  timeoutMs?: number;
}

export interface ReconnectOptions {
  /** First delay; doubles with each failed attempt. Default 500 ms. */
  initialDelayMs?: number;
  /** Longest delay. Default 30 s. */
  maxDelayMs?: number;
  /** Attempts after a close before giving up (state `closed`). Default: no limit. */
  maxAttempts?: number;
}

/** The part of the browser's WebSocket the wrapper uses (so tests can pass a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string, protocols: string[]) => WebSocketLike;

export interface McpSocketOptions {
  /** Default: `wsUrl('/mcp')`, the gateway's endpoint on this origin. */
  url?: string;
  /** Default `['mcp']` (JSON-RPC 2.0). */
  protocols?: string[];
  protocolVersion?: string;
  clientInfo?: Implementation;
  /**
   * Capabilities declared at `initialize`. Handlers registered with `onRequest` before connecting add
   * theirs: `sampling/createMessage` → `sampling`, `elicitation/create` → `elicitation`, `roots/list` → `roots`.
   */
  capabilities?: Record<string, unknown>;
  /** Default timeout of `request`. Default 120 s. */
  requestTimeoutMs?: number;
  /** Time allowed for opening and `initialize`. Default 15 s. */
  connectTimeoutMs?: number;
  /** `false` disables reconnecting. */
  reconnect?: ReconnectOptions | false;
  /**
   * Asked before reconnecting after an abnormal close (1006, which is also how a refused upgrade looks
   * to a page): `false` means the session is gone, so the socket ends with `sessionEnded` instead of
   * retrying. Default: `GET /auth/session`. `false` here disables the check.
   */
  verifySession?: (() => Promise<boolean>) | false;
  /** Default: the browser's `WebSocket`. */
  createWebSocket?: WebSocketFactory;
  /** For jitter; default `Math.random`. */
  random?: () => number;
}

/** `ws(s)://<this host><path>`: the same origin as the page, so the cookie and the Origin check pass. */
export function wsUrl(path: string): string {
  const location = globalThis.location;
  if (!location) throw new Error('wsUrl needs window.location; pass an absolute url instead.');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path.startsWith('/') ? path : `/${path}`}`;
}

const OPEN = 1;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  cleanup: () => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

const CAPABILITY_OF: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export class McpSocket {
  readonly #options: Required<Omit<McpSocketOptions, 'reconnect' | 'verifySession' | 'createWebSocket' | 'url'>> & {
    url: string | undefined;
    reconnect: Required<ReconnectOptions> | false;
    verifySession: (() => Promise<boolean>) | false;
    createWebSocket: WebSocketFactory;
  };

  #ws: WebSocketLike | undefined;
  #state: SocketState = 'closed';
  #stopped = true;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #nextId = 1;
  readonly #pending = new Map<RequestId, Pending>();
  readonly #serverRequests = new Map<RequestId, AbortController>();
  readonly #notificationHandlers = new Map<string, Set<NotificationHandler>>();
  readonly #requestHandlers = new Map<string, RequestHandler>();
  readonly #stateListeners = new Set<(change: StateChange) => void>();
  readonly #sessionEndedListeners = new Set<(detail: { code: number; reason: string }) => void>();
  readonly #waiters = new Set<Waiter>();
  #initialized: InitializeResult | undefined;
  #initializeError: McpError | undefined;
  #reinitializing: Promise<void> | undefined;
  #resumeHandle: string | undefined;
  #resumed = false;
  /** Requests in flight when a resumable connection was lost: kept until the resumed `initialize` says which are still answered. */
  readonly #parked = new Set<RequestId>();

  constructor(options: McpSocketOptions = {}) {
    const reconnect = options.reconnect === false ? false : {
      initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
      maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
      maxAttempts: options.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY,
    };
    this.#options = {
      url: options.url,
      protocols: options.protocols ?? ['mcp'],
      protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
      clientInfo: options.clientInfo ?? { name: 'mcp-gateway-web', version: '0.1.0' },
      capabilities: options.capabilities ?? {},
      requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
      reconnect,
      verifySession: options.verifySession ?? (async () => (await session()).authenticated),
      createWebSocket: options.createWebSocket ?? ((url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike),
      random: options.random ?? Math.random,
    };
  }

  get state(): SocketState {
    return this.#state;
  }

  /** The server's `initialize` answer of the current connection. */
  get serverInfo(): InitializeResult | undefined {
    return this.#initialized;
  }

  /**
   * The gateway's resume handle of this MCP session (from the `initialize` answer): a reconnect passes it as
   * `?resume=`, so that the session, and its upstream MCP session, continue, on whichever replica answers.
   */
  get resumeHandle(): string | undefined {
    return this.#resumeHandle;
  }

  /** Whether the current connection continued the earlier session (false: a new one, e.g. the handle had expired). */
  get resumed(): boolean {
    return this.#resumed;
  }

  /**
   * Set when the socket is open but `initialize` failed (e.g. the MCP server is down): the gateway's
   * own methods still work, and the next request tries `initialize` again first.
   */
  get initializeError(): McpError | undefined {
    return this.#initializeError;
  }

  /**
   * Opens the socket and performs the MCP handshake; resolves with the `initialize` result (undefined
   * when the socket opened but `initialize` failed, see `initializeError`). Rejects when the socket
   * ends (`closed`, `sessionEnded`) before the handshake.
   */
  connect(): Promise<InitializeResult | undefined> {
    const start = this.#stopped;
    this.#stopped = false;
    const ready = this.#whenReady(Number.POSITIVE_INFINITY).then(() => this.#initialized);
    if (start) {
      this.#attempt = 0;
      this.#open();
    }
    return ready;
  }

  /** Closes for good (no reconnect); pending requests are rejected. */
  close(code = 1000, reason = 'Closed by the client.'): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    // A close by the user ends the session (the gateway forgets the handle): the next connect() starts anew.
    this.#resumeHandle = undefined;
    const ws = this.#ws;
    if (ws) {
      this.#detach(ws);
      try {
        ws.close(code, reason);
      } catch {
        // already closing
      }
    }
    this.#onClosed(code, reason);
  }

  /** Sends a request; resolves with its `result`, rejects with McpError (JSON-RPC error, timeout) or McpConnectionError. */
  async request<T = unknown>(method: string, params?: unknown, options: SocketRequestOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    options.signal?.throwIfAborted();
    if (this.#state !== 'open') await this.#whenReady(timeoutMs, options.signal, method);
    if (!this.#initialized && this.#initializeError && method !== 'initialize') await this.#reinitialize();
    return this.#send<T>(method, params, { signal: options.signal, timeoutMs: Math.max(0, deadline - Date.now()) });
  }

  /** Sends a notification; returns false when the socket is not open (nothing was sent). */
  notify(method: string, params?: unknown): boolean {
    return this.#write(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /** Subscribes to a notification method (`'*'` for all); returns the unsubscribe function. */
  on<P = unknown>(method: string, handler: NotificationHandler<P>): () => void {
    const registered = handler as NotificationHandler;
    let handlers = this.#notificationHandlers.get(method);
    if (!handlers) this.#notificationHandlers.set(method, handlers = new Set());
    handlers.add(registered);
    return () => { handlers.delete(registered); };
  }

  /**
   * Answers server-to-client requests of a method (sampling, elicitation, roots): the handler's return
   * value is the result; a thrown McpError becomes that JSON-RPC error, anything else -32603. Requests
   * without a handler get -32601 (`ping` is answered with `{}`). Returns the unregister function.
   */
  onRequest<P = unknown>(method: string, handler: RequestHandler<P>): () => void {
    const registered = handler as RequestHandler;
    this.#requestHandlers.set(method, registered);
    return () => {
      if (this.#requestHandlers.get(method) === registered) this.#requestHandlers.delete(method);
    };
  }

  /** Subscribes to state changes (connecting / open / closed / sessionEnded); returns the unsubscribe function. */
  onState(listener: (change: StateChange) => void): () => void {
    this.#stateListeners.add(listener);
    return () => { this.#stateListeners.delete(listener); };
  }

  /** Called once when the gateway ends the socket because the session ended (close code 4401). */
  onSessionEnded(listener: (detail: { code: number; reason: string }) => void): () => void {
    this.#sessionEndedListeners.add(listener);
    return () => { this.#sessionEndedListeners.delete(listener); };
  }

  // ---- connection -----------------------------------------------------------------------------

  #open(change: Partial<StateChange> = {}): void {
    this.#setState('connecting', change);
    let ws: WebSocketLike;
    try {
      ws = this.#options.createWebSocket(this.#url(), this.#options.protocols);
    } catch (error) {
      // A malformed URL or a blocked scheme: retrying cannot help.
      this.#stopped = true;
      this.#onClosed(1006, error instanceof Error ? error.message : String(error));
      return;
    }
    this.#ws = ws;
    const connectTimer = setTimeout(() => {
      if (this.#ws === ws && this.#state === 'connecting') this.#abandon(ws, 'The connection was not ready in time.');
    }, this.#options.connectTimeoutMs);

    ws.onopen = () => {
      if (this.#ws !== ws) return;
      void this.#handshake(ws).finally(() => clearTimeout(connectTimer));
    };
    ws.onmessage = (event) => {
      if (this.#ws === ws && typeof event.data === 'string') this.#receive(event.data);
    };
    ws.onerror = () => {
      // A close event always follows; it carries what there is to know.
    };
    ws.onclose = (event) => {
      clearTimeout(connectTimer);
      if (this.#ws !== ws) return;
      this.#detach(ws);
      this.#onClosed(event.code, event.reason);
    };
  }

  async #handshake(ws: WebSocketLike): Promise<void> {
    try {
      if (!(await this.#initialize(ws))) return;
    } catch (error) {
      if (this.#ws !== ws) return;
      this.#rejectParked(() => true, 'the session could not be resumed');
      if (error instanceof McpError && error.code !== ErrorCode.RequestTimeout) {
        // The socket works; the MCP server behind it does not (yet). The gateway's own methods still answer.
        this.#initialized = undefined;
        this.#initializeError = error;
      } else {
        if (!(error instanceof McpConnectionError)) this.#abandon(ws, 'initialize was not answered in time.');
        return;
      }
    }
    this.#attempt = 0;
    this.#setState('open');
    for (const waiter of [...this.#waiters]) waiter.resolve();
    this.#waiters.clear();
  }

  /** Sends `initialize` and, while `ws` is still the socket, takes its answer; false when the socket was replaced meanwhile. */
  async #initialize(ws: WebSocketLike | undefined): Promise<boolean> {
    const result = await this.#send<InitializeResult>('initialize', this.#initializeParams(), { timeoutMs: this.#options.connectTimeoutMs });
    if (this.#ws !== ws) return false;
    this.#initialized = result;
    this.#initializeError = undefined;
    const handle = result?._meta?.[RESUME_META];
    this.#resumeHandle = typeof handle === 'string' && handle ? handle : undefined;
    this.#resumed = result?._meta?.[RESUMED_META] === true;
    const stillAnswered = this.#resumed && Array.isArray(result?._meta?.[PENDING_META]) ? result._meta[PENDING_META] as unknown[] : [];
    this.#rejectParked((id) => !stillAnswered.includes(id), 'it was sent on the connection that was lost');
    this.notify('notifications/initialized');
    return true;
  }

  #reinitialize(): Promise<void> {
    this.#reinitializing ??= (async () => {
      const ws = this.#ws;
      try {
        await this.#initialize(ws);
      } catch (error) {
        if (error instanceof McpError && this.#ws === ws) this.#initializeError = error;
      } finally {
        this.#reinitializing = undefined;
      }
    })();
    return this.#reinitializing;
  }

  /** The endpoint, with `?resume=<handle>` once the gateway issued one. */
  #url(): string {
    const base = this.#options.url ?? wsUrl('/mcp');
    if (!this.#resumeHandle) return base;
    return `${base}${base.includes('?') ? '&' : '?'}resume=${encodeURIComponent(this.#resumeHandle)}`;
  }

  #initializeParams(): Record<string, unknown> {
    const capabilities: Record<string, unknown> = { ...this.#options.capabilities };
    for (const method of this.#requestHandlers.keys()) {
      const capability = CAPABILITY_OF[method];
      if (capability && capabilities[capability] === undefined) capabilities[capability] = {};
    }
    return { protocolVersion: this.#options.protocolVersion, capabilities, clientInfo: this.#options.clientInfo };
  }

  /** Rejects the parked requests that `lost` picks: the resumed session will not answer them. */
  #rejectParked(lost: (id: RequestId) => boolean, why: string): void {
    for (const id of [...this.#parked]) {
      const pending = this.#pending.get(id);
      if (!lost(id) && pending) continue;
      this.#parked.delete(id);
      if (!pending) continue;
      this.#pending.delete(id);
      pending.cleanup();
      pending.reject(new McpConnectionError(
        `The connection to the gateway was lost before "${pending.method}" was answered (${why}); it may or may not have run.`,
        1006, why));
    }
  }

  /** Gives up on a socket that does not become ready, and lets the close path reconnect. */
  #abandon(ws: WebSocketLike, reason: string): void {
    this.#detach(ws);
    try {
      ws.close(4000, reason);
    } catch {
      // already closing
    }
    this.#onClosed(1006, reason);
  }

  #detach(ws: WebSocketLike): void {
    ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
    if (this.#ws === ws) this.#ws = undefined;
  }

  #onClosed(code: number, reason: string): void {
    this.#ws = undefined;
    this.#initialized = undefined;
    const detail = reason ? `${code}: ${reason}` : `${code}`;
    const reconnect = this.#options.reconnect;
    const resuming = !this.#stopped && !!this.#resumeHandle && !!reconnect && RECONNECT_CODES.has(code)
      && this.#attempt < reconnect.maxAttempts;
    for (const [id, pending] of [...this.#pending]) {
      if (resuming && pending.method !== 'initialize') {
        // The gateway may still deliver its answer on the resumed session.
        this.#parked.add(id);
        continue;
      }
      this.#parked.delete(id);
      this.#pending.delete(id);
      pending.cleanup();
      pending.reject(new McpConnectionError(
        `The connection to the gateway closed (${detail}) before "${pending.method}" was answered; it may or may not have run.`,
        code, reason));
    }
    for (const controller of this.#serverRequests.values()) controller.abort();
    this.#serverRequests.clear();

    if (this.#stopped) {
      this.#end('closed', code, reason);
      return;
    }
    if (code === SESSION_ENDED_CODE) {
      this.#resumeHandle = undefined;
      this.#endSession(code, reason);
      return;
    }
    if (code === RESUME_REFUSED_CODE && this.#resumeHandle && reconnect) {
      // Not this sign-in session's handle: a new session, at once.
      this.#resumeHandle = undefined;
      this.#open({ code, reason });
      return;
    }
    if (!reconnect || !RECONNECT_CODES.has(code) || this.#attempt >= reconnect.maxAttempts) {
      this.#end('closed', code, reason);
      return;
    }

    const base = Math.min(reconnect.maxDelayMs, reconnect.initialDelayMs * 2 ** this.#attempt);
    const delay = Math.round(base / 2 + (base / 2) * this.#options.random());
    this.#attempt += 1;
    const attempt = this.#attempt;
    this.#setState('connecting', { code, reason, attempt, retryInMs: delay });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      void this.#reconnect(code, reason, attempt);
    }, delay);
  }

  async #reconnect(code: number, reason: string, attempt: number): Promise<void> {
    const verify = this.#options.verifySession;
    if (code === 1006 && verify) {
      let signedIn = true;
      try {
        signedIn = await verify();
      } catch {
        // Cannot tell (the gateway may be restarting): try the socket anyway.
      }
      if (this.#stopped || this.#attempt !== attempt) return;
      if (!signedIn) {
        this.#endSession(code, reason || 'The session has ended.');
        return;
      }
    }
    if (!this.#stopped) this.#open({ attempt });
  }

  #endSession(code: number, reason: string): void {
    this.#stopped = true;
    this.#end('sessionEnded', code, reason);
    for (const listener of [...this.#sessionEndedListeners]) safely(() => listener({ code, reason }));
  }

  #end(state: 'closed' | 'sessionEnded', code: number, reason: string): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    const error = new McpConnectionError(
      state === 'sessionEnded'
        ? 'The session has ended; sign in again.'
        : `The connection to the gateway is closed (${reason ? `${code}: ${reason}` : code}).`,
      code, reason);
    for (const waiter of [...this.#waiters]) waiter.reject(error);
    this.#waiters.clear();
    this.#setState(state, { code, reason });
  }

  #setState(state: SocketState, change: Partial<StateChange> = {}): void {
    const previous = this.#state;
    if (previous === state && change.attempt === undefined && change.code === undefined) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) safely(() => listener({ ...change, state, previous }));
  }

  /** Resolves when the handshake is done; rejects when the socket ends first, or on timeout/abort. */
  #whenReady(timeoutMs: number, signal?: AbortSignal, method?: string): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    if (this.#stopped && this.#state !== 'connecting') {
      return Promise.reject(new McpConnectionError(
        this.#state === 'sessionEnded' ? 'The session has ended; sign in again.' : 'The socket is not connected; call connect() first.'));
    }
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => finish(() => reject(signal!.reason));
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#waiters.delete(waiter);
        settle();
      };
      const waiter: Waiter = { resolve: () => finish(resolve), reject: (error) => finish(() => reject(error)) };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => finish(() => reject(new McpError(ErrorCode.RequestTimeout,
          `The socket did not open within ${timeoutMs} ms${method ? ` for "${method}"` : ''}.`, undefined, method))), timeoutMs);
      }
    });
  }

  // ---- messages -------------------------------------------------------------------------------

  #send<T>(method: string, params: unknown, options: SocketRequestOptions & { timeoutMs: number }): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const signal = options.signal;
      const cancel = (reason: string) => {
        if (!this.#pending.delete(id)) return false;
        cleanup();
        this.notify('notifications/cancelled', { requestId: id, reason });
        return true;
      };
      const onAbort = () => {
        if (cancel('Cancelled by the client.')) reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        if (cancel('Timed out.')) {
          reject(new McpError(ErrorCode.RequestTimeout, `No answer to "${method}" within ${options.timeoutMs} ms.`, undefined, method));
        }
      }, options.timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, cleanup });
      signal?.addEventListener('abort', onAbort, { once: true });

      const message: JsonRpcRequest = params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
      if (!this.#write(message)) {
        this.#pending.delete(id);
        cleanup();
        reject(new McpConnectionError(`The socket is not open; "${method}" was not sent.`));
      }
    });
  }

  #write(message: JsonRpcMessage): boolean {
    const ws = this.#ws;
    if (!ws || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  #receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return; // the gateway only sends JSON; anything else is noise
    }
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      if (!message || typeof message !== 'object') continue;
      const { id, method } = message as { id?: RequestId | null; method?: unknown };
      if (typeof method === 'string') {
        if (id !== undefined && id !== null) void this.#answerServerRequest(id, method, (message as JsonRpcRequest).params);
        else this.#dispatchNotification(method, (message as { params?: unknown }).params);
      } else if (id !== undefined && id !== null) {
        this.#settle(id, message as { result?: unknown; error?: JsonRpcErrorObject });
      }
      // An error with id null answers a frame the gateway could not read; no request waits for it.
    }
  }

  #settle(id: RequestId, message: { result?: unknown; error?: JsonRpcErrorObject }): void {
    const pending = this.#pending.get(id);
    if (!pending) return; // cancelled, timed out, or not ours
    this.#pending.delete(id);
    this.#parked.delete(id);
    pending.cleanup();
    if (message.error) {
      const { code, message: text, data } = message.error;
      pending.reject(new McpError(typeof code === 'number' ? code : ErrorCode.InternalError, String(text ?? 'Request failed.'), data, pending.method));
    } else {
      pending.resolve(message.result);
    }
  }

  #dispatchNotification(method: string, params: unknown): void {
    if (method === 'notifications/cancelled') {
      const requestId = (params as { requestId?: RequestId } | undefined)?.requestId;
      if (requestId !== undefined) this.#serverRequests.get(requestId)?.abort();
    }
    for (const key of [method, '*']) {
      for (const handler of [...(this.#notificationHandlers.get(key) ?? [])]) safely(() => handler(params, method));
    }
  }

  async #answerServerRequest(id: RequestId, method: string, params: unknown): Promise<void> {
    const handler = this.#requestHandlers.get(method);
    if (!handler) {
      if (method === 'ping') this.#write({ jsonrpc: '2.0', id, result: {} });
      else this.#write({ jsonrpc: '2.0', id, error: { code: ErrorCode.MethodNotFound, message: `Method not found: ${method}` } });
      return;
    }
    const controller = new AbortController();
    this.#serverRequests.set(id, controller);
    try {
      const result = await handler(params, { id, method, signal: controller.signal });
      if (!controller.signal.aborted) this.#write({ jsonrpc: '2.0', id, result: result ?? {} });
    } catch (error) {
      // MCP: a cancelled request gets no answer.
      if (controller.signal.aborted) return;
      const detail: JsonRpcErrorObject = error instanceof McpError
        ? { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) }
        : { code: ErrorCode.InternalError, message: error instanceof Error ? error.message : String(error) };
      this.#write({ jsonrpc: '2.0', id, error: detail });
    } finally {
      this.#serverRequests.delete(id);
    }
  }
}

function safely(action: () => void): void {
  try {
    action();
  } catch (error) {
    // A subscriber's bug must not break the socket; surface it the way the platform does.
    if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
    else console.error(error);
  }
}
