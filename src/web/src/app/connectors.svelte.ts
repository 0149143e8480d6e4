import {
  clearConnectorResultFromUrl, connectConnector, connectorResultFromUrl, connectors as listConnectors, disconnectConnector,
  GatewayError, type Connector, type ConnectorResult,
} from '../lib/gateway';
import { CONNECTORS_TITLE, connectorReturnNotice } from './connectorView';
import { notices } from './notices.svelte';
import { reportFailure } from './session.svelte';
import { toolCatalog } from './toolCatalog.svelte';

export type ConnectorsStatus = 'idle' | 'loading' | 'ready' | 'unavailable' | 'failed';

/** The user's connectors (`GET /api/connectors`) and the Connect / Disconnect actions with their progress. */
class Connectors {
  list = $state<Connector[]>([]);
  status = $state<ConnectorsStatus>('idle');
  refreshing = $state(false);
  busy = $state<Record<string, 'connect' | 'disconnect'>>({});
  #seq = 0;
  /** The last read failed and said so in the banner (a later success takes that notice away, not others). */
  #reported = false;

  find(name: string): Connector | undefined {
    return this.list.find((connector) => connector.name === name);
  }

  async load(): Promise<void> {
    const seq = ++this.#seq;
    if (this.status === 'idle') this.status = 'loading';
    this.refreshing = true;
    try {
      const list = await listConnectors();
      if (seq !== this.#seq) return;
      this.list = list;
      this.status = 'ready';
      if (this.#reported) notices.clear(CONNECTORS_TITLE);
      this.#reported = false;
    } catch (error) {
      if (seq !== this.#seq) return;
      if (error instanceof GatewayError && (error.status === 404 || error.status === 405)) {
        // A gateway without connectors: say so in the panel, not in the banner.
        this.list = [];
        this.status = 'unavailable';
      } else {
        this.status = 'failed';
        this.#reported = true;
        reportFailure(error, CONNECTORS_TITLE);
      }
    } finally {
      if (seq === this.#seq) this.refreshing = false;
    }
  }

  /** Sends the browser to the connector's authorization server; it comes back to this page (see {@link showConnectorReturn}). */
  async connect(name: string): Promise<void> {
    if (this.busy[name]) return;
    this.busy[name] = 'connect';
    try {
      await connectConnector(name);
      // The browser is on its way to the authorization server; keep showing progress.
    } catch (error) {
      delete this.busy[name];
      reportFailure(error, `Connect ${name}`);
      void this.load();
    }
  }

  /** The page came back from the browser's back/forward cache: a Connect that left it is no longer under way. */
  resetProgress(): void {
    this.busy = {};
  }

  /** Revokes the user's token of the connector, then reads the connectors and the tools again. */
  async disconnect(name: string): Promise<void> {
    if (this.busy[name]) return;
    this.busy[name] = 'disconnect';
    try {
      await disconnectConnector(name);
      notices.clear(`Disconnect ${name}`);
    } catch (error) {
      reportFailure(error, `Disconnect ${name}`);
    } finally {
      delete this.busy[name];
    }
    await Promise.all([this.load(), toolCatalog.load()]);
  }
}

export const connectors = new Connectors();

/**
 * After a connector's authorization came back (`?connector=…&connector_result=…`): shows the outcome
 * and takes the parameters out of the address. The lists are read when the signed-in page starts.
 */
export function showConnectorReturn(): ConnectorResult | undefined {
  const result = connectorResultFromUrl();
  if (result) notices.show(connectorReturnNotice(result));
  clearConnectorResultFromUrl();
  return result;
}
