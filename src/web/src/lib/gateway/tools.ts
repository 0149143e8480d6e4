import { api, segment, type RequestOptions } from './http';
import type { McpSocket, SocketRequestOptions } from './socket';

/** An MCP tool as `tools/list` describes it (the gateway's own and the MCP server's, merged). */
export interface Tool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: Record<string, unknown>;
}

/** The parts of JSON Schema a tool's input schema uses. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  description?: string;
  minimum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  [keyword: string]: unknown;
}

export interface ToolList {
  tools: Tool[];
  /** Whether the MCP server answered; its tools are missing from `tools` when it did not. */
  upstream?: { status: 'ok' | 'unavailable' | (string & {}); detail?: string };
  /** `_meta["io.mcpgateway/connectors"]`: the connectors whose tools are missing (see `missingConnectors`). */
  _meta?: Record<string, unknown>;
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; data: string; mimeType: string }
  | { type: 'audio'; data: string; mimeType: string }
  | { type: 'resource_link'; uri: string; name?: string; description?: string; mimeType?: string }
  | { type: 'resource'; resource: { uri: string; mimeType?: string; text?: string; blob?: string } }
  | { type: string; [field: string]: unknown };

/** MCP `CallToolResult`: `isError` means the tool ran and failed (not a protocol error). */
export interface CallToolResult {
  content: ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
}

/** `GET /api/tools`: the merged tool list. */
export function tools(options?: RequestOptions): Promise<ToolList> {
  return api.get<ToolList>('/api/tools', options);
}

/** Pages of `tools/list` read over a socket at most (a server that keeps answering a cursor is cut off there). */
export const MAX_TOOL_PAGES = 20;

/**
 * `tools/list` over the socket, every page (following `nextCursor`): the tools in order, and the
 * pages' `_meta` members merged (a list member, such as the missing connectors, is concatenated).
 */
export async function listToolsOverSocket(socket: Pick<McpSocket, 'request'>, options?: SocketRequestOptions): Promise<ToolList> {
  const all: Tool[] = [];
  const meta: Record<string, unknown> = {};
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await socket.request<{ tools?: unknown; nextCursor?: unknown; _meta?: unknown }>(
      'tools/list', cursor === undefined ? undefined : { cursor }, options);
    if (Array.isArray(result?.tools)) all.push(...(result.tools as Tool[]).filter((tool) => typeof tool?.name === 'string'));
    if (result?._meta && typeof result._meta === 'object') {
      for (const [key, value] of Object.entries(result._meta as Record<string, unknown>)) {
        meta[key] = Array.isArray(value) && Array.isArray(meta[key]) ? [...(meta[key] as unknown[]), ...value] : value;
      }
    }
    if (typeof result?.nextCursor !== 'string' || !result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return Object.keys(meta).length > 0 ? { tools: all, _meta: meta } : { tools: all };
}

/** `tools/call` over the socket. A connector that needs authorization rejects with McpError -32008 / -32009. */
export async function callToolOverSocket(
  socket: Pick<McpSocket, 'request'>, name: string, args: Record<string, unknown> = {}, options?: SocketRequestOptions,
): Promise<CallToolResult> {
  const result = await socket.request<CallToolResult>('tools/call', { name, arguments: args }, options);
  return { ...result, content: Array.isArray(result?.content) ? result.content : [] };
}

/** `POST /api/tools/{name}/call` with `{arguments}`: gateway tools run in the gateway, the others on the MCP server. */
export async function callTool(name: string, args: Record<string, unknown> = {}, options?: RequestOptions): Promise<CallToolResult> {
  const result = await api.post<CallToolResult>(`/api/tools/${segment(name)}/call`, { arguments: args }, options);
  return { ...result, content: Array.isArray(result?.content) ? result.content : [] };
}

/** The text of a result's text blocks, joined by newlines. */
export function resultText(result: CallToolResult): string {
  return result.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text)
    .join('\n');
}
