import { gridStatus, type PlayerState } from '@/features/quiz/model/player';

/** Every question of the block as a button: answered, marked and current at a glance, and by name. */
export function QuestionGrid({ state, onGoto }: { state: PlayerState; onGoto: (index: number) => void }) {
  return (
    <nav aria-label="Questions in this block" className="card player-grid-wrap">
      <h2 className="player-grid-title">Questions</h2>
      <ol className="player-grid">
        {state.questionIds.map((q, i) => {
          const s = gridStatus(state, i);
          const label = [`Question ${i + 1}`, s.answered ? 'answered' : 'not answered', s.marked ? 'marked' : null].filter(Boolean).join(', ');
          return (
            <li key={q}>
              <button
                type="button"
                className="player-grid-button"
                data-answered={s.answered || undefined}
                data-marked={s.marked || undefined}
                aria-current={s.current ? 'step' : undefined}
                aria-label={label}
                onClick={() => onGoto(i)}
              >
                {i + 1}
              </button>
            </li>
          );
        })}
      </ol>
      <p className="muted player-grid-legend">
        <span className="player-legend-answered" aria-hidden="true" /> answered · <span className="player-legend-marked" aria-hidden="true" /> marked ·{' '}
        <span className="player-legend-current" aria-hidden="true" /> current
      </p>
    </nav>
  );
}
