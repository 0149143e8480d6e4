/**
 * McpGateway browser client: framework-free, same-origin, cookie-authenticated. No token ever
 * reaches the page. See src/web/README.md.
 */
export { GatewayError, errorFromResponse, isAbortError, isGatewayError, parseRetryAfter, type GatewayErrorCode } from './errors';
export { api, send, CSRF_HEADER, type RequestOptions } from './http';
export {
  session, login, logout, loginUrl, isLocalPath, isNavigable, currentPath, authErrorFromUrl, clearAuthErrorFromUrl,
  type Session, type SignedIn, type SignedOut, type AuthError,
} from './auth';
export {
  chat, StreamInterruptedError, CHAT_PATH,
  type ChatMessage, type ChatOptions, type ChatResult, type ChatRole, type ChatUsage,
} from './chat';
export { SseParser, readEvents, type ServerSentEvent } from './sse';
export {
  tools, callTool, resultText, listToolsOverSocket, callToolOverSocket, MAX_TOOL_PAGES,
  type Tool, type ToolList, type CallToolResult, type ContentBlock, type JsonSchema,
} from './tools';
export {
  contexts, storeContext, deleteContext, applyContextUpdate, CONTEXT_UPDATED,
  type ConversationContext, type ContextMetadata, type ContextUpdate,
} from './contexts';
export { usage, type ModelUsage, type UsageReport } from './usage';
export {
  connectors, authorizeConnector, connectConnector, disconnectConnector, canConnect, canDisconnect,
  connectorResultFromUrl, withoutConnectorResult, connectorReturnPath, clearConnectorResultFromUrl,
  missingConnectors, connectorAuthorizationNeeded, CONNECTORS_PATH, CONNECTORS_META, CONNECTOR_RESULT_PARAMS,
  type Connector, type ConnectorAuthorization, type ConnectorState, type ConnectorResult, type MissingConnector,
  type ConnectorAuthorizationNeeded,
} from './connectors';
export { ErrorCode, McpError, McpConnectionError, type JsonRpcMessage, type RequestId } from './jsonrpc';
export {
  McpSocket, wsUrl, PROTOCOL_VERSION, RECONNECT_CODES, SESSION_ENDED_CODE, POLICY_VIOLATION_CODE, RESUME_REFUSED_CODE, RESUME_META, RESUMED_META, PENDING_META,
  type McpSocketOptions, type SocketState, type StateChange, type InitializeResult, type Implementation,
  type NotificationHandler, type RequestHandler, type RequestContext, type ReconnectOptions, type SocketRequestOptions,
  type WebSocketLike, type WebSocketFactory,
} from './socket';

/** Sent to the page when the MCP server called one of the gateway's tools and the gateway answered it. */
export const TOOL_EXECUTED = 'notifications/gateway/tool_executed';
