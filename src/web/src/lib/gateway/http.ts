import { GatewayError, errorFromResponse, isAbortError } from './errors';

/**
 * Same-origin calls to the gateway. The browser holds no token: the HttpOnly session cookie rides
 * along (`credentials: 'same-origin'`), and every state-changing call carries `X-CSRF: 1`, which a
 * cross-site form cannot set and a cross-site script could only set after a CORS preflight the
 * gateway never grants.
 */

export const CSRF_HEADER = 'X-CSRF';

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sends a request and returns the response when it is 2xx; otherwise throws a {@link GatewayError}
 * (a network failure becomes `network_error` with status 0; an abort is rethrown as it is).
 */
export async function send(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
  const upper = method.toUpperCase();
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (!SAFE_METHODS.has(upper)) headers[CSRF_HEADER] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method: upper,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'follow',
      signal: options.signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new GatewayError(0, 'network_error', 'The gateway could not be reached. Check the connection and try again.');
  }

  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** Reads a 2xx JSON body (an empty body, e.g. 204, gives `undefined`). */
export async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GatewayError(response.status, 'invalid_response', `The gateway answered ${response.url || 'a request'} with something other than JSON.`);
  }
}

/** JSON helpers over {@link send}: `api.get<T>(path)`, `api.post<T>(path, body)`, `api.delete(path)`. */
export const api = {
  async get<T>(path: string, options?: RequestOptions): Promise<T> {
    return json<T>(await send('GET', path, undefined, options));
  },
  async post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return json<T>(await send('POST', path, body, options));
  },
  async put<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    return json<T>(await send('PUT', path, body, options));
  },
  async delete<T = void>(path: string, options?: RequestOptions): Promise<T> {
    return json<T>(await send('DELETE', path, undefined, options));
  },
  send,
};

/** Encodes one path segment (a conversation id, a tool name). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
