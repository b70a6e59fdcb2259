/**
 * Leaderboard semantics at SQL level through the real API: ranking order and tie-breaks, the ranking
 * threshold, ISO weeks in UTC with the effective-time rule, keyset pagination, privacy, and the caller's
 * own position (get_my_leaderboard_position), and the percentile of get_my_stats. Board rows carry no user
 * ids, so rows are told apart by name: students' display names ('Real Name i') on the instructor's board,
 * aliases on students' boards. Answers with controlled timestamps are seeded with the service-only
 * test_insert_answers fixture.
 */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { admin, createUser, type TestUser } from './helpers.ts';
import { publishedQuestionIds } from './world.ts';
import { cohortWithStudents, currentWeekStart, leaderboard, seedAnswers, type LeaderboardRow, type SeedAnswer } from './instructor-world.ts';

const position = z.object({
  rank: z.number().nullable(),
  answered: z.number(),
  correct: z.number(),
  accuracy: z.coerce.number(),
  percentile: z.coerce.number().nullable(),
  ranked: z.boolean(),
  needed_answers: z.number(),
  ranked_count: z.number().nullable(),
});

async function myPosition(user: TestUser, cohortId: string, period: 'all' | 'week' = 'all') {
  const { data } = await user.db.rpc('get_my_leaderboard_position', { p_cohort_id: cohortId, p_period: period }).single().throwOnError();
  return position.parse(data);
}

const hoursAfter = (t: Date, h: number) => new Date(t.getTime() + h * 3_600_000).toISOString();

/** n answers of one student to distinct questions, `correct` of them right, at the given times. */
function answersFor(user: TestUser, qids: number[], correct: boolean[], times: string[]): SeedAnswer[] {
  return correct.map((c, i) => ({ user_id: user.id, question_id: qids[i] ?? 0, correct: c, answered_at: times[i] }));
}

test('ranks by correct desc, then accuracy desc, then who reached the count first; unranked below the threshold', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(6, { minToRank: 3 });
  const [u1, u2, u3, u4, u5, u6] = students as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
  const qids = await publishedQuestionIds(u1, 6);
  const t0 = new Date(Date.now() - 2 * 86_400_000);
  const at = (h: number, n: number) => Array.from({ length: n }, (_, i) => hoursAfter(t0, h + i / 60));
  await seedAnswers([
    ...answersFor(u1, qids, [true, true, true, true], at(5, 4)), // 4/4
    ...answersFor(u2, qids, [false, true, true, true], at(1, 4)), // 3/4, third correct at t0+1h+3min
    ...answersFor(u3, qids, [true, true, true, false], at(2, 4)), // 3/4, third correct at t0+2h+2min: later
    ...answersFor(u4, qids, [true, true, true], at(9, 3)), // 3/3: same count as u2/u3, higher accuracy
    ...answersFor(u5, qids, [true, true], at(0, 2)), // 2 answers < 3: not ranked
    ...answersFor(u6, qids, [true, false, false, false, false], at(0, 5)), // 1/5
  ]);

  const board = await leaderboard(instructor, cohort.id);
  expect(board.map((r) => [r.rank, r.name, r.correct, r.answered, r.accuracy])).toEqual([
    [1, 'Real Name 1', 4, 4, 1],
    [2, 'Real Name 4', 3, 3, 1],
    [3, 'Real Name 2', 3, 4, 0.75],
    [4, 'Real Name 3', 3, 4, 0.75],
    [5, 'Real Name 6', 1, 5, 0.2],
  ]);

  // The student's own position agrees with the board: 3 of the 4 others are ahead of u3.
  // percentile = others behind / others = 1 / 4 = 25 %.
  expect(await myPosition(u3, cohort.id)).toEqual({
    rank: 4, answered: 4, correct: 3, accuracy: 0.75, percentile: 25, ranked: true, needed_answers: 0, ranked_count: 5,
  });
  expect(await myPosition(u1, cohort.id)).toMatchObject({ rank: 1, percentile: 100 });
  expect(await myPosition(u5, cohort.id)).toEqual({
    rank: null, answered: 2, correct: 2, accuracy: 1, percentile: null, ranked: false, needed_answers: 1, ranked_count: null,
  });
});

