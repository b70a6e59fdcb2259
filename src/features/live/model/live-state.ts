/**
 * A live session's state on a device: the last snapshot (get_live_session) moved on by the Broadcast
 * messages that arrived since. A message the state cannot follow (a close for a question this device
 * never saw shown: it was away) asks for a re-read instead of guessing.
 */
import { cohortMessageSchemas, liveCountSchema, liveMessageSchemas, type LiveSnapshot } from './protocol';

export type LiveUpdate = { kind: 'state'; state: LiveSnapshot } | { kind: 'refetch' } | { kind: 'ignore' };

/** Applies a message of `live:<id>` ('question', 'closed', 'ended') or `live-host:<id>` ('answers'). */
export function applyLiveMessage(state: LiveSnapshot, event: string, payload: unknown): LiveUpdate {
  switch (event) {
    case 'question': {
      const q = liveMessageSchemas.question.safeParse(payload);
      if (!q.success || q.data.session_id !== state.session.id) return { kind: 'ignore' };
      const current = state.session.current_position;
      if (current !== null && q.data.position <= current) return { kind: 'ignore' }; // late duplicate
      return {
        kind: 'state',
        state: {
          ...state,
          session: { ...state.session, current_position: q.data.position },
          question: q.data,
          results: null,
          standings: null,
          host: state.host ? { ...state.host, position: q.data.position, answered: 0 } : null,
        },
      };
    }
    case 'closed': {
      const c = liveMessageSchemas.closed.safeParse(payload);
      if (!c.success || c.data.session_id !== state.session.id) return { kind: 'ignore' };
      if (!state.question || state.question.position !== c.data.position) return { kind: 'refetch' };
      const { standings, session_id: _s, ...results } = c.data;
      return {
        kind: 'state',
        state: {
          ...state,
          question: { ...state.question, closed_at: c.data.closed_at ?? state.question.closes_at },
          results,
          standings,
          // Answers shown on this device become final with the key.
          mine: state.mine.map((m) => (m.question_id === c.data.question_id ? { ...m, is_correct: m.choice === c.data.correct_choice } : m)),
        },
      };
    }
    case 'ended': {
      const e = liveMessageSchemas.ended.safeParse(payload);
      if (!e.success || e.data.session_id !== state.session.id) return { kind: 'ignore' };
      return {
        kind: 'state',
        state: {
          ...state,
          session: { ...state.session, status: 'ended', ended_at: state.session.ended_at ?? state.now },
          question: state.question && state.question.closed_at === null ? { ...state.question, closed_at: state.question.closes_at } : state.question,
          standings: e.data.standings,
        },
      };
    }
    case 'answers': {
      const n = liveCountSchema.safeParse(payload);
      if (!n.success || n.data.session_id !== state.session.id || !state.host) return { kind: 'ignore' };
      // Counts arrive in commit order; a count for another question than the one on screen is stale.
      if (n.data.position !== state.session.current_position) return { kind: 'ignore' };
      return { kind: 'state', state: { ...state, host: n.data } };
    }
    default:
      return { kind: 'ignore' };
  }
}

/** A `cohort:<id>` message: a session opened or ended there, or its board moved. */
export function readCohortMessage(event: string, payload: unknown) {
  if (event === 'live') {
    const m = cohortMessageSchemas.live.safeParse(payload);
    return m.success ? ({ kind: 'live', ...m.data } as const) : null;
  }
  if (event === 'board') {
    const m = cohortMessageSchemas.board.safeParse(payload);
    return m.success ? ({ kind: 'board', ...m.data } as const) : null;
  }
  return null;
}
