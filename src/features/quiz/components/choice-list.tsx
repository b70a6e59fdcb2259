import type { ReactNode } from 'react';
import { CHOICES, type Choice } from '@/lib/taxonomy';

export interface ChoiceVerdict {
  /** The key, highlighted once the answer is graded (tutor mode). */
  key: Choice;
  chosen: Choice;
}

/**
 * The five answer choices as native radios (arrow keys, Space and screen-reader group semantics for
 * free) with a strike-out toggle each. Radios are never disabled — not after submitting and not when
 * struck — because disabling the focused radio would drop keyboard focus to <body>; the reducer ignores
 * those selections instead and the labels say why.
 */
export function ChoiceList({
  questionId,
  questionNumber,
  choices,
  selected,
  struck,
  locked,
  verdict,
  onSelect,
  onStrike,
  images,
}: {
  questionId: number;
  questionNumber: number;
  choices: readonly string[];
  selected: Choice | undefined;
  struck: readonly Choice[];
  locked: boolean;
  verdict: ChoiceVerdict | null;
  onSelect: (choice: Choice) => void;
  onStrike: (choice: Choice) => void;
  /** A choice's images, under its label (question-images.tsx). */
  images?: (choice: Choice) => ReactNode;
}) {
  return (
    <fieldset role="radiogroup" className="player-choices" aria-label={`Answer choices for question ${questionNumber}`}>
      {CHOICES.map((c, i) => {
        const text = choices[i] ?? '';
        const isStruck = struck.includes(c);
        const inputId = `choice-${questionId}-${c}`;
        const state = verdict ? (c === verdict.key ? 'key' : c === verdict.chosen ? 'wrong' : undefined) : undefined;
        return (
          <div key={c} className="player-choice" data-choice={c} data-struck={isStruck || undefined} data-verdict={state} data-selected={selected === c || undefined}>
            <input
              id={inputId}
              type="radio"
              name={`question-${questionId}`}
              value={c}
              checked={selected === c}
              aria-keyshortcuts={`${c} ${i + 1}`}
              onChange={() => onSelect(c)}
            />
            <label htmlFor={inputId} className="player-choice-label">
              <span className="player-choice-letter">{c}.</span> <span className="player-choice-text">{text}</span>
              {isStruck ? <span className="visually-hidden"> (struck out)</span> : null}
              {state === 'key' ? <span className="player-choice-tag">Correct answer</span> : null}
              {state === 'wrong' ? <span className="player-choice-tag">Your answer</span> : null}
            </label>
            <button
              type="button"
              className="player-strike"
              aria-pressed={isStruck}
              aria-label={`Strike out ${c}`}
              aria-keyshortcuts="X"
              disabled={locked}
              onClick={() => onStrike(c)}
            >
              Strike out
            </button>
            {images?.(c)}
          </div>
        );
      })}
    </fieldset>
  );
}
