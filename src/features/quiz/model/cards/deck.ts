/**
 * The student's deck: every question they answered, as a card (card.ts), keyed by question id in
 * ascending id order. Three ways to get it, one replay (card.ts) under all three:
 *   - buildDeck: from scratch, synchronously (the reference the others are tested against);
 *   - createDeck().update: memoising; on each call it recomputes only the cards whose answers changed,
 *     plus those whose ratings a changed pace threshold flips, or all of them when the retention changed;
 *   - deck.updateInSlices: the same, yielding to the event loop every `budgetMs`, so
 *     the first build from a long log is not one long task on a slow phone.
 */
import { nextTask } from '@/lib/next-task';
import { replayCard, type CardState } from './card';
import { clampRetention, dedupeAnswers, isDated, UNKNOWN_KIND, type DeckOptions, type LoggedAnswer } from './log';
import { countsForPace, rate, slowThresholdOf, slowThresholds } from './rating';

export type CardDeck = ReadonlyMap<number, CardState>;

/** Groups answers by question, keeping their order (the log's arrival order, deduplicated). */
function groupByQuestion(answers: readonly LoggedAnswer[]): Map<number, LoggedAnswer[]> {
  const groups = new Map<number, LoggedAnswer[]>();
  for (const answer of answers) {
    const group = groups.get(answer.question_id);
    if (group) group.push(answer);
    else groups.set(answer.question_id, [answer]);
  }
  return groups;
}

const byQuestionId = (a: [number, unknown], b: [number, unknown]) => a[0] - b[0];

/**
 * Every card, from scratch: the reference the memoising deck is tested against (deck.test.ts) and the
 * naive per-render recompute the benchmark compares it with (scripts/bench-review.ts). The app uses
 * createDeck.
 * @internal
 */
export function buildDeck(log: Iterable<LoggedAnswer>, options: DeckOptions): CardDeck {
  const retention = clampRetention(options.retention);
  const answers = dedupeAnswers(log);
  const thresholds = slowThresholds(answers, options.kindOf);
  const deck = new Map<number, CardState>();
  for (const [questionId, group] of [...groupByQuestion(answers)].sort(byQuestionId)) {
    const slowThresholdMs = thresholds.get(options.kindOf(questionId) ?? UNKNOWN_KIND);
    // A question none of whose answers has a valid answered_at has no card.
    if (group.some(isDated)) deck.set(questionId, replayCard(group, { retention, slowThresholdMs }));
  }
  return deck;
}

export interface SliceOptions {
  /** Stops the build: the promise rejects with the signal's reason and the deck keeps its last state. */
  signal?: AbortSignal;
  /** Work per task before yielding to the event loop, ms (default 8: half a frame at 60 Hz). */
  budgetMs?: number;
}

export interface Deck {
  /** The deck for this log; the same Map object as last time when no card changed. */
  update(log: Iterable<LoggedAnswer>, options: DeckOptions): CardDeck;
  /** As update, in slices of about `budgetMs`, each its own task. */
  updateInSlices(log: Iterable<LoggedAnswer>, options: DeckOptions, slices?: SliceOptions): Promise<CardDeck>;
}

/** What the deck remembers of a question between updates. */
interface Entry {
  /** The question's answers, deduplicated, in arrival order. */
  answers: readonly LoggedAnswer[];
  kind: string;
  /** The slow threshold the card was replayed with. */
  threshold: number | undefined;
  /** Undefined when none of its answers has a valid answered_at. */
  card: CardState | undefined;
}

/**
 * The ids of the deduplicated log, never changed once made: a big set plus a small one of the answers
 * appended since, merged into a new big one now and then (copying 20,000 ids on every answer would cost
 * more than the rest of an update).
 */
interface IdIndex {
  base: ReadonlySet<string>;
  recent: ReadonlySet<string>;
}
const RECENT_IDS = 1024;
const hasId = (ids: IdIndex, id: string) => ids.base.has(id) || ids.recent.has(id);
function withIds(ids: IdIndex, added: readonly string[]): IdIndex {
  if (added.length === 0) return ids;
  const recent = new Set([...ids.recent, ...added]);
  return recent.size > RECENT_IDS ? { base: new Set([...ids.base, ...recent]), recent: new Set() } : { base: ids.base, recent };
}

