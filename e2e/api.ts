/**
 * Test-side access to the e2e API: a real supabase-js client in Node, for arranging data the UI then
 * shows (a finished block, its answers), built by supabase/local/test-client.ts like the Vitest suites' clients.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { z } from 'zod';
import { DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY } from '../supabase/local/config.ts';
import { createTestClient, type TestClient } from '../supabase/local/test-client.ts';
import { E2E_API_URL_VAR } from './e2e-env.ts';
import { CHOICES } from '../src/lib/taxonomy.ts';

export const DEMO_PASSWORD = 'rounds-demo';
export const demoStudent = { email: 'student@example.com', password: DEMO_PASSWORD };

/** A client signed in as `email` (one sign-in request; the auth limiter allows 30 per 5 min per IP). */
export async function signedInClient(email: string, password: string = DEMO_PASSWORD): Promise<TestClient> {
  const client = createTestClient(e2eApiUrl());
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw new Error(`sign-in as ${email} failed: ${error.message}`);
  return client;
}

const questionSchema = z.object({
  id: z.number(),
  stem: z.string(),
  correct_choice: z.enum(CHOICES),
  explanation: z.string(),
});
export type SeedQuestion = z.infer<typeof questionSchema>;

const wrongChoice = (key: SeedQuestion['correct_choice']) => CHOICES[(CHOICES.indexOf(key) + 1) % CHOICES.length] ?? 'A';

export interface FinishedBlock {
  id: string;
  /** In block order. */
  questions: SeedQuestion[];
  /** Ids of questions the student got wrong. */
  incorrectIds: number[];
  /** Ids of questions whose cohort distribution exists (≥ 5 peers). */
  withPeerDataIds: number[];
  markedIds: number[];
}

/**
 * Creates a finished tutor block for `db`'s user: three questions that cohort peers have answered
 * (so a distribution exists) and two that they have not, answered correct / wrong alternately, the
 * second question marked.
 */
export async function createFinishedBlock(db: TestClient): Promise<FinishedBlock> {
  const { data: rows } = await db
    .from('questions')
    .select('id, stem, correct_choice, explanation')
    .eq('published', true)
    .order('id')
    .throwOnError();
  const questions = z.array(questionSchema).parse(rows);
  const { data: dist } = await db
    .rpc('get_choice_distribution', { p_question_ids: questions.map((q) => q.id) })
    .throwOnError();
  const withPeers = new Set(z.array(z.object({ question_id: z.number() })).parse(dist).map((d) => d.question_id));
  const peered = questions.filter((q) => withPeers.has(q.id)).slice(0, 3);
  const unpeered = questions.filter((q) => !withPeers.has(q.id)).slice(0, 2);
  if (peered.length === 0 || unpeered.length === 0) throw new Error('seed has no mix of questions with and without peer data');
  const block = [peered[0], unpeered[0], peered[1], unpeered[1], peered[2]].filter((q) => q !== undefined);

  const id = randomUUID();
  const startedAt = new Date(Date.now() - 20 * 60 * 1000);
  await db
    .from('attempts')
    .insert({ id, mode: 'tutor', question_ids: block.map((q) => q.id), time_limit_seconds: null, filters: {}, started_at: startedAt.toISOString() })
    .throwOnError();
  const incorrectIds = block.filter((_, i) => i % 2 === 1).map((q) => q.id);
  const answers = block.map((q, i) => ({
    id: randomUUID(),
    attempt_id: id,
    question_id: q.id,
    choice: incorrectIds.includes(q.id) ? wrongChoice(q.correct_choice) : q.correct_choice,
    time_spent_ms: 45_000 + i * 1000,
    answered_at: new Date(startedAt.getTime() + (i + 1) * 60_000).toISOString(),
  }));
  await db.rpc('submit_answers', { answers }).throwOnError();
  const markedIds = block[1] ? [block[1].id] : [];
  await db
    .from('attempts')
    .update({ completed_at: new Date().toISOString(), marked_question_ids: markedIds })
    .eq('id', id)
    .throwOnError();
  return { id, questions: block, incorrectIds, withPeerDataIds: peered.map((q) => q.id), markedIds };
}

function e2eApiUrl(): string {
  const url = process.env[E2E_API_URL_VAR];
  if (!url) throw new Error(`${E2E_API_URL_VAR} is not set: run through playwright.config.ts (global setup)`);
  return url;
}

export interface Student {
  email: string;
  password: string;
}

