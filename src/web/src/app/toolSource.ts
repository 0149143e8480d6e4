import {
  callTool, callToolOverSocket, isAbortError, listToolsOverSocket, missingConnectors, tools as listToolsOverRest,
  type CallToolResult, type McpSocket, type MissingConnector, type Tool, type ToolList,
} from '../lib/gateway';

/**
 * Where the tools panel gets its tools: `tools/list` over the live socket when there is one (its
 * result names the connectors whose tools are missing, and a tool call refused for a connector's
 * authorization comes back as JSON-RPC -32008 / -32009), else `GET /api/tools` and
 * `POST /api/tools/{name}/call`.
 */

export type ToolSocket = Pick<McpSocket, 'request' | 'state' | 'initializeError' | 'onState'>;

export interface ToolListing {
  tools: Tool[];
  /** From `GET /api/tools`: whether the MCP server's part could be listed. */
  upstream?: ToolList['upstream'];
  /** Connectors whose tools are missing, and why. */
  missing: MissingConnector[];
  via: 'socket' | 'rest';
}

/** How long a listing waits for a socket that is still opening before asking over REST instead. */
export const SOCKET_OPEN_WAIT_MS = 3_000;
/** How long `tools/list` over the open socket may take (every connector answers or fails on its own within it). */
export const SOCKET_LIST_TIMEOUT_MS = 30_000;

/** Resolves true once the socket is open, false when it closes or has not opened within `ms`. */
export function whenOpen(socket: Pick<McpSocket, 'state' | 'onState'>, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (socket.state === 'open') return Promise.resolve(true);
  if (socket.state !== 'connecting') return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const done = (open: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(open);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(false), ms);
    const unsubscribe = socket.onState((change) => {
      if (change.state !== 'connecting') done(change.state === 'open');
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Lists the tools: over the socket when it is open (or opens within `openWaitMs`), over REST when
 * there is no socket, it does not open in time, its MCP session did not start (`initializeError`),
 * or it could not answer (closed, timed out, the MCP server failed): REST then says which part is missing.
 */
export async function loadToolListing(
  socket: ToolSocket | null,
  options: { signal?: AbortSignal; openWaitMs?: number; timeoutMs?: number } = {},
): Promise<ToolListing> {
  if (socket && await whenOpen(socket, options.openWaitMs ?? SOCKET_OPEN_WAIT_MS, options.signal) && !socket.initializeError) {
    try {
      const list = await listToolsOverSocket(socket, { signal: options.signal, timeoutMs: options.timeoutMs ?? SOCKET_LIST_TIMEOUT_MS });
      return { tools: list.tools, missing: missingConnectors(list), via: 'socket' };
    } catch (error) {
      if (isAbortError(error)) throw error;
    }
  }
  options.signal?.throwIfAborted();
  const list = await listToolsOverRest({ signal: options.signal });
  return { tools: Array.isArray(list?.tools) ? list.tools : [], upstream: list?.upstream, missing: missingConnectors(list), via: 'rest' };
}

/**
 * Calls a tool: over the socket when it is open, else over REST. Never both: a call that failed on the
 * socket may have run, so it is not sent again.
 */
export function invokeTool(socket: ToolSocket | null, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return socket?.state === 'open' ? callToolOverSocket(socket, name, args) : callTool(name, args);
}
