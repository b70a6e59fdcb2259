// Placeholder until the PostgREST subset lands (being written now).
import type { ServerConfig } from '../config.ts';
import type { Engine } from '../db.ts';
import { json, type Handler } from '../http.ts';

export async function createRestHandler(_config: ServerConfig, _engine: Engine): Promise<Handler & { reload(): Promise<void> }> {
  return { handle: async () => json(501, { message: 'not implemented' }), reload: async () => undefined };
}
