import { isLocalPath, isNavigable, navigate } from './auth';
import { GatewayError } from './errors';
import { api, segment, type RequestOptions } from './http';
import { ErrorCode, McpError } from './jsonrpc';

/**
 * Connectors: the upstream MCP servers the gateway bridges, each with its own authorization.
 * `session` servers get the sign-in token, `discover` servers their own authorization server's
 * token (the user authorizes each once, see {@link connectConnector}), `none` servers no token.
 * The tokens stay in the gateway; the page only sees states.
 */

export type ConnectorAuthorization = 'session' | 'discover' | 'none' | (string & {});
export type ConnectorState = 'connected' | 'authorization_required' | 'unavailable' | (string & {});

/** One entry of `GET /api/connectors`: a server and the signed-in user's state with it. */
export interface Connector {
  name: string;
  authorization: ConnectorAuthorization;
  /** What its tool names start with in `tools/list` (`""`: none). */
  toolPrefix: string;
  state: ConnectorState;
  /** Why it is `unavailable` (or a hint for another state); null when there is nothing to say. */
  reason: string | null;
}

export const CONNECTORS_PATH = '/api/connectors';

function path(name: string): string {
  return `${CONNECTORS_PATH}/${segment(name)}`;
}

/** `GET /api/connectors`: every configured server with the user's state. */
export async function connectors(options?: RequestOptions): Promise<Connector[]> {
  const body = await api.get<{ connectors?: unknown }>(CONNECTORS_PATH, options);
  const list = Array.isArray(body?.connectors) ? body.connectors : [];
  return list.filter(isEntry).map((entry) => ({
    name: entry.name,
    authorization: typeof entry.authorization === 'string' ? entry.authorization : 'none',
    toolPrefix: typeof entry.toolPrefix === 'string' ? entry.toolPrefix : '',
    state: typeof entry.state === 'string' ? entry.state : 'unavailable',
    reason: typeof entry.reason === 'string' && entry.reason ? entry.reason : null,
  }));
}

function isEntry(value: unknown): value is Record<string, unknown> & { name: string } {
  return !!value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string' && (value as { name: string }).name !== '';
}

/** True for a `discover` connector the user can authorize now. */
export function canConnect(connector: Pick<Connector, 'authorization' | 'state'>): boolean {
  return connector.authorization === 'discover' && connector.state === 'authorization_required';
}

/** True for a `discover` connector the user has authorized (and can revoke). */
export function canDisconnect(connector: Pick<Connector, 'authorization' | 'state'>): boolean {
  return connector.authorization === 'discover' && connector.state === 'connected';
}

/**
 * `POST /api/connectors/{name}/authorize` (with `X-CSRF: 1`): starts the user's authorization of a
 * `discover` connector and returns the authorization server's URL to send the browser to. After
 * consent the browser comes back to `returnUrl` (a local path; default: this page) with
 * `connector=…&connector_result=…` (see {@link connectorResultFromUrl}).
 * It is also the step-up after -32009: the page sends no scopes; the gateway remembers the scope the server demanded
 * and asks for it with the ones already granted.
 * Throws a GatewayError: 404 `connector_not_found`, 409 `not_authorizable` (a session or none
 * connector), 502 `connector_discovery_failed`.
 */
export async function authorizeConnector(name: string, returnUrl: string = connectorReturnPath(), options?: RequestOptions): Promise<string> {
  const body = await api.post<{ url?: unknown }>(`${path(name)}/authorize`, { returnUrl: isLocalPath(returnUrl) ? returnUrl : '/' }, options);
  const url = body?.url;
  if (typeof url !== 'string' || !isNavigable(url)) {
    throw new GatewayError(200, 'invalid_response', `The gateway did not answer an authorization URL for ${name}.`);
  }
  return url;
}

/** Authorizes a connector: asks for its authorization URL, then sends the browser there. Returns the URL. */
export async function connectConnector(name: string, returnUrl: string = connectorReturnPath(), options?: RequestOptions): Promise<string> {
  const url = await authorizeConnector(name, returnUrl, options);
  navigate(url);
  return url;
}

/** `DELETE /api/connectors/{name}` (with `X-CSRF: 1`): revokes the user's token of that connector and forgets it. */
export async function disconnectConnector(name: string, options?: RequestOptions): Promise<{ name: string; state: ConnectorState }> {
  const body = await api.delete<{ name?: unknown; state?: unknown } | undefined>(path(name), options);
  return {
    name: typeof body?.name === 'string' ? body.name : name,
    state: typeof body?.state === 'string' ? body.state : 'authorization_required',
  };
}

// ---- the return from the connector's callback ---------------------------------------------------