test('each student’s own position is their place on the board, through every tie-break: correct, accuracy, reached first, user id', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(8, { minToRank: 1 });
  const s = students as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
  const qids = await publishedQuestionIds(s[0], 4);
  const t0 = new Date(Date.now() - 2 * 86_400_000);
  const at = (h: number, n: number) => Array.from({ length: n }, (_, i) => hoursAfter(t0, h + i / 60));
  const same = (n: number) => Array<string>(n).fill(hoursAfter(t0, 7));
  await seedAnswers([
    ...answersFor(s[0], qids, [true, true, true], at(3, 3)), // 3/3
    ...answersFor(s[1], qids, [true, true, true, false], at(1, 4)), // 3/4: behind s0 on accuracy
    ...answersFor(s[2], qids, [true, true, true, false], at(2, 4)), // 3/4, third correct later: behind s1
    ...answersFor(s[3], qids, [true, true], same(2)), // s3, s4: full ties, ordered by user id
    ...answersFor(s[4], qids, [true, true], same(2)),
    ...answersFor(s[5], qids, [true, true, false], same(3)), // s5, s6: full ties below s3/s4
    ...answersFor(s[6], qids, [true, true, false], same(3)),
    ...answersFor(s[7], qids, [true], at(0, 1)),
  ]);
  const byId = (a: TestUser, b: TestUser) => (a.id < b.id ? -1 : 1);
  const expected = [s[0], s[1], s[2], ...[s[3], s[4]].sort(byId), ...[s[5], s[6]].sort(byId), s[7]];
  const board = await leaderboard(instructor, cohort.id);
  expect(board.map((r) => r.name)).toEqual(expected.map((u) => `Real Name ${s.indexOf(u) + 1}`));
  // get_my_leaderboard_position counts the rows ahead of the caller's own row: the same order, or a
  // student would see one rank on the board and another in their stats.
  for (const [i, u] of expected.entries()) {
    expect(await myPosition(u, cohort.id), `Real Name ${s.indexOf(u) + 1}`).toMatchObject({ rank: i + 1, ranked_count: 8 });
  }
});

test('a student who has not answered yet needs the full threshold; instructors have no position (403)', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(1, { minToRank: 10 });
  const me = students[0] as TestUser;
  expect(await myPosition(me, cohort.id)).toEqual({
    rank: null, answered: 0, correct: 0, accuracy: 0, percentile: null, ranked: false, needed_answers: 10, ranked_count: null,
  });
  const r = await instructor.db.rpc('get_my_leaderboard_position', { p_cohort_id: cohort.id, p_period: 'all' });
  expect([r.status, r.error?.code]).toEqual([403, '42501']);
  const bad = await me.db.rpc('get_my_leaderboard_position', { p_cohort_id: cohort.id, p_period: 'month' });
  expect([bad.status, bad.error?.code, bad.error?.message]).toEqual([400, '22023', "p_period must be 'all' or 'week'."]);
});

