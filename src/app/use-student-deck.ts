import { useQuery } from '@tanstack/react-query';
import { getMyProfileQueryOptions } from '@/features/account/api/get-my-profile';
import { useDeck, type DeckState } from '@/features/quiz/components/use-deck';
import { DEFAULT_RETENTION } from '@/features/quiz/model/cards/log';

/**
 * The signed-in student's spaced-review deck at the retention they chose in settings (account), built by
 * the quiz feature. A profile that cannot load (offline on a device that never loaded it) gives the
 * default retention rather than no review at all.
 */
export function useStudentDeck(): DeckState {
  const profile = useQuery(getMyProfileQueryOptions());
  const settled = profile.data !== undefined || profile.isError || profile.failureCount > 0 || profile.fetchStatus === 'paused';
  return useDeck(profile.data?.desired_retention ?? (settled ? DEFAULT_RETENTION : undefined));
}