/** The query parameters the gateway's connector callback appends to the return URL. */
export const CONNECTOR_RESULT_PARAMS = ['connector', 'connector_result', 'connector_error'] as const;

export type ConnectorResult =
  | { connector: string; result: 'connected' }
  | { connector: string; result: 'error'; error: string };

/**
 * What the address says about a connector authorization that just came back:
 * `?connector=x&connector_result=connected`, or `connector_result=error&connector_error=<code>`.
 * Undefined when there is none (or it is incomplete).
 */
export function connectorResultFromUrl(href: string | undefined = globalThis.location?.href): ConnectorResult | undefined {
  if (!href) return undefined;
  const params = new URL(href, 'http://localhost').searchParams;
  const connector = params.get('connector');
  const result = params.get('connector_result');
  if (!connector) return undefined;
  if (result === 'connected') return { connector, result };
  if (result === 'error') return { connector, result, error: params.get('connector_error') || 'unknown_error' };
  return undefined;
}

/** `href` as a local path (path, query, fragment) without the connector result parameters and a previous `auth_error`. */
export function withoutConnectorResult(href: string): string {
  const url = new URL(href, 'http://localhost');
  for (const name of CONNECTOR_RESULT_PARAMS) url.searchParams.delete(name);
  url.searchParams.delete('auth_error');
  return url.pathname + url.search + url.hash;
}

/** The current page as the return URL of an authorization (without an earlier result). */
export function connectorReturnPath(): string {
  const href = globalThis.location?.href;
  return href ? withoutConnectorResult(href) : '/';
}

/** Removes the connector result parameters from the address bar (history.replaceState), once shown. Returns whether it did. */
export function clearConnectorResultFromUrl(): boolean {
  const location = globalThis.location;
  const history = globalThis.history;
  if (!location || !history) return false;
  const url = new URL(location.href);
  if (!CONNECTOR_RESULT_PARAMS.some((name) => url.searchParams.has(name))) return false;
  for (const name of CONNECTOR_RESULT_PARAMS) url.searchParams.delete(name);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return true;
}

// ---- connectors in MCP answers -----------------------------------------------------------------

/** The `_meta` member of a merged `tools/list` result naming the connectors whose tools are missing. */
export const CONNECTORS_META = 'io.mcpgateway/connectors';

/** A connector whose tools are not in the list, and why. */
export interface MissingConnector {
  name: string;
  state: ConnectorState;
  reason?: string;
}

/** The connectors a `tools/list` result (or `GET /api/tools` body) says are missing: `_meta["io.mcpgateway/connectors"]`. */
export function missingConnectors(result: unknown): MissingConnector[] {
  if (!result || typeof result !== 'object') return [];
  const meta = (result as { _meta?: unknown })._meta;
  if (!meta || typeof meta !== 'object') return [];
  const list = (meta as Record<string, unknown>)[CONNECTORS_META];
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const missing: MissingConnector[] = [];
  for (const entry of list) {
    if (!isEntry(entry) || seen.has(entry.name)) continue;
    seen.add(entry.name);
    const item: MissingConnector = { name: entry.name, state: typeof entry.state === 'string' ? entry.state : 'unavailable' };
    if (typeof entry.reason === 'string' && entry.reason) item.reason = entry.reason;
    missing.push(item);
  }
  return missing;
}

/** A request refused because a connector needs (more) authorization by the user: JSON-RPC -32008 or -32009. */
export interface ConnectorAuthorizationNeeded {
  connector: string;
  state: 'authorization_required' | 'insufficient_scope';
  /** The gateway's words. */
  message: string;
  /** For `insufficient_scope`: the scope the call needs. */
  scope?: string;
  /** The gateway's authorize endpoint for it (`/api/connectors/{name}/authorize`). */
  authorize?: string;
}

/** Reads a -32008 / -32009 McpError; undefined for any other failure (or one without a connector name). */
export function connectorAuthorizationNeeded(error: unknown): ConnectorAuthorizationNeeded | undefined {
  if (!(error instanceof McpError)) return undefined;
  if (error.code !== ErrorCode.ConnectorAuthorizationRequired && error.code !== ErrorCode.ConnectorInsufficientScope) return undefined;
  const data = (error.data && typeof error.data === 'object' ? error.data : {}) as Record<string, unknown>;
  if (typeof data.connector !== 'string' || !data.connector) return undefined;
  const needed: ConnectorAuthorizationNeeded = {
    connector: data.connector,
    state: error.code === ErrorCode.ConnectorInsufficientScope ? 'insufficient_scope' : 'authorization_required',
    message: error.message,
  };
  if (typeof data.scope === 'string' && data.scope) needed.scope = data.scope;
  if (typeof data.authorize === 'string' && isLocalPath(data.authorize)) needed.authorize = data.authorize;
  return needed;
}
