/**
 * Property tests: a deck depends on the SET of answers only (not their arrival order or repeats), and
 * the memoising and sliced decks equal a build from scratch. Seeded: a failure names its seed.
 */
import { expect, test } from 'vitest';
import { mulberry32 } from '../../../../../scripts/sampling.ts';
import { randomAnswerLog, shuffled } from '../../../../../tests/answer-log.ts';
import { buildDeck, createDeck, type CardDeck } from './deck';
import type { DeckOptions, KindOf, LoggedAnswer } from './log';

const CASES = 200;
const KINDS = ['renal', 'cardiovascular', 'nervous', undefined] as const;
const kindOf: KindOf = (q) => KINDS[q % KINDS.length];
// A different bank: the same questions filed under other systems.
const otherKindOf: KindOf = (q) => KINDS[(q + 1) % KINDS.length];
const RETENTIONS = [undefined, 0.7, 0.8, 0.9, 0.95, 0.97] as const;
const someRetention = (random: () => number) => RETENTIONS[Math.floor(random() * RETENTIONS.length)];

/** A small random log: few questions so each has several answers, coarse times so some are equal, repeats. */
function caseLog(random: () => number): LoggedAnswer[] {
  const log = randomAnswerLog(random, {
    answers: 1 + Math.floor(random() * 60),
    questions: 1 + Math.floor(random() * 8),
    days: 30,
    grainMs: 3_600_000,
  });
  // Re-arrivals: the server's copy of an answer next to this device's copy (equal content, another object).
  const repeats = Math.floor(random() * 10);
  for (let i = 0; i < repeats; i++) {
    const a = log[Math.floor(random() * log.length)];
    if (a) log.push({ ...a });
  }
  return log;
}

const pick = <T,>(items: readonly T[], random: () => number): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

// Order-sensitive: both the cards and the Map's (ascending question id) order must match.
const entries = (deck: CardDeck) => [...deck];

test(`shuffling the log or repeating answers never changes the deck (${CASES} seeded cases)`, () => {
  for (let seed = 1; seed <= CASES; seed++) {
    const random = mulberry32(seed);
    const log = caseLog(random);
    const options: DeckOptions = { kindOf, retention: someRetention(random) };
    const deck = buildDeck(log, options);
    expect(entries(buildDeck(shuffled(log, random), options)), `seed ${seed}`).toEqual(entries(deck));
    expect(entries(buildDeck([...log, ...shuffled(log, random).map((a) => ({ ...a }))], options)), `seed ${seed}`).toEqual(entries(deck));
    expect([...deck.keys()], `seed ${seed}`).toEqual([...new Set(log.map((a) => a.question_id))].sort((a, b) => a - b));
  }
});

test(`the memoising deck equals a build from scratch after random appends, re-arrivals and setting changes (${CASES} seeded cases)`, () => {
  for (let seed = 1; seed <= CASES; seed++) {
    const random = mulberry32(10_000 + seed);
    const pool = randomAnswerLog(random, { answers: 80, questions: 1 + Math.floor(random() * 10), days: 30, grainMs: 3_600_000 });
    const deck = createDeck();
    let log: LoggedAnswer[] = [];
    let options: DeckOptions = { kindOf, retention: 0.9 };
    let previous: CardDeck | undefined;
    for (let step = 0; step < 25; step++) {
      const roll = random();
      let changed = true;
      if (roll < 0.5) {
        // 1–5 new answers arrive, in any order.
        log = [...log, ...shuffled(pool.splice(0, 1 + Math.floor(random() * 5)), random)];
      } else if (roll < 0.7 && log.length > 0) {
        // A copy of an answer already here (the sync echo): no card changes.
        log = [...log, { ...pick(log, random) }];
        changed = false;
      } else if (roll < 0.8) {
        // The same log re-read in another order (e.g. the server's page merged with the outbox).
        log = shuffled(log, random);
        changed = false;
      } else if (roll < 0.9) {
        options = { ...options, retention: someRetention(random) };
      } else if (roll < 0.95) {
        options = { ...options, kindOf: options.kindOf === kindOf ? otherKindOf : kindOf };
      } else {
        // Answers leave the log (e.g. another student signs in on this device).
        log = log.slice(0, Math.floor(random() * log.length));
      }
      const got = deck.update(log, options);
      expect(entries(got), `seed ${10_000 + seed}, step ${step}`).toEqual(entries(buildDeck(log, options)));
      if (!changed && previous) expect(got, `seed ${10_000 + seed}, step ${step}: nothing changed, same Map`).toBe(previous);
      previous = got;
    }
  }
});

test('the memoising deck replays only the cards whose answers changed', () => {
  const random = mulberry32(7);
  const log = randomAnswerLog(random, { answers: 400, questions: 60 });
  const deck = createDeck();
  const before = deck.update(log, { kindOf });
  // One more wrong answer to question 3: its card changes; a wrong answer leaves the pace medians alone.
  const after = deck.update([...log, { id: 'new', question_id: 3, is_correct: false, answered_at: '2026-12-05T10:00:00Z', time_spent_ms: 20_000, confidence: null }], { kindOf });
  const replayed = [...after].filter(([q, card]) => before.get(q) !== card).map(([q]) => q);
  expect(replayed).toEqual([3]);
});

