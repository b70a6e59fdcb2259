import { BlockReview } from '@/features/quiz/components/review/block-review';
import { useStudentDeck } from '@/app/use-student-deck';

export default function ReviewPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  // Each question shows its spaced-review card; a deck that cannot be built only leaves the cards out.
  const deck = useStudentDeck();
  // key: navigating from one block's review to another's starts fresh (filter back to "All").
  return <BlockReview key={id} attemptId={id} deck={deck.status === 'ready' ? deck.deck : deck.status === 'error' ? null : undefined} />;
}
