import { useQuery } from '@tanstack/react-query';
import { getMyProfileQueryOptions } from '@/features/account/api/get-my-profile';
import { useDeck, type DeckState } from '@/features/quiz/components/use-deck';
import { DEFAULT_RETENTION } from '@/features/quiz/model/cards/log';

/**
 * The signed-in student's spaced-review deck at the retention they chose in settings (account), built by
 * the quiz feature. Until the profile is there (first visit, or offline on a device that never loaded it)
 * the default retention: home does not wait for a second request, and most students keep the default.
 */
export function useStudentDeck(): DeckState {
  const profile = useQuery(getMyProfileQueryOptions());
  return useDeck(profile.data?.desired_retention ?? DEFAULT_RETENTION);
}
