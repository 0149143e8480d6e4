import type { CallToolResult, MissingConnector, Tool, ToolList } from '../lib/gateway';
import { live } from './live.svelte';
import { notices } from './notices.svelte';
import { reportFailure } from './session.svelte';
import { invokeTool, loadToolListing } from './toolSource';

/** The merged tool list (over the live socket when there is one) and the calls made from the page. */
class ToolCatalog {
  tools = $state<Tool[]>([]);
  upstream = $state<ToolList['upstream']>(undefined);
  /** Connectors whose tools are missing from the list (`_meta["io.mcpgateway/connectors"]`). */
  missing = $state<MissingConnector[]>([]);
  loading = $state(false);
  loaded = $state(false);
  /** How the last list was read: a REST list is read again over the socket once it opens. */
  via = $state<'socket' | 'rest' | null>(null);
  #seq = 0;

  /** Reads the list again; an older read still under way is ignored when it ends. */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const listing = await loadToolListing(live.socket);
      if (seq !== this.#seq) return;
      this.tools = listing.tools;
      this.upstream = listing.upstream;
      this.missing = listing.missing;
      this.via = listing.via;
      this.loaded = true;
      notices.clear('Tools');
    } catch (error) {
      if (seq === this.#seq) reportFailure(error, 'Tools');
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return invokeTool(live.socket, name, args);
  }
}

export const toolCatalog = new ToolCatalog();
