/**
 * What the JSON depth check (supabase/local/http.ts jsonNestsDeeperThan, decision 015) adds to reading a
 * request body: JSON.parse alone (the baseline, as before the check) against the scan + JSON.parse, in
 * the same run, alternating, on the bodies the app sends and the largest one the server accepts.
 *
 *   tsx scripts/bench-body-scan.ts [--reps 200]
 *
 * The human summary is printed first; the LAST line is a JSON summary (p50 µs per body, and the ratio).
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../supabase/local/http.ts';
import { nearestRank } from './sampling.ts';

const { values: args } = parseArgs({ options: { reps: { type: 'string', default: '200' } } });
const REPS = Number(args.reps);

const answer = () => ({
  id: randomUUID(),
  attempt_id: randomUUID(),
  question_id: 1234,
  choice: 'C',
  time_spent_ms: 42_000,
  answered_at: new Date().toISOString(),
});
const question = (i: number) => ({
  stem: `A 54-year-old man presents with crushing chest pain radiating to the left arm, case ${i}. `.repeat(4),
  choices: ['Aspirin', 'Heparin', 'Nitroglycerin', 'Morphine', 'Oxygen'],
  correct_choice: 'A',
  explanation: 'Aspirin reduces mortality in acute coronary syndrome. '.repeat(3),
  organ_system: 'cardiovascular',
  discipline: 'pharmacology',
  tags: ['acs', 'first-line'],
});

function importOfAbout(bytes: number): string {
  const rows: unknown[] = [];
  let text = '';
  while (text.length < bytes) {
    rows.push(question(rows.length));
    if (rows.length % 50 === 0) text = JSON.stringify({ p_rows: rows });
  }
  return JSON.stringify({ p_rows: rows });
}

const bodies: Record<string, string> = {
  submit_answers_50: JSON.stringify({ answers: Array.from({ length: 50 }, answer) }),
  import_questions_1mib: importOfAbout(1024 * 1024 - 4096),
};

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) * 1000;
}

const results: Record<string, { bytes: number; parse_p50_us: number; scan_and_parse_p50_us: number; ratio: number }> = {};
for (const [name, body] of Object.entries(bodies)) {
  const base: number[] = [];
  const withScan: number[] = [];
  // Warm-up, then alternate so drift on a shared machine hits both sides alike.
  for (let i = 0; i < 20; i++) JSON.parse(body);
  for (let i = 0; i < REPS; i++) {
    base.push(time(() => JSON.parse(body)));
    withScan.push(
      time(() => {
        if (jsonNestsDeeperThan(body, MAX_JSON_DEPTH)) throw new Error('unexpected: app body refused');
        JSON.parse(body);
      }),
    );
  }
  const p50 = (xs: number[]) => nearestRank([...xs].sort((a, b) => a - b), 50) ?? NaN;
  const b = p50(base);
  const s = p50(withScan);
  results[name] = { bytes: body.length, parse_p50_us: Math.round(b), scan_and_parse_p50_us: Math.round(s), ratio: Math.round((s / b) * 100) / 100 };
  console.log(`${name}: ${body.length} bytes, JSON.parse p50 ${b.toFixed(0)} µs, scan + parse p50 ${s.toFixed(0)} µs (×${(s / b).toFixed(2)})`);
}
console.log(JSON.stringify({ bench: 'body-scan', reps: REPS, node: process.version, results }));
