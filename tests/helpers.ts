/**
 * Factories shared by the integration tests: real supabase-js clients (supabase/local/test-client.ts)
 * against the local server the global setup started.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY } from '../supabase/local/config.ts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createTestClient, createUntypedTestClient, type TestClient } from '../supabase/local/test-client.ts';

export const anonKey = DEMO_ANON_KEY;
export const serviceKey = DEMO_SERVICE_ROLE_KEY;
export const apiUrl = (): string => inject('apiUrl');

export function client(key: string = anonKey, accessToken?: string): TestClient {
  return createTestClient(apiUrl(), { key, accessToken });
}

export const admin = (): TestClient => client(serviceKey);

/** For the fixtures' tables and functions (tests/fixtures/*.sql), which the app's schema types do not know. */
export function untypedClient(key: string = anonKey, accessToken?: string): SupabaseClient {
  return createUntypedTestClient(apiUrl(), { key, accessToken });
}

export const untypedAdmin = (): SupabaseClient => untypedClient(serviceKey);

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  db: TestClient;
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
