// Placeholder until the GoTrue subset lands (being written now).
import type { ServerConfig } from '../config.ts';
import type { Engine } from '../db.ts';
import { json, type Handler } from '../http.ts';

export function createAuthHandler(_config: ServerConfig, _engine: Engine): Handler {
  return { handle: async () => json(501, { message: 'not implemented' }) };
}
