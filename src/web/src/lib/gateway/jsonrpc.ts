/** JSON-RPC 2.0 as MCP uses it, and the errors a socket request can end with. */

export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: unknown;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** Standard JSON-RPC codes, and the gateway's own (-32000…-32009). */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The MCP server cannot be reached or failed; the socket stays open, retry later. */
  UpstreamUnavailable: -32000,
  /** No answer in time (the gateway's request timeout, or this client's `timeoutMs`). */
  RequestTimeout: -32001,
  /** Too many requests in flight on one socket. */
  TooManyRequests: -32005,
  /** The request was cancelled. */
  Cancelled: -32003,
  /** The user's tool-call budget is spent; `data.retryAfter` is in seconds. */
  RateLimited: -32004,
  /** A connector (an upstream MCP server with its own authorization) needs the user to authorize it: `data` {connector, state, authorize}. */
  ConnectorAuthorizationRequired: -32008,
  /** A connector's token lacks a scope the call needs (step-up): `data` {connector, state, scope, authorize}. */
  ConnectorInsufficientScope: -32009,
} as const;

/** A JSON-RPC error answer (or this client's timeout), with its code, message and data. */
export class McpError extends Error {
  override readonly name = 'McpError';

  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
    /** The method of the request that failed. */
    readonly method?: string,
  ) {
    super(message);
  }

  /** Seconds to wait, for `RateLimited` (-32004) errors. */
  get retryAfter(): number | undefined {
    const value = (this.data as { retryAfter?: unknown } | undefined)?.retryAfter;
    return typeof value === 'number' ? value : undefined;
  }
}

/** The socket closed (or was never open) before the request was answered. */
export class McpConnectionError extends Error {
  override readonly name = 'McpConnectionError';

  constructor(
    message: string,
    /** The WebSocket close code, when a close caused this. */
    readonly closeCode?: number,
    readonly closeReason?: string,
  ) {
    super(message);
  }
}