test('weeks are ISO weeks in UTC of answered_at clamped to [received_at − 7 days, received_at]', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(4, { minToRank: 1 });
  const [sunday, monday, future, stale] = students as [TestUser, TestUser, TestUser, TestUser];
  const [q] = await publishedQuestionIds(sunday, 1);
  const m = currentWeekStart();
  const received = new Date(m.getTime() + 1000).toISOString(); // Monday 00:00:01Z
  await seedAnswers([
    // Sunday 23:59:59Z: last week.
    { user_id: sunday.id, question_id: q ?? 0, correct: true, answered_at: new Date(m.getTime() - 1000).toISOString(), received_at: received },
    // Monday 00:00:00Z: this week.
    { user_id: monday.id, question_id: q ?? 0, correct: true, answered_at: m.toISOString(), received_at: received },
    // A clock three days ahead counts when it was received (this week), never in the future.
    { user_id: future.id, question_id: q ?? 0, correct: true, answered_at: new Date(m.getTime() + 3 * 86_400_000).toISOString(), received_at: received },
    // A clock 30 days behind moves the answer back at most 7 days: Monday 00:00:01Z − 7 d is last week.
    { user_id: stale.id, question_id: q ?? 0, correct: true, answered_at: new Date(m.getTime() - 30 * 86_400_000).toISOString(), received_at: received },
  ]);

  const { data } = await admin().from('leaderboard_weekly').select('user_id, week_start, reached_at').eq('cohort_id', cohort.id).throwOnError();
  const weeks = new Map(z.array(z.object({ user_id: z.string(), week_start: z.string(), reached_at: z.string() })).parse(data).map((r) => [r.user_id, r]));
  const lastWeek = new Date(m.getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
  const thisWeek = m.toISOString().slice(0, 10);
  expect(weeks.get(sunday.id)?.week_start).toBe(lastWeek);
  expect(weeks.get(monday.id)?.week_start).toBe(thisWeek);
  expect(weeks.get(future.id)?.week_start).toBe(thisWeek);
  expect(weeks.get(stale.id)?.week_start).toBe(lastWeek);
  expect(new Date(weeks.get(future.id)?.reached_at ?? '').toISOString()).toBe(received);

  const week = await leaderboard(instructor, cohort.id, { period: 'week' });
  expect(new Set(week.map((r) => r.name))).toEqual(new Set(['Real Name 2', 'Real Name 3'])); // monday, future
  const all = await leaderboard(instructor, cohort.id, { period: 'all' });
  expect(all).toHaveLength(4);
  expect(await myPosition(sunday, cohort.id, 'week')).toMatchObject({ ranked: false, answered: 0, needed_answers: 1 });
  expect(await myPosition(monday, cohort.id, 'week')).toMatchObject({ ranked: true, answered: 1, ranked_count: 2 });
});

async function allPages(user: TestUser, cohortId: string, limit: number): Promise<LeaderboardRow[][]> {
  const pages: LeaderboardRow[][] = [];
  let after: unknown = null;
  for (;;) {
    const page = await leaderboard(user, cohortId, { after, limit });
    if (page.length === 0) return pages;
    pages.push(page);
    after = page[page.length - 1]?.cursor;
  }
}

