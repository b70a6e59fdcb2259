import { BlockReview } from '@/features/quiz/components/review/block-review';

export default function ReviewPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  // key: navigating from one block's review to another's starts fresh (filter back to "All").
  return <BlockReview key={id} attemptId={id} />;
}
