import {
  CONTEXT_UPDATED, McpSocket, TOOL_EXECUTED,
  type ContextUpdate, type SocketState, type StateChange,
} from '../lib/gateway';
import { conversation } from './conversation.svelte';
import { sessionState } from './session.svelte';

export interface ToolActivity {
  key: number;
  name: string;
  isError: boolean;
  at: Date;
}

const TOOLS_LIST_CHANGED = 'notifications/tools/list_changed';

/** The page's one MCP socket: live context updates, tool list changes and notices of tools the MCP server ran in the gateway. */
class LiveConnection {
  state = $state<SocketState>('closed');
  detail = $state('');
  activity = $state<ToolActivity[]>([]);
  /** Bumped on every `notifications/tools/list_changed` (e.g. a connector's tools arrived), so the tools list is read again. */
  toolsChanged = $state(0);
  #socket: McpSocket | null = null;
  #opened = false;
  #key = 1;

  get socket(): McpSocket | null {
    return this.#socket;
  }

  start(): void {
    if (this.#socket) return;
    const socket = new McpSocket({ clientInfo: { name: 'mcp-gateway-web', title: 'McpGateway demo', version: '0.1.0' } });
    this.#socket = socket;
    socket.onState((change) => this.#onState(change));
    socket.onSessionEnded(() => sessionState.expire());
    socket.on<ContextUpdate>(CONTEXT_UPDATED, (update) => conversation.applyUpdate(update));
    socket.on<{ name?: string; isError?: boolean }>(TOOL_EXECUTED, (params) => {
      this.activity = [{ key: this.#key++, name: params?.name ?? '?', isError: params?.isError === true, at: new Date() }, ...this.activity].slice(0, 10);
    });
    socket.on(TOOLS_LIST_CHANGED, () => { this.toolsChanged += 1; });
    socket.connect().catch(() => {
      // The state shows it; a lost session is reported by onSessionEnded.
    });
  }

  stop(): void {
    this.#socket?.close();
    this.#socket = null;
    this.#opened = false;
  }

  #onState(change: StateChange): void {
    this.state = change.state;
    this.detail = describe(change);
    if (change.state === 'open') {
      // After a reconnect, updates sent while the socket was down were missed: read the list again.
      if (this.#opened) void conversation.reload();
      this.#opened = true;
    }
  }
}

function describe(change: StateChange): string {
  switch (change.state) {
    case 'open': return 'Live updates on';
    case 'connecting':
      return change.retryInMs !== undefined
        ? `Reconnecting in ${Math.ceil(change.retryInMs / 1000)} s (attempt ${change.attempt})`
        : change.attempt ? `Reconnecting (attempt ${change.attempt})` : 'Connecting';
    case 'sessionEnded': return 'Session ended';
    case 'closed':
      if (change.code === 1008) return `Closed: ${change.reason || 'refused by policy'}`;
      return change.code === undefined ? 'Live updates off' : `Live updates off (closed with ${change.code}${change.reason ? `: ${change.reason}` : ''})`;
  }
}

export const live = new LiveConnection();
