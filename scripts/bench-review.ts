/**
 * Spaced-review deck benchmark (issue #17, docs/decisions/021-spaced-review.md): building the due list
 * on the device from a long answer log, the naive way against the app's way, in the same run.
 *
 *   tsx scripts/bench-review.ts [--answers 20000] [--questions 3000] [--renders 200] [--naive-renders 20] [--seed 1]
 *
 * Data: a seeded answer log (tests/answer-log.ts) of --answers answers over --questions questions in six
 * organ systems, spread over the 180 days before `now`; then one new answer per render.
 * Measured, per render (each render adds one answer to the log, then needs the due list and the forecast):
 *   naive: buildDeck from scratch + dueCards + forecast;
 *   app:   the memoising deck's update (createDeck) + dueCards + forecast.
 * The two alternate on the same log (the naive one on the first --naive-renders renders only: it is slow),
 * so drift on a shared machine hits both alike. Also: the first build (cold: the first call in the
 * process) and the sliced first build (a new deck's updateInSlices, 8 ms budget): its longest task, measured from
 * outside as the longest gap between turns of a setTimeout(0) ticker (an upper bound: it includes the
 * timer's own ~1 ms), and its total time; and the app's update when the same log arrives in another order
 * (not an append: the whole log is read again). The app's deck is checked equal to a build from scratch.
 * The human summary is printed first; the LAST line is a JSON summary.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { buildDeck, createDeck, type CardDeck } from '../src/features/quiz/model/cards/deck.ts';
import { dueCards, dueSummary, forecast } from '../src/features/quiz/model/cards/due.ts';
import type { DeckOptions, LoggedAnswer } from '../src/features/quiz/model/cards/log.ts';
import { randomAnswerLog, shuffled } from '../tests/answer-log.ts';
import { mulberry32, nearestRank } from './sampling.ts';

const { values: args } = parseArgs({
  options: {
    answers: { type: 'string', default: '20000' },
    questions: { type: 'string', default: '3000' },
    renders: { type: 'string', default: '200' },
    'naive-renders': { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
  },
});
const ANSWERS = Number(args.answers);
const QUESTIONS = Number(args.questions);
const RENDERS = Number(args.renders);
const NAIVE_RENDERS = Math.min(RENDERS, Number(args['naive-renders']));
const SEED = Number(args.seed);
if (![ANSWERS, QUESTIONS, RENDERS, NAIVE_RENDERS, SEED].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--answers, --questions, --renders, --naive-renders, --seed must be positive integers');
}

const DAY_MS = 86_400_000;
const SYSTEMS = ['cardiovascular', 'respiratory', 'renal', 'gastrointestinal', 'endocrine', 'nervous'];
const options: DeckOptions = { kindOf: (q) => SYSTEMS[q % SYSTEMS.length], retention: 0.9 };
const now = Date.parse('2026-12-05T12:00:00Z');
const random = mulberry32(SEED);
const history = randomAnswerLog(random, { answers: ANSWERS, questions: QUESTIONS, start: now - 180 * DAY_MS, days: 180 });
// Today's new answers, one per render, in the last hour before `now`.
const fresh = randomAnswerLog(random, { answers: RENDERS, questions: QUESTIONS, start: now - 3_600_000, days: 1 / 24 });

const round = (x: number) => Math.round(x * 1000) / 1000;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50_ms: round(nearestRank(sorted, 50) ?? NaN), p95_ms: round(nearestRank(sorted, 95) ?? NaN), n: samples.length };
};
function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const value = fn();
  return [value, performance.now() - t];
}
const render = (deck: CardDeck) => {
  dueCards(deck, now);
  forecast(deck, now);
};

// ----------------------------------------------------------------------------- first build (cold)
const [firstDeck, firstBuildMs] = time(() => buildDeck(history, options));
const [, firstIncrementalMs] = time(() => createDeck().update(history, options));
console.log(`log: ${history.length} answers over ${firstDeck.size} questions; due today ${JSON.stringify(dueSummary(firstDeck, now))}`);
console.log(`first build: buildDeck ${firstBuildMs.toFixed(1)} ms (cold), createDeck().update ${firstIncrementalMs.toFixed(1)} ms`);

// ----------------------------------------------------------------------------- sliced first build
let longestGap = 0;
let ticks = 0;
let ticking = true;
let lastTick = performance.now();
const tick = () => {
  const t = performance.now();
  longestGap = Math.max(longestGap, t - lastTick);
  lastTick = t;
  ticks++;
  if (ticking) setTimeout(tick, 0);
};
setTimeout(tick, 0);
await new Promise((r) => setTimeout(r, 5)); // let the ticker settle
longestGap = 0;
ticks = 0;
const slicedStart = performance.now();
const sliced = await createDeck().updateInSlices(history, options, { budgetMs: 8 });
const slicedMs = performance.now() - slicedStart;
ticking = false;
if (!isDeepStrictEqual([...sliced], [...firstDeck])) throw new Error('sliced build differs from buildDeck');
console.log(`sliced first build (budget 8 ms): ${slicedMs.toFixed(1)} ms in all, longest task ≤ ${longestGap.toFixed(1)} ms, ${ticks} ticker turns between slices`);

// ----------------------------------------------------------------------------- renders
const deck = createDeck();
deck.update(history, options);
let log: readonly LoggedAnswer[] = history;
const naive: number[] = [];
const app: number[] = [];
const appUpdate: number[] = [];
let appDeck: CardDeck = new Map();
for (let i = 0; i < RENDERS; i++) {
  const answer = fresh[i];
  if (!answer) break;
  log = [...log, answer]; // a new array, as a query cache gives after an answer
  const runApp = () => {
    const t = performance.now();
    appDeck = deck.update(log, options);
    appUpdate.push(performance.now() - t);
    render(appDeck);
    app.push(performance.now() - t);
  };
  const runNaive = () => naive.push(time(() => render(buildDeck(log, options)))[1]);
  if (i < NAIVE_RENDERS && i % 2 === 1) {
    runNaive();
    runApp();
  } else {
    runApp();
    if (i < NAIVE_RENDERS) runNaive();
  }
}
if (!isDeepStrictEqual([...appDeck], [...buildDeck(log, options)])) throw new Error('the memoising deck differs from buildDeck');

// The same answers in another order (a sync merged the server's pages with the outbox): not an append,
// so the whole log is deduplicated and compared again, though no card is replayed.
const reordered: number[] = [];
const mixed = shuffled(log, random);
for (let i = 0; i < 20; i++) reordered.push(time(() => deck.update(i % 2 === 0 ? mixed : log, options))[1]);

const naiveStats = stats(naive);
const appStats = stats(app);
const ratio = round(naiveStats.p50_ms / appStats.p50_ms);
console.log(`naive render (buildDeck + dueCards + forecast): p50 ${naiveStats.p50_ms} ms, p95 ${naiveStats.p95_ms} ms (${naive.length} renders)`);
console.log(`app render (deck.update + dueCards + forecast): p50 ${appStats.p50_ms} ms, p95 ${appStats.p95_ms} ms (${app.length} renders; update alone p50 ${stats(appUpdate).p50_ms} ms)`);
console.log(`naive / app at p50: ×${ratio}`);
console.log(`app update of a reordered log (same answers, no append): p50 ${stats(reordered).p50_ms} ms`);
console.log(
  JSON.stringify({
    bench: 'review',
    answers: ANSWERS,
    questions: QUESTIONS,
    cards: firstDeck.size,
    seed: SEED,
    node: process.version,
    due_today: dueSummary(appDeck, now),
    first_build_ms: round(firstBuildMs),
    first_build_incremental_ms: round(firstIncrementalMs),
    sliced: { budget_ms: 8, total_ms: round(slicedMs), longest_task_ms: round(longestGap), ticker_turns: ticks },
    naive: naiveStats,
    app: { ...appStats, update_p50_ms: stats(appUpdate).p50_ms, reordered_update_p50_ms: stats(reordered).p50_ms },
    ratio_p50: ratio,
  }),
);
