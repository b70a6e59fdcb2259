import { useId, useState } from 'react';
import type { ChoiceDistribution, StoredAnswer } from '@/features/quiz/api/attempts';
import type { Question } from '@/features/quiz/api/get-bank';
import type { CardState } from '@/features/quiz/model/cards/card';
import { explainCard } from '@/features/quiz/model/cards/explain';
import { formatDate } from '@/lib/format';
import { CHOICES, taxonomyLabel, type Choice } from '@/lib/taxonomy';
import { BlockQuestionImages } from '@/components/question-images';

/** The peer distribution as far as this question is concerned. */
export type PeerState = { status: 'loading' } | { status: 'unavailable' } | { status: 'ready'; row: ChoiceDistribution | undefined };

function peerCount(row: ChoiceDistribution, letter: Choice): number {
  switch (letter) {
    case 'A':
      return row.a;
    case 'B':
      return row.b;
    case 'C':
      return row.c;
    case 'D':
      return row.d;
    case 'E':
      return row.e;
  }
}

interface ReviewQuestionProps {
  position: number;
  total: number;
  questionId: number;
  question: Question | undefined;
  answer: StoredAnswer | undefined;
  marked: boolean;
  peers: PeerState;
  /** The question's spaced-review card (all the student's answers to it), once the deck is built. */
  card: CardState | undefined;
  /** An assignment whose explanations wait for its due date (the instructor's choice). */
  holdExplanation?: boolean;
  /** URLs of the block's images (one signing per block), undefined while resolving. */
  imagePaths?: readonly string[];
}

/** One question of a finished block: vignette, choices with the student's answer, the key and peer shares, explanation. */
export function ReviewQuestion({ position, total, questionId, question, answer, marked, peers, card, holdExplanation = false, imagePaths = [] }: ReviewQuestionProps) {
  const headingId = useId();
  const outcome = answer === undefined ? 'unanswered' : answer.is_correct ? 'correct' : 'incorrect';
  const peerRow = peers.status === 'ready' ? peers.row : undefined;

  return (
    <article className={`card stack review-question review-${outcome}`} aria-labelledby={headingId}>
      <header className="review-question-header">
        <h2 id={headingId}>
          Question {position} <span className="muted">of {total}</span>
        </h2>
        <div className="row review-badges">
          <span className={`badge outcome-${outcome}`}>
            {outcome === 'correct' ? 'Correct' : outcome === 'incorrect' ? 'Incorrect' : 'Not answered'}
          </span>
          {marked ? <span className="badge badge-alt">Marked</span> : null}
        </div>
      </header>
      {question ? (
        <p className="muted review-topic">
          {taxonomyLabel(question.organ_system)} · {taxonomyLabel(question.discipline)}
        </p>
      ) : null}

      {question === undefined ? (
        <p className="muted">
          Question {questionId} is no longer in the question bank on this device. Reload the page once you're online to fetch the latest
          bank.
        </p>
      ) : (
        <>
          <p className="review-stem">{question.stem}</p>
          <BlockQuestionImages media={question.media} placement="stem" paths={imagePaths} />
          <ol className="review-choices" aria-label="Answer choices">
            {CHOICES.map((letter, i) => {
              const isKey = question.correct_choice === letter;
              const isChosen = answer?.choice === letter;
              const share = peerRow && peerRow.peers > 0 ? Math.round((100 * peerCount(peerRow, letter)) / peerRow.peers) : undefined;
              return (
                <li key={letter} className={`review-choice${isKey ? ' is-key' : ''}${isChosen && !isKey ? ' is-wrong-choice' : ''}`}>
                  <span className="choice-letter" aria-hidden="true">
                    {letter}
                  </span>
                  <div className="choice-body">
                    <p>
                      <span className="visually-hidden">{letter}. </span>
                      {question.choices[i]}
                    </p>
                    <BlockQuestionImages media={question.media} placement="choice" choice={letter} paths={imagePaths} />
                    {isKey || isChosen ? (
                      <p className="choice-tags">
                        {isChosen ? <span className="tag">Your answer</span> : null}
                        {isKey ? <span className="tag tag-key">Correct answer</span> : null}
                      </p>
                    ) : null}
                  </div>
                  {share !== undefined ? (
                    <span className="peer-share">
                      <span className="peer-bar" aria-hidden="true">
                        <span style={{ width: `${share}%` }} />
                      </span>
                      {share}&nbsp;%<span className="visually-hidden"> of peers chose {letter}</span>
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ol>
          <PeerNote peers={peers} />
          <section className="review-explanation" aria-label={`Explanation for question ${position}`}>
            <h3>Explanation</h3>
            {holdExplanation ? (
              <p className="muted">Explanations for this assignment open after its due date.</p>
            ) : (
              <>
                <p>{question.explanation}</p>
                <BlockQuestionImages media={question.media} placement="explanation" paths={imagePaths} />
              </>
            )}
          </section>
          {card ? <CardHistory card={card} position={position} /> : null}
        </>
      )}
    </article>
  );
}

function PeerNote({ peers }: { peers: PeerState }) {
  switch (peers.status) {
    case 'loading':
      return <p className="muted peer-note">Loading how your cohort answered…</p>;
    case 'unavailable':
      // The failure and its "Try again" are shown once, above the questions.
      return <p className="muted peer-note">Peer answers are unavailable right now.</p>;
    case 'ready':
      return peers.row ? (
        <p className="muted peer-note">
          Percentages: how {peers.row.peers} classmates answered on their first try.
        </p>
      ) : (
        <p className="muted peer-note">Not enough peers yet — shares appear once 5 classmates have answered this question.</p>
      );
  }
}

const RATING_WORDS = { again: 'comes back soon', hard: 'comes back a little sooner', good: 'interval grows' } as const;
const CONFIDENCE_WORDS = { sure: 'sure', unsure: 'unsure', guessed: 'guessed' } as const;

/** The question's card: when it comes back and why, and every answer the student gave it. */
function CardHistory({ card, position }: { card: CardState; position: number }) {
  // When the review was opened: "next in 3 days" does not tick while it is read.
  const [now] = useState(() => Date.now());
  return (
    <section className="review-card stack-sm" aria-label={`Spaced review of question ${position}`}>
      <h3>Spaced review</h3>
      <p>
        {explainCard(card, now)} <span className="muted">Next review: {formatDate(new Date(card.due))}.</span>
      </p>
      <details>
        <summary>Answer history ({card.history.length})</summary>
        <ol className="review-card-history">
          {card.history.map((h) => (
            <li key={h.answerId}>
              {formatDate(new Date(h.answeredAt))}: {h.isCorrect ? 'right' : 'wrong'}
              {h.confidence ? ` (${CONFIDENCE_WORDS[h.confidence]})` : ''} — {RATING_WORDS[h.rating]}, due {formatDate(new Date(h.due))}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
