// One MCP server per session (the SDK's low-level Server: the tool schemas go out exactly as
// written, JSON Schema 2020-12 keywords included), with the suite's tools, resources, prompts,
// completion and logging.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, CompleteRequestSchema, ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema,
  ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema, McpError,
  ReadResourceRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { complete, getPrompt, listedPrompts } from './prompts.mjs';
import { isKnownResource, listedResources, notFound, readResource, resourceTemplates } from './resources.mjs';
import { tools, toolsByName } from './tools.mjs';

export function createSessionServer() {
  const server = new Server(
    { name: 'mcpgw-conformance-everything', version: '1.0.0' },
    {
      capabilities: {
        tools: {},
        resources: { subscribe: true },
        prompts: {},
        completions: {},
        logging: {},
      },
      instructions: 'Implements the MCP conformance suite\'s server scenarios (tests/conformance).',
    });

  const state = { subscriptions: new Set(), watchedRevision: 1 };
  const session = {
    clientCapabilities: () => server.getClientCapabilities(),
    // A log notification on the request's stream, unless below the level the client set.
    log: async (extra, level, data) => {
      if (!server.isMessageIgnored(level, extra.sessionId)) {
        await extra.sendNotification({ method: 'notifications/message', params: { level, logger: 'conformance-everything', data } });
      }
    },
  };

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = toolsByName.get(request.params.name);
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    }
    return tool.run(request.params.arguments ?? {}, extra, session);
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listedResources }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => readResource(request.params.uri, state));
  server.setRequestHandler(SubscribeRequestSchema, (request) => {
    const { uri } = request.params;
    if (!isKnownResource(uri)) throw notFound(uri);
    state.subscriptions.add(uri);
    // The watched resource changes once per subscription, so that a subscriber sees an update
    // (sent after this answer, on the session's standalone stream).
    if (uri === 'test://watched-resource') {
      setTimeout(() => {
        if (!state.subscriptions.has(uri)) return;
        state.watchedRevision += 1;
        server.sendResourceUpdated({ uri }).catch(() => {});
      }, 20);
    }
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    state.subscriptions.delete(request.params.uri);
    return {};
  });

  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: listedPrompts }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => getPrompt(request.params.name, request.params.arguments));
  server.setRequestHandler(CompleteRequestSchema, (request) => complete(request.params.ref, request.params.argument));

  return server;
}