test(`the sliced build equals a build from scratch, and yields (${CASES / 4} seeded cases)`, async () => {
  for (let seed = 1; seed <= CASES / 4; seed++) {
    const random = mulberry32(20_000 + seed);
    const log = caseLog(random);
    const options: DeckOptions = { kindOf, retention: someRetention(random) };
    // budgetMs 0: a new task at every step, the most interleaving there can be.
    expect(entries(await createDeck().updateInSlices(log, options, { budgetMs: 0 })), `seed ${20_000 + seed}`).toEqual(entries(buildDeck(log, options)));
  }
  const big = randomAnswerLog(mulberry32(1), { answers: 3_000, questions: 500 });
  let tasks = 0;
  const counting = setInterval(() => tasks++, 0);
  const sliced = await createDeck().updateInSlices(big, { kindOf }, { budgetMs: 1 });
  clearInterval(counting);
  expect(entries(sliced)).toEqual(entries(buildDeck(big, { kindOf })));
  expect(tasks).toBeGreaterThan(1);
});

test('an aborted sliced update rejects and leaves the deck as it was', async () => {
  const log = randomAnswerLog(mulberry32(3), { answers: 2_000, questions: 300 });
  const deck = createDeck();
  const first = deck.update(log.slice(0, 1_000), { kindOf });
  const controller = new AbortController();
  const pending = deck.updateInSlices(log, { kindOf }, { signal: controller.signal, budgetMs: 0 });
  controller.abort(new Error('left Home'));
  await expect(pending).rejects.toThrow('left Home');
  expect(deck.update(log.slice(0, 1_000), { kindOf })).toBe(first);
  expect(entries(deck.update(log, { kindOf }))).toEqual(entries(buildDeck(log, { kindOf })));
});

test('an answer whose answered_at is not a date is left out; a question with no dated answer has no card', () => {
  const base = randomAnswerLog(mulberry32(5), { answers: 30, questions: 3 });
  const undated = (a: LoggedAnswer): LoggedAnswer => ({ ...a, id: `${a.id}-x`, answered_at: 'yesterday' });
  const first = base[0];
  if (!first) throw new Error('empty log');
  const log = [...base, ...base.slice(0, 5).map(undated), { ...undated(first), question_id: 99 }];
  const built = buildDeck(log, { kindOf });
  expect(entries(built)).toEqual(entries(buildDeck(base, { kindOf })));
  expect(built.has(99)).toBe(false);
  expect(entries(createDeck().update(log, { kindOf }))).toEqual(entries(built));
});

test('the memoising deck reads any iterable, and an array the caller grew in place', () => {
  const log = randomAnswerLog(mulberry32(11), { answers: 300, questions: 40 });
  const deck = createDeck();
  const growing = log.slice(0, 200);
  deck.update(growing, { kindOf });
  growing.push(...log.slice(200));
  expect(entries(deck.update(growing, { kindOf }))).toEqual(entries(buildDeck(log, { kindOf })));
  expect(entries(createDeck().update(new Set(log), { kindOf }))).toEqual(entries(buildDeck(log, { kindOf })));
});

test('an update started while a sliced one runs wins; the sliced one still resolves with its own log’s deck', async () => {
  const log = randomAnswerLog(mulberry32(13), { answers: 1_500, questions: 200 });
  const older = log.slice(0, 1_000);
  const deck = createDeck();
  const pending = deck.updateInSlices(older, { kindOf }, { budgetMs: 0 });
  const newer = deck.update(log, { kindOf });
  expect(entries(await pending)).toEqual(entries(buildDeck(older, { kindOf })));
  expect(deck.update(log, { kindOf })).toBe(newer);
});

test('the deck rates against the pace of the question’s own kind, from its 5th correct answer on', () => {
  const answer = (id: string, question_id: number, time_spent_ms: number): LoggedAnswer => ({
    id,
    question_id,
    is_correct: true,
    answered_at: `2026-12-0${1 + (question_id % 5)}T10:00:00Z`,
    time_spent_ms,
    confidence: 'sure',
  });
  const kinds: KindOf = (q) => (q < 100 ? 'renal' : 'cardiovascular');
  // renal: four quick answers (10 s) and a slow one (25 s > 2 × median 10 s) → hard
  const renal = [1, 2, 3, 4].map((q) => answer(`r${q}`, q, 10_000));
  const slow = answer('slow', 5, 25_000);
  // cardiovascular's own pace is slow: 25 s there is not slow
  const cardio = [101, 102, 103, 104, 105].map((q) => answer(`c${q}`, q, 20_000 + q));
  const deck = buildDeck([...renal, slow, ...cardio, answer('c-same', 106, 25_000)], { kindOf: kinds });
  expect(deck.get(5)?.lastRating).toBe('hard');
  expect(deck.get(106)?.lastRating).toBe('good');
  // Four correct renal answers in all: no pace rule yet.
  expect(buildDeck([...renal.slice(1), slow], { kindOf: kinds }).get(5)?.lastRating).toBe('good');
  // The memoising deck follows a pace that changes under a card: fast cardio answers pull the median down.
  const memo = createDeck();
  const cardioLog = [...cardio, answer('c-same', 106, 25_000), answer('c-quick', 113, 4_000)];
  const before = memo.update(cardioLog, { kindOf: kinds });
  expect(before.get(106)?.lastRating).toBe('good'); // median 20,104 ms
  const faster = [107, 108, 109, 110, 111, 112, 114].map((q) => answer(`f${q}`, q, 5_000));
  const after = memo.update([...cardioLog, ...faster], { kindOf: kinds });
  expect(after.get(106)?.lastRating).toBe('hard'); // median 5,000 ms
  expect(after.get(101)?.lastRating).toBe('hard');
  expect(entries(after)).toEqual(entries(buildDeck([...cardioLog, ...faster], { kindOf: kinds })));
  expect(after.get(113)).toBe(before.get(113)); // 4 s is quick under both paces: its card is not replayed
});
