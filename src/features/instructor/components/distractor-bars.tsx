import './instructor.css';
import { CHOICES } from '@/lib/taxonomy';

/**
 * Mini bars of how many chose each letter A–E; the key is marked (and named for screen readers). Item
 * statistics and assignment results show the spread the same way.
 */
export function DistractorBars({ label, counts, correctChoice }: { label: string; counts: readonly number[]; correctChoice: string | null }) {
  const max = Math.max(1, ...counts);
  return (
    <ul className="distractors" aria-label={correctChoice ? `${label}, key ${correctChoice}` : label}>
      {CHOICES.map((letter, i) => {
        const n = counts[i] ?? 0;
        const isKey = letter === correctChoice;
        return (
          <li key={letter} className={isKey ? 'distractor is-key' : 'distractor'}>
            <span className="distractor-letter">{letter}</span>
            <span className="distractor-track" aria-hidden="true">
              <span className="distractor-bar" style={{ width: `${(100 * n) / max}%` }} />
            </span>
            <span className="distractor-count">
              {n}
              {isKey ? <span className="visually-hidden"> (correct)</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
