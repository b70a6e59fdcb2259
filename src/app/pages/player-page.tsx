import { Suspense } from 'react';
import { BlockPlayer } from '@/features/quiz/components/block-player';

export default function PlayerPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          Opening your block…
        </p>
      }
    >
      {/* Keyed by id: moving from one block to another starts a fresh player, never a mix of both. */}
      <BlockPlayer key={id} attemptId={id} />
    </Suspense>
  );
}
