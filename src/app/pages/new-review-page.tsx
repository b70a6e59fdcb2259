import { Suspense } from 'react';
import { NewReviewForm } from '@/features/quiz/components/new-review-form';
import { WidgetBoundary } from '@/components/error-boundaries';
import { useStudentDeck } from '@/app/use-student-deck';

export default function NewReviewPage() {
  const deck = useStudentDeck();
  return (
    <WidgetBoundary title="Spaced review">
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading the question bank…
          </p>
        }
      >
        <NewReviewForm state={deck} />
      </Suspense>
    </WidgetBoundary>
  );
}
