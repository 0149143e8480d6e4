/**
 * Errors of the gateway's HTTP API, typed.
 *
 * The gateway answers every error with JSON `{error, error_description}` (OAuth 2.0 style). The chat
 * route is proxied unchanged, so an error of the chat server itself may come as
 * `{error: {code, message}}` instead; both shapes are understood.
 */

/** The codes the gateway documents, plus the client's own (`network_error`, `stream_interrupted`, `invalid_response`). */
export type GatewayErrorCode =
  | 'unauthenticated' // 401: nobody is signed in
  | 'session_expired' // 401: the session ended (logout elsewhere, refresh refused, lifetime over)
  | 'csrf_header_missing' // 403: a state-changing call without `X-CSRF: 1`
  | 'forbidden' // 403
  | 'invalid_request' // 400
  | 'not_found' // 404
  | 'limit_reached' // 409: e.g. too many contexts in a conversation
  | 'rate_limited' // 429, with Retry-After
  | 'upstream_unavailable' // 502: the chat or MCP server cannot be reached
  | 'upstream_timeout' // 504: the chat server did not answer in time
  | 'temporarily_unavailable' // 503, with Retry-After: Redis or the authorization server is down
  | 'server_error' // 500
  | 'network_error' // client: the request never got an HTTP answer
  | 'stream_interrupted' // client: a streamed answer stopped before its end
  | 'invalid_response' // client: the answer was not what the API promises
  | (string & {}); // any other code a server sends

export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    /** HTTP status; 0 when there was no HTTP answer (network error). */
    readonly status: number,
    readonly code: GatewayErrorCode,
    /** The server's `error_description`, or a sentence written by the client. */
    readonly description: string,
    /** Seconds to wait before retrying, from `Retry-After` (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(description ? `${code}: ${description}` : code);
  }

  /** True when the user must sign in (again): 401 `unauthenticated` or `session_expired`. */
  get signInRequired(): boolean {
    return this.status === 401 || this.code === 'unauthenticated' || this.code === 'session_expired';
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}

export function isAbortError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'AbortError';
}

/** The code to use when an error body carries none. */
export function defaultCode(status: number): GatewayErrorCode {
  switch (status) {
    case 400: return 'invalid_request';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'limit_reached';
    case 429: return 'rate_limited';
    case 500: return 'server_error';
    case 502: return 'upstream_unavailable';
    case 503: return 'temporarily_unavailable';
    case 504: return 'upstream_timeout';
    default: return status >= 500 ? 'server_error' : `http_${status}`;
  }
}

/**
 * `Retry-After` in seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Reads a non-2xx response into a {@link GatewayError}; never throws. */
export async function errorFromResponse(response: Response): Promise<GatewayError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let code: string | undefined;
  let description: string | undefined;
  try {
    const text = await response.text();
    if (text) {
      const body: unknown = JSON.parse(text);
      if (body && typeof body === 'object') {
        const { error, error_description: errorDescription, message } = body as Record<string, unknown>;
        if (typeof error === 'string') {
          code = error;
          // `{error, message}` (e.g. connector_discovery_failed) says it in `message`.
          description = typeof errorDescription === 'string' ? errorDescription : typeof message === 'string' ? message : undefined;
        } else if (error && typeof error === 'object') {
          const nested = error as Record<string, unknown>;
          code = typeof nested.code === 'string' ? nested.code : undefined;
          description = typeof nested.message === 'string' ? nested.message : undefined;
        } else if (typeof message === 'string') {
          description = message;
        }
      }
    }
  } catch {
    // Not JSON (e.g. an HTML error page of a proxy in front): the status says enough.
  }

  return new GatewayError(
    response.status,
    code ?? defaultCode(response.status),
    description ?? (response.statusText || `HTTP ${response.status}`),
    retryAfter,
  );
}