test('keyset pages cover the board exactly once, ranks continue across pages, full ties order by user id', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(12, { minToRank: 1 });
  await Promise.all(
    students.map((s, i) => s.db.from('profiles').update({ leaderboard_alias: `Alias ${i + 1}` }).eq('id', s.id).throwOnError()),
  );
  const qids = await publishedQuestionIds(instructor, 4);
  const t = new Date(Date.now() - 3_600_000).toISOString();
  // Student i: (i mod 3) + 1 correct and one wrong answer, all at the same instant → groups of 4 exact ties,
  // so pages of 5 end inside tie groups.
  await seedAnswers(
    students.flatMap((s, i) => answersFor(s, qids, [...Array.from({ length: (i % 3) + 1 }, () => true), false], Array(4).fill(t))),
  );
  const full = await leaderboard(instructor, cohort.id, { limit: 200 });
  expect(full.map((r) => r.rank)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  const order = students
    .map((s, i) => ({ id: s.id, i, correct: (i % 3) + 1 }))
    .sort((a, b) => b.correct - a.correct || (a.id < b.id ? -1 : 1));
  expect(full.map((r) => r.name)).toEqual(order.map((s) => `Real Name ${s.i + 1}`));

  const pages = await allPages(instructor, cohort.id, 5);
  expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
  expect(pages.flat().map((r) => [r.rank, r.name])).toEqual(full.map((r) => [r.rank, r.name]));
  // Each cursor carries its row's rank (the next page ranks from it instead of counting up to it) and
  // how many rows of its tie group have been shown; never a user id.
  expect(full.map((r) => r.cursor.n)).toEqual(full.map((r) => r.rank));
  expect(full.map((r) => r.cursor.k)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  expect(pages.flat().map((r) => r.cursor)).toEqual(full.map((r) => r.cursor));
  const sent = JSON.stringify(pages);
  for (const s of students) expect(sent).not.toContain(s.id);
  // A cursor issued before 20261204120000 ({c, a, r, u[, n]}, u = the row's user id) still pages on,
  // with or without its rank.
  const last = pages[0]?.at(-1);
  const lastId = order[4]?.id;
  const legacy = { c: last?.cursor.c, a: last?.cursor.a, r: last?.cursor.r, u: lastId };
  for (const old of [legacy, { ...legacy, n: last?.rank }]) {
    const next = await leaderboard(instructor, cohort.id, { after: old, limit: 5 });
    expect(next.map((r) => [r.rank, r.name, r.cursor])).toEqual(pages[1]?.map((r) => [r.rank, r.name, r.cursor]));
  }

  // A student's pages skip a hidden student without leaving a gap in the ranks.
  const hidden = students[0] as TestUser;
  await hidden.db.from('profiles').update({ leaderboard_opt_out: true }).eq('id', hidden.id).throwOnError();
  const viewer = students[1] as TestUser;
  const seen = (await allPages(viewer, cohort.id, 5)).flat();
  expect(seen.map((r) => r.name)).toEqual(order.filter((s) => s.id !== hidden.id).map((s) => `Alias ${s.i + 1}`));
  expect(seen.map((r) => r.rank)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  expect(seen.filter((r) => r.is_me).map((r) => r.name)).toEqual(['Alias 2']);
});

test('privacy: students see aliases or pseudonyms, never real names or emails; opted-out students are hidden from peers only', async () => {
  const names = ['Alice Realname', 'Bob Realname', 'Carol Realname'];
  const { instructor, cohort, students } = await cohortWithStudents(3, { minToRank: 1, names });
  const [alice, bob, carol] = students as [TestUser, TestUser, TestUser];
  await alice.db.from('profiles').update({ leaderboard_alias: 'Speedy' }).eq('id', alice.id).throwOnError();
  await carol.db.from('profiles').update({ leaderboard_opt_out: true }).eq('id', carol.id).throwOnError();
  const qids = await publishedQuestionIds(alice, 3);
  await seedAnswers([
    ...answersFor(carol, qids, [true, true, true], Array(3).fill(hoursAfter(new Date(), -3))), // top scorer, hidden
    ...answersFor(alice, qids, [true, true], Array(2).fill(hoursAfter(new Date(), -2))),
    ...answersFor(bob, qids, [true], Array(1).fill(hoursAfter(new Date(), -1))),
  ]);

  const bobsBoard = await leaderboard(bob, cohort.id);
  expect(bobsBoard.map((r) => [r.rank, r.is_me])).toEqual([[1, false], [2, true]]);
  expect(bobsBoard[0]?.name).toBe('Speedy');
  expect(bobsBoard[1]?.name).toMatch(/^Student [0-9A-F]{4}$/);
  const bobsPosition = await myPosition(bob, cohort.id);
  expect([bobsPosition.rank, bobsPosition.ranked_count]).toEqual([2, 2]); // Carol, hidden, is not counted
  // Nothing but what the board shows: no real names, e-mails or user ids (rows and cursors alike).
  const leaked = JSON.stringify([bobsBoard, bobsPosition]);
  for (const s of [...names, alice.email, carol.email, 'Realname', alice.id, bob.id, carol.id]) expect(leaked).not.toContain(s);

  // Carol still sees herself (and is ranked among what she may see).
  const carolsBoard = await leaderboard(carol, cohort.id);
  expect(carolsBoard.map((r) => [r.rank, r.is_me])).toEqual([[1, true], [2, false], [3, false]]);
  expect(carolsBoard.slice(1).map((r) => r.name)).toEqual(bobsBoard.map((r) => r.name));
  expect(await myPosition(carol, cohort.id)).toMatchObject({ rank: 1, ranked_count: 3 });

  // The instructor sees everyone, with real names.
  const instructorsBoard = await leaderboard(instructor, cohort.id);
  expect(instructorsBoard.map((r) => [r.rank, r.name])).toEqual([[1, 'Carol Realname'], [2, 'Alice Realname'], [3, 'Bob Realname']]);

  // Every RPC that names students is closed to students (and to other instructors).
  const other = await createUser({ role: 'instructor' });
  for (const fn of ['get_cohort_roster', 'export_cohort_results', 'get_item_statistics', 'get_student_system_accuracy'] as const) {
    for (const caller of [bob, other]) {
      const r = await caller.db.rpc(fn, { p_cohort_id: cohort.id });
      expect([fn, r.status, r.error?.code, r.data]).toEqual([fn, 403, '42501', null]);
    }
  }
});

test('get_leaderboard refuses non-members (403) and bad cursors (400)', async () => {
  const { cohort, students } = await cohortWithStudents(1, { minToRank: 1 });
  const outsider = await createUser();
  const r = await outsider.db.rpc('get_leaderboard', { p_cohort_id: cohort.id });
  expect([r.status, r.error?.code]).toEqual([403, '42501']);
  const bad = await (students[0] as TestUser).db.rpc('get_leaderboard', { p_cohort_id: cohort.id, p_after: { c: 'x' } });
  expect([bad.status, bad.error?.code]).toEqual([400, '22023']);
  const cursor = { c: -1, a: -10000, r: new Date().toISOString(), u: cohort.id };
  const ok = await (students[0] as TestUser).db.rpc('get_leaderboard', { p_cohort_id: cohort.id, p_after: { ...cursor, n: 1 } });
  expect([ok.status, ok.data]).toEqual([200, []]);
  for (const n of [-1, 'x', 1.5, 2 ** 40]) {
    const r = await (students[0] as TestUser).db.rpc('get_leaderboard', { p_cohort_id: cohort.id, p_after: { ...cursor, n } });
    expect([n, r.status, r.error?.code]).toEqual([n, 400, '22023']);
  }
  // The current form {c, a, r, k, n}: k (rows of the tie group shown) is a positive integer, n is required,
  // and a cursor is one form or the other.
  const { u: _u, ...key } = cursor;
  const current = await (students[0] as TestUser).db.rpc('get_leaderboard', { p_cohort_id: cohort.id, p_after: { ...key, k: 1, n: 1 } });
  expect([current.status, current.data]).toEqual([200, []]);
  for (const bad of [{ ...key, k: 0, n: 1 }, { ...key, k: 'x', n: 1 }, { ...key, k: 1 }, { ...key, n: 1 }, { ...cursor, k: 1, n: 1 }]) {
    const r = await (students[0] as TestUser).db.rpc('get_leaderboard', { p_cohort_id: cohort.id, p_after: bad });
    expect([bad, r.status, r.error?.code, r.error?.message]).toEqual([bad, 400, '22023', 'p_after is not a cursor returned by get_leaderboard.']);
  }
});

const stats = z.object({ cohorts: z.array(z.object({ id: z.string(), percentile: z.coerce.number().nullable() })) });

test('get_my_stats and get_my_leaderboard_position rank among the same peers: a classmate who opted out counts in neither', async () => {
  const { cohort, students } = await cohortWithStudents(3, { minToRank: 5 });
  const [me, visible, hidden] = students as [TestUser, TestUser, TestUser];
  await hidden.db.from('profiles').update({ leaderboard_opt_out: true }).eq('id', hidden.id).throwOnError();
  const qids = await publishedQuestionIds(me, 5);
  const times = Array(5).fill(hoursAfter(new Date(), -1));
  await seedAnswers([
    ...answersFor(me, qids, [true, true, true, true, false], times), // 80 %
    ...answersFor(visible, qids, [true, true, true, true, true], times), // 100 %
    ...answersFor(hidden, qids, [true, false, false, false, false], times), // 20 %, below me, opted out
  ]);
  const { data } = await me.db.rpc('get_my_stats').throwOnError();
  const percentile = stats.parse(data).cohorts.find((c) => c.id === cohort.id)?.percentile;
  // The board I see: the visible classmate ahead of me, nobody behind. Counting the hidden classmate would
  // make the stats say 50 % while the board says 0 %, and the difference would reveal them.
  expect(await myPosition(me, cohort.id)).toMatchObject({ rank: 2, ranked_count: 2, percentile: 0 });
  expect(percentile).toBe(0);
  // The hidden student still sees their own percentile, among the peers they may see (both, who are visible).
  const theirs = stats.parse((await hidden.db.rpc('get_my_stats').throwOnError()).data).cohorts.find((c) => c.id === cohort.id);
  expect(theirs?.percentile).toBe(0);
  expect(await myPosition(hidden, cohort.id)).toMatchObject({ rank: 3, ranked_count: 3, percentile: 0 });
});
