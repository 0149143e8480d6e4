import { api, segment, type RequestOptions } from './http';

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
