import { api, segment, type RequestOptions } from './http';

/**
 * A piece of a conversation's context, kept per user by the gateway: the seed's `MCPContext`.
 * `content` is any JSON value but null (the seed sends an object), kept exactly as it was stored.
 */
export interface ConversationContext {
  id: string;
  conversation_id: string;
  content: unknown;
  metadata: ContextMetadata;
}

export interface ContextMetadata {
  /** Milliseconds since the epoch (the seed's form, and the gateway's when absent) or ISO 8601 text; kept in its form. */
  timestamp?: number | string;
  model?: string | null;
  tokens_used?: number | null;
  /** Any other member is kept as it came. */
  [member: string]: unknown;
}

/** The params of `notifications/context/updated`, pushed to every socket of the user. */
export interface ContextUpdate {
  conversation_id: string;
  action: 'stored' | 'deleted' | (string & {});
  id: string;
  context?: ConversationContext;
}

export const CONTEXT_UPDATED = 'notifications/context/updated';

function path(conversationId: string): string {
  return `/api/conversations/${segment(conversationId)}/contexts`;
}

/** `GET /api/conversations/{id}/contexts`: the conversation's contexts, oldest first. */
export async function contexts(conversationId: string, options?: RequestOptions): Promise<ConversationContext[]> {
  const body = await api.get<{ contexts?: ConversationContext[] }>(path(conversationId), options);
  return body?.contexts ?? [];
}

/**
 * `POST /api/conversations/{id}/contexts`: stores a context (or replaces the one with `options.id`);
 * `content` is any JSON value but null.
 * Every open socket of the user is told by `notifications/context/updated`.
 */
export function storeContext(
  conversationId: string,
  content: unknown,
  metadata: ContextMetadata = {},
  options: RequestOptions & { id?: string } = {},
): Promise<ConversationContext> {
  const { id, ...request } = options;
  const body: Record<string, unknown> = { content, metadata };
  if (id) body.id = id;
  return api.post<ConversationContext>(path(conversationId), body, request);
}

/** `DELETE /api/conversations/{id}/contexts/{contextId}`. */
export async function deleteContext(conversationId: string, contextId: string, options?: RequestOptions): Promise<void> {
  await api.delete(`${path(conversationId)}/${segment(contextId)}`, options);
}

/** Applies a pushed update to a list (upsert or removal); returns a new list, oldest first. */
export function applyContextUpdate(list: readonly ConversationContext[], update: ContextUpdate): ConversationContext[] {
  if (update.action === 'deleted') return list.filter((item) => item.id !== update.id);
  if (update.action === 'stored' && update.context) {
    const index = list.findIndex((item) => item.id === update.id);
    if (index === -1) return [...list, update.context];
    const copy = [...list];
    copy[index] = update.context;
    return copy;
  }
  return [...list];
}
