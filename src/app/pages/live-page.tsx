import { getAttemptQueryOptions } from '@/features/quiz/api/attempts';
import { LiveScreen } from '@/features/live/components/live-screen';

/** The attempt row's cache key (the block's review reads the live block there). */
const attemptQueryKey = (attemptId: string) => getAttemptQueryOptions(attemptId).queryKey;

export default function LivePage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  // Keyed by id: another session starts a fresh screen, never a mix of both.
  return <LiveScreen key={id} sessionId={id} attemptQueryKey={attemptQueryKey} />;
}
