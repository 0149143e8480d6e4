import {
  authErrorFromUrl, clearAuthErrorFromUrl, currentPath, GatewayError, login, logout, session as fetchSession,
  type SignedIn,
} from '../lib/gateway';
import { notices } from './notices.svelte';

export type SessionStatus = 'loading' | 'signedIn' | 'signedOut' | 'unavailable';

const AUTH_ERRORS: Record<string, string> = {
  access_denied: 'Sign-in was cancelled or refused at the identity provider.',
  login_failed: 'Sign-in failed. Please try again.',
};

/** Who is signed in, and the sign-in / sign-out actions with their progress. */
class SessionState {
  status = $state<SessionStatus>('loading');
  user = $state<SignedIn | null>(null);
  /** Why nobody is signed in: `unauthenticated` or `session_expired`. */
  reason = $state<string | undefined>(undefined);
  busy = $state<'login' | 'logout' | null>(null);

  get signedIn(): boolean {
    return this.status === 'signedIn';
  }

  get displayName(): string {
    return this.user?.name || this.user?.email || this.user?.sub || '';
  }

  /** Reads `GET /auth/session`; shows a refused sign-in (`?auth_error=`) once. */
  async load(): Promise<void> {
    const authError = authErrorFromUrl();
    if (authError) {
      notices.show({ title: 'Sign-in', code: authError, message: AUTH_ERRORS[authError] ?? `Sign-in failed (${authError}).`, signIn: true });
      clearAuthErrorFromUrl();
    }
    try {
      const current = await fetchSession();
      if (current.authenticated) {
        this.user = current;
        this.reason = undefined;
        this.status = 'signedIn';
      } else {
        this.user = null;
        this.reason = current.error;
        this.status = 'signedOut';
        if (current.error === 'session_expired' && !authError) {
          notices.show({ title: 'Session', code: 'session_expired', message: 'Your session has ended. Sign in again to continue.', signIn: true });
        }
      }
    } catch (error) {
      this.status = 'unavailable';
      notices.report(error, 'Session');
    }
  }

  login(): void {
    this.busy = 'login';
    try {
      login(currentPath());
    } catch (error) {
      this.busy = null;
      notices.report(error, 'Sign-in');
    }
  }

  async logout(): Promise<void> {
    this.busy = 'logout';
    try {
      await logout();
      // The browser is on its way to the provider's end-session page; keep showing progress.
    } catch (error) {
      this.busy = null;
      if (!this.handle(error)) notices.report(error, 'Sign-out');
    }
  }

  /** The session ended under us (a 401, or the socket closed with 4401). */
  expire(): void {
    if (this.status !== 'signedIn') return;
    this.status = 'signedOut';
    this.reason = 'session_expired';
    this.user = null;
    this.busy = null;
    notices.show({ title: 'Session', code: 'session_expired', message: 'Your session has ended. Sign in again to continue.', signIn: true });
  }

  /** If the error means the session is gone, switch to signed-out and say so; returns whether it did. */
  handle(error: unknown): boolean {
    if (error instanceof GatewayError && error.signInRequired) {
      this.expire();
      return true;
    }
    return false;
  }
}

export const sessionState = new SessionState();

/** Reports a failure of an action: a lost session switches to signed-out, anything else goes to the banner. */
export function reportFailure(error: unknown, title: string): void {
  if (sessionState.handle(error)) return;
  notices.report(error, title);
}

/** When the tab becomes visible again, a session that ended meanwhile (logout in another tab) shows at once. */
export async function recheckSession(): Promise<void> {
  if (!sessionState.signedIn) return;
  try {
    const current = await fetchSession();
    if (!current.authenticated) sessionState.expire();
  } catch {
    // Unreachable for a moment: the next call will tell.
  }
}
