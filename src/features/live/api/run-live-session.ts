import { mutationOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase';
import { liveQuestionSchema, liveMessageSchemas, liveStandingsSchema } from '../model/protocol';
import { liveMutationKeys } from './keys';

/**
 * The instructor's controls. Each is one RPC that changes the session and makes the database tell the
 * class (docs/decisions/027-live-sessions.md); the host screen applies the same message when it arrives.
 * Online only: a control that cannot reach the server now is useless later.
 */
export type LiveControl =
  | { action: 'next'; sessionId: string; seconds: number; choicesAfterSeconds: number }
  | { action: 'close'; sessionId: string }
  | { action: 'end'; sessionId: string };

export async function runLiveSession(c: LiveControl) {
  switch (c.action) {
    case 'next': {
      const { data } = await supabase
        .rpc('next_live_question', { p_session_id: c.sessionId, p_seconds: c.seconds, p_choices_after_seconds: c.choicesAfterSeconds })
        .throwOnError();
      return { action: c.action, question: liveQuestionSchema.parse(data) } as const;
    }
    case 'close': {
      const { data } = await supabase.rpc('close_live_question', { p_session_id: c.sessionId }).throwOnError();
      return { action: c.action, closed: liveMessageSchemas.closed.parse(data) } as const;
    }
    case 'end': {
      const { data } = await supabase.rpc('end_live_session', { p_session_id: c.sessionId }).throwOnError();
      return { action: c.action, standings: liveStandingsSchema.parse(data) } as const;
    }
  }
}

export function runLiveSessionMutationOptions() {
  return mutationOptions({
    mutationKey: liveMutationKeys.run,
    mutationFn: runLiveSession,
    networkMode: 'online',
    retry: false,
    // Shown in place on the host screen, in the server's words for a refusal ("That was the last question.").
    meta: { errorMessage: 'That did not go through.', errorInline: true, serverWording: true },
  });
}
