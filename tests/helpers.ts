/**
 * Factories shared by the integration tests: real supabase-js clients against the local server.
 * Node 20 has no global WebSocket, so clients get `ws` as realtime transport (supabase-js ≥ 2.119
 * otherwise throws in createClient).
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { inject } from 'vitest';
import { DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY } from '../supabase/local/config.ts';

export const anonKey = DEMO_ANON_KEY;
export const serviceKey = DEMO_SERVICE_ROLE_KEY;
export const apiUrl = (): string => inject('apiUrl');

export function client(key: string = anonKey, accessToken?: string): SupabaseClient {
  return createClient(apiUrl(), key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    ...(accessToken ? { global: { headers: { Authorization: `Bearer ${accessToken}` } } } : {}),
  });
}

export const admin = (): SupabaseClient => client(serviceKey);

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  db: SupabaseClient;
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomUUID().slice(0, 8)}@test.local`;
}

/** Signs a new user up through GoTrue (always a student), optionally promoted to instructor by the service role. */
export async function createUser(opts: { role?: 'student' | 'instructor'; displayName?: string; email?: string } = {}): Promise<TestUser> {
  const email = opts.email ?? uniqueEmail(opts.role ?? 'student');
  const password = 'correct-horse-battery';
  const anon = client();
  const { data, error } = await anon.auth.signUp({
    email,
    password,
    options: { data: { display_name: opts.displayName ?? email.split('@')[0] } },
  });
  if (error || !data.session || !data.user) throw new Error(`signUp failed: ${error?.message ?? 'no session'}`);
  if (opts.role === 'instructor') {
    const { error: e2 } = await admin().from('profiles').update({ role: 'instructor' }).eq('id', data.user.id);
    if (e2) throw new Error(`promote failed: ${e2.message}`);
  }
  const token = data.session.access_token;
  return { id: data.user.id, email, password, accessToken: token, db: client(anonKey, token) };
}
