import { Suspense } from 'react';
import { NewBlockForm } from '@/features/quiz/components/new-block-form';

export default function NewBlockPage() {
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          Loading the question bank…
        </p>
      }
    >
      <NewBlockForm />
    </Suspense>
  );
}
