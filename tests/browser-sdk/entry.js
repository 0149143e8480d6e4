// The browser entry of the official MCP TypeScript SDK for BrowserSdkClientTests: esbuild bundles this
// into one classic script that puts what the test drives onto window.mcpSdk.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
// The gateway's CSP has no 'unsafe-eval', and the SDK's default validator (Ajv) compiles tool output
// schemas with new Function: the SDK's eval-free validator is the one for such pages.
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';

window.mcpSdk = { Client, StreamableHTTPClientTransport, CreateMessageRequestSchema, CfWorkerJsonSchemaValidator };
