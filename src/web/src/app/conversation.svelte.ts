import {
  applyContextUpdate, contexts as listContexts, deleteContext, storeContext,
  type ChatUsage, type ContextUpdate, type ConversationContext,
} from '../lib/gateway';
import { reportFailure } from './session.svelte';

export interface ChatEntry {
  key: number;
  role: 'user' | 'assistant';
  content: string;
  status: 'streaming' | 'done' | 'error' | 'stopped';
  model?: string;
  provider?: string;
  usage?: ChatUsage;
  error?: string;
}

const STORAGE_KEY = 'mcpgw.conversation';
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

export function isValidConversationId(value: string): boolean {
  return ID_PATTERN.test(value);
}

function initialId(): string {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored && isValidConversationId(stored)) return stored;
  } catch {
    // storage disabled: fine
  }
  return 'default';
}

/** The current conversation: its id, its contexts (kept live by the socket) and its chat history. */
class Conversation {
  id = $state(initialId());
  contexts = $state<ConversationContext[]>([]);
  loading = $state(false);
  loaded = $state(false);
  /** Chat history per conversation id, for this page's life. */
  histories = $state<Record<string, ChatEntry[]>>({});
  /** Bumped after each chat answer, so the usage panel refreshes. */
  answers = $state(0);
  #loadSeq = 0;
  #nextKey = 1;

  get messages(): ChatEntry[] {
    return this.histories[this.id] ?? [];
  }

  /** Appends to the current history; returns the reactive entry, so later changes (streamed text) show. */
  newEntry(entry: Omit<ChatEntry, 'key'>): ChatEntry {
    if (!this.histories[this.id]) this.histories[this.id] = [];
    const list = this.histories[this.id];
    list.push({ ...entry, key: this.#nextKey++ });
    return list[list.length - 1];
  }

  switchTo(id: string): void {
    if (!isValidConversationId(id) || id === this.id) return;
    this.id = id;
    this.contexts = [];
    this.loaded = false;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, id);
    } catch {
      // storage disabled: fine
    }
    void this.reload();
  }

  async reload(): Promise<void> {
    const id = this.id;
    const seq = ++this.#loadSeq;
    this.loading = true;
    try {
      const list = await listContexts(id);
      if (seq === this.#loadSeq) {
        this.contexts = list;
        this.loaded = true;
      }
    } catch (error) {
      if (seq === this.#loadSeq) reportFailure(error, 'Contexts');
    } finally {
      if (seq === this.#loadSeq) this.loading = false;
    }
  }

  /** A `notifications/context/updated` from the socket: another tab, or this one, changed a context. */
  applyUpdate(update: ContextUpdate): void {
    if (update?.conversation_id !== this.id) return;
    this.contexts = applyContextUpdate(this.contexts, update);
  }

  async add(content: string): Promise<boolean> {
    const id = this.id;
    try {
      const stored = await storeContext(id, content, { timestamp: new Date().toISOString() });
      this.applyUpdate({ conversation_id: id, action: 'stored', id: stored.id, context: stored });
      return true;
    } catch (error) {
      reportFailure(error, 'Add context');
      return false;
    }
  }

  async remove(contextId: string): Promise<void> {
    const id = this.id;
    try {
      await deleteContext(id, contextId);
      this.applyUpdate({ conversation_id: id, action: 'deleted', id: contextId });
    } catch (error) {
      reportFailure(error, 'Delete context');
    }
  }
}

export const conversation = new Conversation();
