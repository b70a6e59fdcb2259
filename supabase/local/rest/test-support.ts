/**
 * Test-only helpers for the /rest/v1 contract tests: mint the JWTs GoTrue would issue (signed with the
 * demo secret the test server uses), and clients/raw requests that carry them.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { DEMO_JWT_SECRET } from '../config.ts';
import { signJwt, type Claims } from '../jwt.ts';
import { anonKey, apiUrl, untypedClient as client } from '../../../tests/helpers.ts';

export async function mintToken(claims: Claims = {}, secret = DEMO_JWT_SECRET): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600, ...claims }, secret);
}

export interface MintedUser {
  id: string;
  token: string;
  db: SupabaseClient;
}

/** A signed-in user as far as PostgREST can tell (no auth.users row; the contract tables do not need one). */
export async function mintedUser(): Promise<MintedUser> {
  const id = randomUUID();
  const token = await mintToken({ sub: id });
  return { id, token, db: client(anonKey, token) };
}

/** A raw request to /rest/v1 for what supabase-js hides (headers, non-JSON bodies). */
export function rest(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  return fetch(`${apiUrl()}/rest/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { apikey: anonKey, ...init.headers },
    body: init.body,
  });
}
