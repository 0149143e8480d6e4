import { GatewayError, errorFromResponse, isAbortError } from './errors';
import { json, send } from './http';

/** `GET /auth/session` when someone is signed in. Never a token. */
export interface SignedIn {
  authenticated: true;
  sub: string;
  name?: string;
  email?: string;
  /** ISO 8601; the session slides with use, up to its absolute lifetime. */
  expiresAt?: string;
  /** False when the provider issued no refresh token: the session then ends with its access token, at `endsAt`. */
  refreshable?: boolean;
  /** ISO 8601; the latest the session can last however it is used. */
  endsAt?: string;
}

/** `GET /auth/session` when nobody is (401). */
export interface SignedOut {
  authenticated: false;
  /** `unauthenticated` (never signed in) or `session_expired` (a session cookie came, its session is gone). */
  error: 'unauthenticated' | 'session_expired' | (string & {});
  error_description?: string;
}

export type Session = SignedIn | SignedOut;

/**
 * Who is signed in. A 401 is an answer, not an error: it resolves to `{authenticated: false, error}`.
 * Other failures (503 while Redis or the authorization server is down, network) throw a GatewayError.
 */
export async function session(options: { signal?: AbortSignal } = {}): Promise<Session> {
  let response: Response;
  try {
    response = await fetch('/auth/session', {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new GatewayError(0, 'network_error', 'The gateway could not be reached.');
  }

  if (response.status === 401) {
    const body = await response.json().catch(() => ({})) as Partial<SignedOut>;
    return {
      authenticated: false,
      error: typeof body.error === 'string' ? body.error : 'unauthenticated',
      error_description: body.error_description,
    };
  }
  if (!response.ok) throw await errorFromResponse(response);
  const body = await json<SignedIn>(response);
  if (!body || body.authenticated !== true) {
    throw new GatewayError(response.status, 'invalid_response', 'GET /auth/session answered without authenticated:true.');
  }
  return body;
}

/**
 * True for a rooted path of this site (`/chat?x=1`), as the gateway requires of `returnUrl`: not an
 * absolute URL, not scheme-relative (`//host`), no back-slash tricks, no control characters.
 */
export function isLocalPath(url: string | null | undefined): url is string {
  if (!url || url[0] !== '/') return false;
  if (url.length > 1 && (url[1] === '/' || url[1] === '\\')) return false;
  return !/[\u0000-\u001f\u007f-\u009f\\]/.test(url);
}

/** The sign-in URL: `/auth/login?returnUrl=…`; a return URL that is not a local path becomes `/`. */
export function loginUrl(returnUrl?: string): string {
  const target = isLocalPath(returnUrl) ? returnUrl : '/';
  return `/auth/login?returnUrl=${encodeURIComponent(target)}`;
}

/** The current page as a return URL (path, query and fragment), without a previous `auth_error`. */
export function currentPath(): string {
  const location = globalThis.location;
  if (!location) return '/';
  const url = new URL(location.href);
  url.searchParams.delete('auth_error');
  return url.pathname + url.search + url.hash;
}

/**
 * Starts signing in: the browser goes to `/auth/login`, then to the authorization server, and comes
 * back to `returnUrl` (default: this page). A refused sign-in comes back with `?auth_error=…`
 * (see {@link authErrorFromUrl}).
 */
export function login(returnUrl: string = currentPath()): void {
  navigate(loginUrl(returnUrl));
}

/**
 * Signs out: `POST /auth/logout` (with `X-CSRF: 1`) revokes the tokens and ends the server session,
 * then the browser goes to the returned `redirect` (the provider's end-session URL, or `/`).
 * When nobody was signed in any more the browser goes to `/`. Returns where it navigated.
 */
export async function logout(): Promise<string> {
  let redirect = '/';
  try {
    const body = await json<{ redirect?: unknown }>(await send('POST', '/auth/logout'));
    if (typeof body?.redirect === 'string' && isNavigable(body.redirect)) redirect = body.redirect;
  } catch (error) {
    if (!(error instanceof GatewayError && error.signInRequired)) throw error;
  }
  navigate(redirect);
  return redirect;
}

export type AuthError = 'access_denied' | 'login_failed' | (string & {});

/** The `auth_error` a refused sign-in came back with (`access_denied` or `login_failed`), if any. */
export function authErrorFromUrl(href: string | undefined = globalThis.location?.href): AuthError | undefined {
  if (!href) return undefined;
  return new URL(href, 'http://localhost').searchParams.get('auth_error') ?? undefined;
}

/** Removes `auth_error` from the address bar once it has been shown. */
export function clearAuthErrorFromUrl(): void {
  const location = globalThis.location;
  const history = globalThis.history;
  if (!location || !history) return;
  const url = new URL(location.href);
  if (!url.searchParams.has('auth_error')) return;
  url.searchParams.delete('auth_error');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

/** Only http(s) URLs or local paths are followed, never `javascript:` or the like. */
export function isNavigable(url: string): boolean {
  if (isLocalPath(url)) return true;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Sends the browser to `url` (`location.assign`). */
export function navigate(url: string): void {
  const location = globalThis.location;
  if (!location) throw new Error(`Cannot navigate to ${url}: no window.location here.`);
  location.assign(url);
}