/** A new student through GoTrue's /signup (confirmations are off locally, so it can sign in at once). */
export async function signUpStudent(tag = 'student'): Promise<Student> {
  const student = { email: `${tag}-${randomUUID().slice(0, 8)}@test.local`, password: 'correct-horse-battery' };
  const res = await fetch(`${e2eApiUrl()}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: DEMO_ANON_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ ...student, data: { display_name: `${tag} test` } }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return student;
}

/**
 * A new instructor: signed up like anyone (a student), then promoted with the service role, as the
 * README says instructors are made. Returns a client signed in as them.
 */
export async function createInstructor(displayName: string): Promise<{ email: string; password: string; id: string; db: TestClient }> {
  const email = `instructor-${randomUUID().slice(0, 8)}@test.local`;
  const password = 'correct-horse-battery';
  const res = await fetch(`${e2eApiUrl()}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: DEMO_ANON_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, data: { display_name: displayName } }),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const id = z.object({ user: z.object({ id: z.string() }) }).parse(await res.json()).user.id;
  const promote = await fetch(`${e2eApiUrl()}/rest/v1/profiles?id=eq.${id}`, {
    method: 'PATCH',
    headers: { apikey: DEMO_SERVICE_ROLE_KEY, authorization: `Bearer ${DEMO_SERVICE_ROLE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'instructor' }),
  });
  if (promote.status !== 204) throw new Error(`promoting ${email} failed: ${promote.status} ${await promote.text()}`);
  return { email, password, id, db: await signedInClient(email, password) };
}

/** The access token of the page's stored supabase session (for reading the server as that user). */
export async function pageAccessToken(page: Page): Promise<string> {
  const raw = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => /^sb-.*-auth-token$/.test(k));
    return key ? localStorage.getItem(key) : null;
  });
  return z.object({ access_token: z.string() }).parse(JSON.parse(raw ?? 'null')).access_token;
}

/** The answer ids the server holds for an attempt, read as the page's user (RLS: own rows only). */
export async function serverAnswerIds(token: string, attemptId: string): Promise<string[]> {
  const res = await fetch(`${e2eApiUrl()}/rest/v1/answers?select=id&attempt_id=eq.${attemptId}`, {
    headers: { apikey: DEMO_ANON_KEY, authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`reading answers failed: ${res.status}`);
  return z.array(z.object({ id: z.string() })).parse(await res.json()).map((r) => r.id);
}

/** GETs a PostgREST path as the page's user and parses the rows (RLS applies: the user's own rows). */
async function restRows<T>(token: string, pathAndQuery: string, schema: z.ZodType<T>): Promise<T[]> {
  const res = await fetch(`${e2eApiUrl()}/rest/v1/${pathAndQuery}`, {
    headers: { apikey: DEMO_ANON_KEY, authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`reading ${pathAndQuery} failed: ${res.status} ${await res.text()}`);
  return z.array(schema).parse(await res.json());
}

/** Published question ids with their keys, in id order (for blocks a test queues through the app's hook). */
export async function publishedQuestions(token: string): Promise<Pick<SeedQuestion, 'id' | 'correct_choice'>[]> {
  return restRows(token, 'questions?select=id,correct_choice&published=eq.true&order=id', questionSchema.pick({ id: true, correct_choice: true }));
}

const storedAnswerSchema = z.object({
  id: z.string(),
  attempt_id: z.string(),
  question_id: z.number(),
  choice: z.string(),
  is_correct: z.boolean(),
  answered_at: z.string(),
  received_at: z.string(),
});
export type StoredAnswer = z.infer<typeof storedAnswerSchema>;

/** Every answer the server holds for the token's user (RLS: own rows; below PostgREST's 1,000-row cap). */
export async function serverAnswers(token: string): Promise<StoredAnswer[]> {
  return restRows(token, 'answers?select=id,attempt_id,question_id,choice,is_correct,answered_at,received_at&order=id', storedAnswerSchema);
}

/** Joins the cohort with `code` as the token's user (join_cohort RPC). */
export async function joinCohort(token: string, code: string): Promise<void> {
  const res = await fetch(`${e2eApiUrl()}/rest/v1/rpc/join_cohort`, {
    method: 'POST',
    headers: { apikey: DEMO_ANON_KEY, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  if (res.status !== 200) throw new Error(`join_cohort failed: ${res.status} ${await res.text()}`);
}

const rollupSchema = z.object({ cohort_id: z.string(), answered: z.number(), correct: z.number() });
export type Rollup = z.infer<typeof rollupSchema>;

/** The token user's all-time leaderboard rows (one per cohort; RLS: own rows). */
export async function allTimeRollups(token: string): Promise<Rollup[]> {
  return restRows(token, 'leaderboard_all_time?select=cohort_id,answered,correct', rollupSchema);
}

/** The token user's weekly leaderboard rows (one per cohort and ISO week; RLS: own rows). */
export async function weeklyRollups(token: string): Promise<(Rollup & { week_start: string })[]> {
  return restRows(token, 'leaderboard_weekly?select=cohort_id,week_start,answered,correct', rollupSchema.extend({ week_start: z.string() }));
}