interface DeckState {
  retention: number;
  /** The log array last read: a log that only appends to it is read from where it ended. */
  log: readonly LoggedAnswer[];
  ids: IdIndex;
  entries: ReadonlyMap<number, Entry>;
  thresholds: ReadonlyMap<string, number | undefined>;
  deck: CardDeck;
}

function sameAnswer(a: LoggedAnswer, b: LoggedAnswer): boolean {
  return (
    a === b ||
    (a.id === b.id &&
      a.question_id === b.question_id &&
      a.is_correct === b.is_correct &&
      a.answered_at === b.answered_at &&
      a.time_spent_ms === b.time_spent_ms &&
      (a.confidence ?? null) === (b.confidence ?? null))
  );
}

/** The same set of answers (ids unique in both), whatever their order. */
function sameAnswers(before: readonly LoggedAnswer[], after: readonly LoggedAnswer[]): boolean {
  if (before === after) return true;
  if (before.length !== after.length) return false;
  // Arrival order rarely changes between renders: try it first.
  if (after.every((answer, i) => { const old = before[i]; return old !== undefined && sameAnswer(old, answer); })) return true;
  const byId = new Map(before.map((answer) => [answer.id, answer]));
  return after.every((answer) => { const old = byId.get(answer.id); return old !== undefined && sameAnswer(old, answer); });
}

/** How many answers at the start of `log` are the very objects of `before` (all of them, or 0). */
function appendedAfter(before: readonly LoggedAnswer[], log: readonly LoggedAnswer[]): number {
  if (before.length === 0 || log.length < before.length) return 0;
  for (let i = 0; i < before.length; i++) if (log[i] !== before[i]) return 0;
  return before.length;
}

/** Work units between the yields of a long loop (a slice checks the clock only at a yield). */
const ANSWERS_PER_STEP = 256;

/**
 * One update as a sequence of steps (each `yield` is a point where a sliced run may give the event loop
 * a turn). Reads `state`, never writes it: the caller commits the returned state, so an aborted run
 * leaves the deck as it was.
 */
