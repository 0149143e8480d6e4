import { api, type RequestOptions } from './http';

/** A user's totals for one model, counted by the gateway from the chat answers. */
export interface ModelUsage {
  model: string;
  provider: string;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface UsageReport {
  models: ModelUsage[];
}

/** `GET /api/usage`: the signed-in user's token usage per model. */
export async function usage(options?: RequestOptions): Promise<UsageReport> {
  const body = await api.get<Partial<UsageReport>>('/api/usage', options);
  return { models: Array.isArray(body?.models) ? body.models : [] };
}
