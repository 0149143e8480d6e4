import {
  canConnect, type Connector, type ConnectorAuthorizationNeeded, type ConnectorResult, type MissingConnector,
} from '../lib/gateway';
import type { Notice } from './errors';

/** The banner title of everything about connectors. */
export const CONNECTORS_TITLE = 'Connectors';

const RESULT_ERRORS: Record<string, string> = {
  access_denied: 'the authorization was refused or cancelled.',
  invalid_state: 'the authorization could not be matched to this session. Start it again.',
  state_mismatch: 'the authorization could not be matched to this session. Start it again.',
  token_exchange_failed: 'its authorization server did not issue a token.',
  connector_discovery_failed: 'its authorization server could not be found.',
};

/** The notice for an authorization that just came back: "Connected to X" or "Could not connect X: <error>". */
export function connectorReturnNotice(result: ConnectorResult): Notice {
  if (result.result === 'connected') {
    return { title: CONNECTORS_TITLE, tone: 'success', code: 'connector_connected', message: `Connected to ${result.connector}.` };
  }
  const notice: Notice = { title: CONNECTORS_TITLE, code: result.error, message: `Could not connect ${result.connector}: ${result.error}` };
  const explained = RESULT_ERRORS[result.error];
  if (explained) notice.detail = `The connector was not connected: ${explained}`;
  return notice;
}

export function stateLabel(state: string): string {
  switch (state) {
    case 'connected': return 'Connected';
    case 'authorization_required': return 'Authorization required';
    case 'insufficient_scope': return 'More permissions needed';
    case 'unavailable': return 'Unavailable';
    default: return state;
  }
}

export function authorizationLabel(mode: string): string {
  switch (mode) {
    case 'session': return 'your sign-in';
    case 'discover': return 'its own authorization';
    case 'none': return 'no authorization';
    default: return mode;
  }
}

/** How a connector's tools are named: `github__…`, or as the server names them. */
export function prefixLabel(prefix: string): string {
  return prefix ? `${prefix}…` : 'no prefix';
}

/** A row standing in for the tools of a connector that are missing from the list. */
export interface ConnectorPlaceholder {
  name: string;
  state: string;
  reason?: string;
  /** Offer Connect (a `discover` connector waiting for the user's authorization). */
  connectable: boolean;
}

/**
 * The placeholder rows of the tools list: the connectors `tools/list` says are missing
 * (`_meta["io.mcpgateway/connectors"]`), then those the connectors list says still wait for the user's
 * authorization (a REST tool list may not name them). Each connector once.
 */
export function connectorPlaceholders(missing: readonly MissingConnector[], known: readonly Connector[]): ConnectorPlaceholder[] {
  const byName = new Map(known.map((connector) => [connector.name, connector]));
  const rows = new Map<string, ConnectorPlaceholder>();
  for (const entry of missing) {
    const connector = byName.get(entry.name);
    const row: ConnectorPlaceholder = {
      name: entry.name,
      state: entry.state,
      connectable: entry.state === 'authorization_required' && (connector === undefined || connector.authorization === 'discover'),
    };
    if (entry.reason) row.reason = entry.reason;
    rows.set(entry.name, row);
  }
  for (const connector of known) {
    if (rows.has(connector.name) || !canConnect(connector)) continue;
    rows.set(connector.name, { name: connector.name, state: connector.state, connectable: true });
  }
  return [...rows.values()];
}

/**
 * The sentence for a tool call refused with -32008 / -32009 (the gateway's own message is shown beside it). After -32009
 * the same Connect re-authorizes: the gateway itself asks for the granted scopes plus the one the server demanded.
 */
export function authorizationNeededText(needed: ConnectorAuthorizationNeeded): string {
  return needed.state === 'insufficient_scope'
    ? `${needed.connector} needs more permissions for this call${needed.scope ? ` (scope: ${needed.scope})` : ''}. Connect it again to grant them (what you granted before stays).`
    : `${needed.connector} is not connected yet. Connect it to use its tools.`;
}