function* updateSteps(state: DeckState, input: Iterable<LoggedAnswer>, options: DeckOptions): Generator<void, DeckState> {
  const retention = clampRetention(options.retention);
  const log: readonly LoggedAnswer[] = Array.isArray(input) ? input : [...input];

  // The log deduplicated (first seen wins) and grouped by question. When the log is the last one plus
  // answers at its end (the usual case: a new answer), only those are read.
  const from = appendedAfter(state.log, log);
  const groups = new Map<number, readonly LoggedAnswer[]>();
  if (from > 0) for (const [questionId, entry] of state.entries) groups.set(questionId, entry.answers);
  const seen = from > 0 ? state.ids : { base: new Set<string>(), recent: new Set<string>() };
  const fresh = new Set<string>();
  // Groups made by this run, so free to grow (a group from the last state is copied first: the state is never written).
  const grown = new Map<number, LoggedAnswer[]>();
  for (let i = from; i < log.length; i++) {
    if ((i - from) % ANSWERS_PER_STEP === ANSWERS_PER_STEP - 1) yield;
    const answer = log[i];
    if (!answer || hasId(seen, answer.id) || fresh.has(answer.id)) continue;
    fresh.add(answer.id);
    let group = grown.get(answer.question_id);
    if (!group) {
      group = [...(groups.get(answer.question_id) ?? [])];
      grown.set(answer.question_id, group);
      groups.set(answer.question_id, group);
    }
    group.push(answer);
  }
  const ids = from > 0 ? withIds(state.ids, [...fresh]) : { base: fresh, recent: new Set<string>() };
  // A copy: a caller that pushes to its array in place must not change what "the last log" was.
  const snapshot = log.slice();
  yield;

  // Which questions changed (answers or kind), and which kinds' pace must be measured again.
  const everything = retention !== state.retention;
  const dirty = new Set<number>();
  const dirtyKinds = new Set<string>();
  const kinds = new Map<number, string>();
  const members = new Map<string, number[]>();
  let newQuestion = false;
  let step = 0;
  for (const [questionId, group] of groups) {
    if (++step % ANSWERS_PER_STEP === 0) yield;
    const kind = options.kindOf(questionId) ?? UNKNOWN_KIND;
    kinds.set(questionId, kind);
    const list = members.get(kind);
    if (list) list.push(questionId);
    else members.set(kind, [questionId]);
    const before = state.entries.get(questionId);
    if (!before) newQuestion = true;
    if (!before || before.kind !== kind || !sameAnswers(before.answers, group)) {
      dirty.add(questionId);
      dirtyKinds.add(kind);
      if (before) dirtyKinds.add(before.kind);
    }
  }
  let removed = false;
  for (const [questionId, entry] of state.entries) {
    if (groups.has(questionId)) continue;
    removed = true;
    dirtyKinds.add(entry.kind);
  }
  yield;

  const thresholds = new Map(state.thresholds);
  for (const kind of dirtyKinds) {
    yield;
    const times: number[] = [];
    for (const questionId of members.get(kind) ?? []) {
      for (const answer of groups.get(questionId) ?? []) if (countsForPace(answer)) times.push(answer.time_spent_ms);
    }
    const threshold = slowThresholdOf(times);
    if (members.has(kind)) thresholds.set(kind, threshold);
    else thresholds.delete(kind);
    if (threshold === state.thresholds.get(kind)) continue;
    // A new threshold changes a card only if it flips the rating of one of its answers.
    for (const questionId of members.get(kind) ?? []) {
      const before = state.entries.get(questionId);
      if (dirty.has(questionId) || !before) continue;
      if (before.answers.some((answer) => rate(answer, before.threshold) !== rate(answer, threshold))) dirty.add(questionId);
    }
  }
  yield;

  // No card changed (then no kind's pace did either): the same deck, the same Map object.
  if (!everything && dirty.size === 0 && !removed) return { ...state, log: snapshot, ids };

  const order = newQuestion || removed ? [...groups.keys()].sort((a, b) => a - b) : [...state.entries.keys()];
  const entries = new Map<number, Entry>();
  const deck = new Map<number, CardState>();
  for (const questionId of order) {
    const answers = groups.get(questionId) ?? [];
    const kind = kinds.get(questionId) ?? UNKNOWN_KIND;
    const threshold = thresholds.get(kind);
    const before = state.entries.get(questionId);
    let card = before?.card;
    if (everything || dirty.has(questionId) || !before) {
      card = answers.some(isDated) ? replayCard(answers, { retention, slowThresholdMs: threshold }) : undefined;
      yield;
    }
    entries.set(questionId, { answers, kind, threshold, card });
    if (card) deck.set(questionId, card);
  }
  return { retention, log: snapshot, ids, entries, thresholds, deck };
}

/** A memoising deck: keep one per student and call update with the whole log on each change. */
export function createDeck(): Deck {
  // NaN retention: the first update counts as a retention change, so every card is built.
  let state: DeckState = {
    retention: Number.NaN,
    log: [],
    ids: { base: new Set(), recent: new Set() },
    entries: new Map(),
    thresholds: new Map(),
    deck: new Map(),
  };
  // An update that finishes after a newer one started does not replace the newer one's state.
  let started = 0;
  let committed = 0;
  const commit = (run: number, next: DeckState): CardDeck => {
    if (run > committed) {
      committed = run;
      state = next;
    }
    return next.deck;
  };
  return {
    update(log, options) {
      const run = ++started;
      const steps = updateSteps(state, log, options);
      let step = steps.next();
      while (!step.done) step = steps.next();
      return commit(run, step.value);
    },
    async updateInSlices(log, options, { signal, budgetMs = 8 } = {}) {
      const run = ++started;
      const steps = updateSteps(state, log, options);
      let sliceStart = performance.now();
      for (;;) {
        signal?.throwIfAborted();
        const step = steps.next();
        if (step.done) return commit(run, step.value);
        if (performance.now() - sliceStart >= budgetMs) {
          await nextTask();
          sliceStart = performance.now();
        }
      }
    },
  };
}
