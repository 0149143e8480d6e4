import { GatewayError, McpConnectionError, McpError, ErrorCode, connectorAuthorizationNeeded, isAbortError } from '../lib/gateway';
import { authorizationNeededText } from './connectorView';

/** What the error banner shows for a failure. */
export interface Notice {
  /** What was being done: "Chat", "Tool call", "Contexts", … */
  title: string;
  message: string;
  /** The server's own words, when they add something. */
  detail?: string;
  code?: string;
  /** Offer "Sign in again". */
  signIn?: boolean;
  /** Seconds until a retry may succeed. */
  retryAfter?: number;
  /** `success` for good news (a connector was connected); a failure otherwise. */
  tone?: 'success';
}

/** Turns any failure into a sentence a user can act on. Returns undefined for an abort (the user's own doing). */
export function describeError(error: unknown, title: string): Notice | undefined {
  if (isAbortError(error)) return undefined;

  if (error instanceof GatewayError) {
    const notice: Notice = { title, code: error.code, message: gatewayMessage(error), retryAfter: error.retryAfter };
    if (error.signInRequired) notice.signIn = true;
    // The server's words add to the sentence, except for a rate limit, whose delay the banner counts down.
    if (error.description && !notice.message.includes(error.description) && error.code !== 'rate_limited') notice.detail = error.description;
    return notice;
  }

  if (error instanceof McpError) {
    switch (error.code) {
      case ErrorCode.RateLimited:
        return { title, code: 'rate_limited', message: retryText('Too many tool calls.', error.retryAfter), retryAfter: error.retryAfter, detail: error.message };
      case ErrorCode.UpstreamUnavailable:
        return { title, code: 'upstream_unavailable', message: 'The MCP server is unavailable right now. Try again shortly.', detail: error.message };
      case ErrorCode.RequestTimeout:
        return { title, code: 'timeout', message: 'No answer in time.', detail: error.message };
      case ErrorCode.ConnectorAuthorizationRequired:
      case ErrorCode.ConnectorInsufficientScope: {
        const needed = connectorAuthorizationNeeded(error);
        const code = error.code === ErrorCode.ConnectorInsufficientScope ? 'insufficient_scope' : 'authorization_required';
        return needed
          ? { title, code, message: `${authorizationNeededText(needed)} Use Connect in the Connectors panel.`, detail: error.message }
          : { title, code, message: error.message };
      }
      default:
        return { title, code: `jsonrpc_${error.code}`, message: error.message };
    }
  }

  if (error instanceof McpConnectionError) {
    return { title, code: 'connection_closed', message: error.message };
  }

  return { title, message: error instanceof Error ? error.message : String(error) };
}

function gatewayMessage(error: GatewayError): string {
  switch (error.code) {
    case 'session_expired': return 'Your session has ended. Sign in again to continue.';
    case 'unauthenticated': return 'You are not signed in. Sign in to continue.';
    case 'csrf_header_missing': return 'The gateway refused the request: the anti-forgery header (X-CSRF) was missing. Reload the page and try again.';
    case 'rate_limited': return retryText('Too many requests.', error.retryAfter);
    case 'upstream_unavailable': return 'The upstream server is unavailable right now. Try again shortly.';
    case 'upstream_timeout': return 'The upstream server did not answer in time. Try again.';
    case 'temporarily_unavailable': return retryText('The gateway is temporarily unavailable.', error.retryAfter);
    case 'network_error': return 'The gateway could not be reached. Check the connection and try again.';
    case 'stream_interrupted': return 'The answer stopped before it was complete. Try again.';
    case 'server_error': return 'The gateway failed to handle the request.';
    case 'connector_not_found': return 'The gateway has no such connector (any more). Reload the connectors.';
    case 'not_authorizable': return 'This connector uses your sign-in or no authorization: there is nothing to connect.';
    case 'connector_discovery_failed': return 'The connector\'s authorization server could not be found or read. Try again later.';
    default: break;
  }
  // A code of the upstream's own, passed through unchanged: the status still says what kind of failure it is.
  switch (error.status) {
    case 401: return 'You are not signed in. Sign in to continue.';
    case 429: return retryText('Too many requests.', error.retryAfter);
    case 502: return 'The upstream server failed. Try again shortly.';
    case 503: return retryText('The service is temporarily unavailable.', error.retryAfter);
    case 504: return 'The upstream server did not answer in time. Try again.';
    default: return error.description || `The request failed (${error.status || 'no answer'}).`;
  }
}

export function retryText(lead: string, retryAfter: number | undefined): string {
  return retryAfter === undefined ? `${lead} Try again shortly.` : `${lead} Try again in ${retryAfter} s.`;
}
